/**
 * Every refused target is aimed at a live loopback listener, and the listener must see no TCP
 * connection at all. The same targets with `allowPrivateIps: true` do reach it, which proves each
 * refusal test would fail if the guard let the call through.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveClientConfig } from '../../src/connectors/client-config.js';
import { OpenSearchError } from '../../src/errors/opensearch-error.js';
import { createHttpClient, type HttpClient } from '../../src/http/http-client.js';
import { systemResolver, type Resolver } from '../../src/http/guarded-lookup.js';
import { startListener, type TestListener } from './support/listener.js';
import { loopbackPolicy, post, strictPolicy } from './support/policies.js';

let listener: TestListener;
let client: HttpClient;
const resolved: string[] = [];
const names: Record<string, string[]> = {
  'loopback.test': ['127.0.0.1'],
  'mixed.test': ['93.184.216.34', '127.0.0.1'],
  'metadata.test': ['169.254.169.254'],
  'v6only.test': ['::1'],
};
const resolver: Resolver = async (hostname) => {
  resolved.push(hostname);
  const addresses = names[hostname];
  if (hostname === 'localhost') return systemResolver(hostname);
  if (addresses === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

beforeAll(async () => {
  listener = await startListener();
});
afterAll(() => listener.close());
afterEach(async () => {
  await client?.close();
  resolved.length = 0;
});

async function refusal(url: string, policy = strictPolicy()): Promise<OpenSearchError> {
  client = createHttpClient({ resolver });
  const before = listener.connections;
  const error = await client.send(post(url), { ...policy, transport: resolveClientConfig({ max_retry_times: 0 }) }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(listener.connections - before, 'the listener must not see a connection').toBe(0);
  expect(error).toBeInstanceOf(OpenSearchError);
  return error as OpenSearchError;
}

/** The refusal names the host, the URL it was for, and the setting that allows it. */
const privateRefusal = (host: string, url: string): string =>
  `Remote inference host name has private ip address: ${host}, URL is: ${url}. ` +
  'To let connectors reach private addresses, set plugins.ml_commons.connector.private_ip_enabled to true.';

// Spellings of loopback that the kernel routes to the dual-stack listener.
const reachableSpellings = [
  ['IPv4-mapped IPv6', (port: number) => `http://[::ffff:127.0.0.1]:${port}/v1`, '[::ffff:7f00:1]'],
  ['IPv4-mapped hex IPv6', (port: number) => `http://[::ffff:7f00:1]:${port}/v1`, '[::ffff:7f00:1]'],
  ['decimal integer', (port: number) => `http://2130706433:${port}/v1`, '127.0.0.1'],
  ['hex integer', (port: number) => `http://0x7f000001:${port}/v1`, '127.0.0.1'],
  ['short form', (port: number) => `http://127.1:${port}/v1`, '127.0.0.1'],
  ['octal', (port: number) => `http://0177.0.0.1:${port}/v1`, '127.0.0.1'],
  ['mixed hex and decimal', (port: number) => `http://0x7f.0.0.1:${port}/v1`, '127.0.0.1'],
  ['trailing dot', (port: number) => `http://127.0.0.1.:${port}/v1`, '127.0.0.1'],
  ['IPv6 loopback', (port: number) => `http://[::1]:${port}/v1`, '[::1]'],
  ['IPv6 loopback, long form', (port: number) => `http://[0:0:0:0:0:0:0:1]:${port}/v1`, '[::1]'],
  ['unspecified IPv4', (port: number) => `http://0.0.0.0:${port}/v1`, '0.0.0.0'],
  ['unspecified IPv6', (port: number) => `http://[::]:${port}/v1`, '[::]'],
  ['localhost (system resolver)', (port: number) => `http://localhost:${port}/v1`, 'localhost'],
  ['a name resolving to 127.0.0.1', (port: number) => `http://loopback.test:${port}/v1`, 'loopback.test'],
  ['a name resolving to ::1', (port: number) => `http://v6only.test:${port}/v1`, 'v6only.test'],
] as const;

