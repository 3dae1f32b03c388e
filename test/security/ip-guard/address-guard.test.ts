import { describe, expect, it } from 'vitest';
import { OpenSearchError } from '../../../src/errors/opensearch-error.js';
import { assertAddressesAllowed, compileRestrictedPatterns, type AddressPolicy } from '../../../src/security/ip-guard/index.js';

const policy = (allowPrivateIps: boolean, patterns: string[] = []): AddressPolicy => ({
  allowPrivateIps,
  restrictedIpPatterns: compileRestrictedPatterns(patterns),
});

const refusal = (fn: () => void): OpenSearchError | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error as OpenSearchError;
  }
};

describe('assertAddressesAllowed', () => {
  it('refuses a host when any one of its addresses is private, with a 400', () => {
    const error = refusal(() => assertAddressesAllowed('mixed.example', ['93.184.216.34', '10.0.0.5'], policy(false)));
    expect(error).toBeInstanceOf(OpenSearchError);
    expect(error?.status).toBe(400);
    expect(error?.type).toBe('illegal_argument_exception');
    expect(error?.reason).toBe('Remote inference host name has private ip address: mixed.example');
  });

  it('lets public addresses through and private ones when allowed', () => {
    expect(() => assertAddressesAllowed('public.example', ['93.184.216.34', '2606:4700::1'], policy(false))).not.toThrow();
    expect(() => assertAddressesAllowed('local.example', ['127.0.0.1', '::1'], policy(true))).not.toThrow();
  });

  it('refuses a private host whose URL no trusted private endpoint matches, and never a public one', () => {
    const untrusted = { ...policy(true), privateEndpointUntrusted: true };
    expect(() => assertAddressesAllowed('public.example', ['93.184.216.34'], untrusted)).not.toThrow();
    expect(refusal(() => assertAddressesAllowed('mixed.example', ['93.184.216.34', '10.0.0.5'], untrusted))?.reason).toBe(
      'Connector URL is not matching the trusted connector private endpoint regex',
    );
    expect(refusal(() => assertAddressesAllowed('local.example', ['10.0.0.5'], { ...policy(false), privateEndpointUntrusted: true }))?.reason).toBe(
      'Remote inference host name has private ip address: local.example',
    );
  });

  it('fails closed on an address it cannot parse', () => {
    expect(() => assertAddressesAllowed('odd.example', ['not-an-ip'], policy(false))).toThrow('private ip address: odd.example');
  });

  it.each([
    [['127\\..*'], '127.0.0.1'],
    [['192\\.168\\..*'], '192.168.1.1'],
    [['0:0:0:0:0:0:0:1'], '::1'],
    [['::1'], '::1'],
    [['10\\.0\\.0\\.1'], '::ffff:10.0.0.1'],
    [['8\\.8\\.8\\.8', 'unrelated'], '8.8.8.8'],
  ])('refuses restricted patterns %j for %s even when private IPs are allowed', (patterns, address) => {
    expect(() => assertAddressesAllowed('host.example', [address], policy(true, patterns))).toThrow(
      'Remote inference host name has restricted ip address: host.example',
    );
  });

  it('reports the restriction before the private check, as ML Commons does', () => {
    expect(() => assertAddressesAllowed('h', ['10.0.0.1'], policy(false, ['10\\..*']))).toThrow('restricted ip address');
  });

  it('matches patterns in full, like Java Pattern.matches', () => {
    expect(() => assertAddressesAllowed('h', ['8.8.8.8'], policy(false, ['8\\.8']))).not.toThrow();
    expect(() => assertAddressesAllowed('h', ['18.8.8.8'], policy(false, ['8\\.8\\.8\\.8']))).not.toThrow();
  });

  it('answers a 400 for a pattern that does not compile', () => {
    expect(() => compileRestrictedPatterns(['(unclosed'])).toThrow('Invalid restricted ip pattern: (unclosed');
  });
});
