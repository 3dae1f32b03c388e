import { describe, expect, it } from 'vitest';
import { assertBindAllowed, isLoopbackHost } from '../../../src/security/identity/bind-policy.js';
import { startupNotice } from '../../../src/security/identity/startup-notice.js';

describe('assertBindAllowed', () => {
  it.each([
    '127.0.0.1',
    '127.1.2.3',
    'localhost',
    'LOCALHOST.',
    '::1',
    '[::1]',
    '0:0:0:0:0:0:0:1',
    '::ffff:127.0.0.1',
  ])('should allow loopback host %s with security off', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
    expect(() =>
      assertBindAllowed({ host, authenticatorKind: 'none', allowInsecureBind: false }),
    ).not.toThrow();
  });

  it.each([
    '0.0.0.0',
    '::',
    '192.168.1.10',
    '10.0.0.1',
    'example.com',
    'localhost.example.com',
    '128.0.0.1',
    '::2',
    '::ffff:10.0.0.1',
    '',
  ])('should refuse %j with security off, saying why and how', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
    expect(() =>
      assertBindAllowed({ host, authenticatorKind: 'none', allowInsecureBind: false }),
    ).toThrow(
      /refusing to listen on HOST .* with security off.*USERS_FILE.*OPENSEARCH_URL.*HOST=127\.0\.0\.1.*ALLOW_INSECURE_BIND=true/,
    );
  });

  it('should allow any host with ALLOW_INSECURE_BIND=true', () => {
    expect(() =>
      assertBindAllowed({ host: '0.0.0.0', authenticatorKind: 'none', allowInsecureBind: true }),
    ).not.toThrow();
  });

  it.each(['cluster', 'users_file'] as const)(
    'should allow any host when callers are authenticated (%s)',
    (authenticatorKind) => {
      expect(() =>
        assertBindAllowed({ host: '0.0.0.0', authenticatorKind, allowInsecureBind: false }),
      ).not.toThrow();
    },
  );
});

describe('startupNotice', () => {
  it('should say security is off and where it listens', () => {
    const notice = startupNotice({ authenticatorKind: 'none', host: '127.0.0.1', tls: false });
    expect(notice).toMatch(/^security is OFF: no authentication/);
    expect(notice).toMatch(/loopback \(127\.0\.0\.1\) only/);
    expect(notice).toMatch(/plain HTTP/);
  });

  it('should warn loudly about an insecure bind', () => {
    expect(
      startupNotice({
        authenticatorKind: 'none',
        host: '0.0.0.0',
        tls: true,
        allowInsecureBind: true,
      }),
    ).toMatch(
      /ALLOW_INSECURE_BIND=true: anyone who can reach this port has full access; HTTPS only/,
    );
  });

  it('should name the cluster without credentials from its URL', () => {
    const notice = startupNotice({
      authenticatorKind: 'cluster',
      host: '0.0.0.0',
      tls: true,
      opensearchUrl: 'https://admin:cluster-secret@search.internal:9200',
      usersFile: '/etc/users.json',
    });
    expect(notice).toMatch(
      /delegated to the OpenSearch cluster at https:\/\/search\.internal:9200/,
    );
    expect(notice).toMatch(/USERS_FILE is ignored/);
    expect(notice).not.toContain('cluster-secret');
  });

  it('should name the users file', () => {
    expect(
      startupNotice({
        authenticatorKind: 'users_file',
        host: '0.0.0.0',
        tls: false,
        usersFile: '/etc/users.json',
      }),
    ).toMatch(/users file \/etc\/users\.json \(HTTP Basic and API keys\)/);
  });
});