describe('private addresses', () => {
  it.each(reachableSpellings)('refuses %s before connecting', async (_name, url, host) => {
    const error = await refusal(url(listener.port));
    expect(error.status).toBe(400);
    expect(error.type).toBe('illegal_argument_exception');
    expect(error.reason).toBe(privateRefusal(host, url(listener.port)));
  });

  it.each(reachableSpellings)('reaches the listener through %s when private IPs are allowed', async (_name, url) => {
    client = createHttpClient({ resolver });
    const before = listener.requests.length;
    const response = await client.send(post(url(listener.port)), loopbackPolicy({ max_retry_times: 0 }));
    expect(response.status).toBe(200);
    expect(listener.requests.length).toBe(before + 1);
  });

  it.each([
    ['IPv4-compatible IPv6', (port: number) => `http://[::7f00:1]:${port}/`, '[::7f00:1]'],
    ['NAT64 with a private IPv4', (port: number) => `http://[64:ff9b::10.0.0.1]:${port}/`, '[64:ff9b::a00:1]'],
    ['link-local metadata address', (port: number) => `http://169.254.169.254:${port}/`, '169.254.169.254'],
    ['CGNAT', (port: number) => `http://100.64.0.1:${port}/`, '100.64.0.1'],
    ['unique-local IPv6', (port: number) => `http://[fd00::1]:${port}/`, '[fd00::1]'],
    ['link-local IPv6', (port: number) => `http://[fe80::1]:${port}/`, '[fe80::1]'],
    ['broadcast', (port: number) => `http://255.255.255.255:${port}/`, '255.255.255.255'],
    ['a name resolving to one public and one private address', (port: number) => `http://mixed.test:${port}/`, 'mixed.test'],
    ['a name resolving to the metadata address', (port: number) => `http://metadata.test:${port}/`, 'metadata.test'],
  ])('refuses %s', async (_name, url, host) => {
    const error = await refusal(url(listener.port));
    expect(error.reason).toBe(privateRefusal(host, url(listener.port)));
  });

  it('resolves a name once per new connection and connects to the address it checked', async () => {
    client = createHttpClient({ resolver });
    const url = `http://loopback.test:${listener.port}/v1`;
    const connectionsBefore = listener.connections;
    for (let call = 0; call < 8; call++) {
      expect((await client.send(post(url), loopbackPolicy())).status).toBe(200);
    }
    const opened = listener.connections - connectionsBefore;
    // One lookup per new connection (net never looks up a second time), none for kept-alive reuse.
    expect(resolved.length).toBe(opened);
    expect(opened).toBeLessThan(8);
    expect(new Set(resolved)).toEqual(new Set(['loopback.test']));
  });

  it('rebuilds the pool when private IPs are switched off, so kept-alive connections are not reused', async () => {
    client = createHttpClient({ resolver });
    const url = `http://loopback.test:${listener.port}/v1`;
    expect((await client.send(post(url), loopbackPolicy())).status).toBe(200);
    const before = listener.requests.length;
    await expect(client.send(post(url), strictPolicy())).rejects.toThrow(
      'Remote inference host name has private ip address: loopback.test',
    );
    expect(listener.requests.length).toBe(before);
  });

  it('redacts query values of the URL it names, which may hold keys', async () => {
    const error = await refusal(`http://loopback.test:${listener.port}/v1?key=AIzaSECRET&alt=sse`);
    expect(error.reason).toBe(privateRefusal('loopback.test', `http://loopback.test:${listener.port}/v1?key=***&alt=***`));
    expect(error.reason).not.toContain('SECRET');
  });

  it('reports a name that does not resolve as a transport error', async () => {
    client = createHttpClient({ resolver });
    const error = await client.send(post('http://nowhere.test/'), strictPolicy({ transport: resolveClientConfig({ max_retry_times: 0 }) })).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 500, reason: expect.stringContaining('Error communicating with remote model: ENOTFOUND') });
  });
});

describe('restricted ip patterns', () => {
  it.each([
    ['an IPv4 literal', (port: number) => `http://127.0.0.1:${port}/`, ['127\\..*'], '127.0.0.1'],
    ['a resolved name', (port: number) => `http://loopback.test:${port}/`, ['127\\.0\\.0\\.1'], 'loopback.test'],
    ['IPv6 loopback in Java form', (port: number) => `http://[::1]:${port}/`, ['0:0:0:0:0:0:0:1'], '[::1]'],
    ['an IPv4-mapped address by its IPv4 form', (port: number) => `http://[::ffff:127.0.0.1]:${port}/`, ['127\\..*'], '[::ffff:7f00:1]'],
  ])('refuses %s even with private IPs allowed', async (_name, url, patterns, host) => {
    const error = await refusal(url(listener.port), loopbackPolicy({}, { restrictedIpPatterns: patterns }));
    expect(error.status).toBe(400);
    expect(error.reason).toBe(
      `Remote inference host name has restricted ip address: ${host}, URL is: ${url(listener.port)}. ` +
        'The address matches plugins.ml_commons.connector.restricted_ip_patterns, which nothing overrides.',
    );
  });

  it('lets addresses that match no pattern through', async () => {
    client = createHttpClient({ resolver });
    const response = await client.send(post(`${listener.url}/`), loopbackPolicy({}, { restrictedIpPatterns: ['10\\..*'] }));
    expect(response.status).toBe(200);
  });
});

describe('trusted private endpoints (trusted_connector_private_endpoints_regex)', () => {
  const untrusted = (url: string) =>
    `Connector URL is not matching the trusted connector private endpoint regex, URL is: ${url}. ` +
    'The host has a private address: to let connectors reach it, add a regex that fully matches the URL to plugins.ml_commons.trusted_connector_private_endpoints_regex.';

  it.each([
    ['an IPv4 literal', (port: number) => `http://127.0.0.1:${port}/v2`],
    ['a resolved name', (port: number) => `http://loopback.test:${port}/v2`],
  ])('refuses %s whose URL matches none, even with private IPs allowed', async (_name, url) => {
    const error = await refusal(url(listener.port), loopbackPolicy({}, { trustedPrivateEndpoints: ['^http://[^/]+/v1$', '.*/internal/.*'] }));
    expect(error.status).toBe(400);
    expect(error.reason).toBe(untrusted(url(listener.port)));
  });

  it('lets a private host through when its URL fully matches one, and refuses a private one first when private IPs are off', async () => {
    client = createHttpClient({ resolver });
    const url = `http://loopback.test:${listener.port}/v1`;
    expect((await client.send(post(url), loopbackPolicy({}, { trustedPrivateEndpoints: ['http://[^/]+/v1'] }))).status).toBe(200);
    // A kept-alive connection of the trusted URL is not reused for an untrusted one on the same origin.
    const before = listener.requests.length;
    await expect(client.send(post(`http://loopback.test:${listener.port}/v2`), loopbackPolicy({}, { trustedPrivateEndpoints: ['http://[^/]+/v1'] }))).rejects.toThrow(
      'Connector URL is not matching the trusted connector private endpoint regex',
    );
    expect(listener.requests.length).toBe(before);
    const off = await refusal(url, strictPolicy({ trustedPrivateEndpoints: ['http://[^/]+/v1'] }));
    expect(off.reason).toBe(privateRefusal('loopback.test', url));
  });
});

describe('URL checks', () => {
  it.each([
    ['ftp', (port: number) => `ftp://127.0.0.1:${port}/`, 'Protocol is not http or https: ftp'],
    ['file', () => 'file:///etc/passwd', 'Protocol is not http or https: file'],
    ['port too large', () => 'http://127.0.0.1:70000/', 'Port out of range: 70000'],
    ['port 0', () => 'http://127.0.0.1:0/', 'Port out of range: 0'],
    ['not a URL', () => 'not a url?key=secret', 'Invalid connector URL'],
  ])('refuses %s', async (_name, url, message) => {
    const error = await refusal(url(listener.port), loopbackPolicy());
    expect(error.status).toBe(400);
    expect(error.reason).toBe(message);
  });
});
