import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthInfoFetcher } from '../../../src/security/identity/auth-info-fetcher.js';
import { createClusterAuthenticator } from '../../../src/security/identity/cluster-authenticator.js';
import { selectAuthenticator } from '../../../src/security/identity/select-authenticator.js';
import { startOpenSearchStandIn, type StandIn } from '../../support/opensearch-stand-in/index.js';
import { basic, fakeClock, withAuthorization } from './helpers.js';

const USERS = [
  {
    name: 'alice',
    password: 'alice-password',
    backendRoles: ['analyst'],
    roles: ['ml_full_access'],
  },
  { name: 'admin', password: 'admin-password', backendRoles: ['admin'], roles: ['all_access'] },
];
let secured: StandIn;
let open: StandIn;
beforeAll(async () => {
  secured = await startOpenSearchStandIn({ security: { users: USERS } });
  open = await startOpenSearchStandIn();
});
afterAll(async () => {
  await secured.close();
  await open.close();
});

const authinfoCalls = () =>
  secured.requests.filter((request) => request.path === '/_plugins/_security/authinfo').length;

describe('cluster authentication against the OpenSearch stand-in', () => {
  it('should be selected for a cluster with the security plugin, and not for one without', async () => {
    expect((await selectAuthenticator({ opensearchUrl: secured.url })).kind).toBe('cluster');
    expect((await selectAuthenticator({ opensearchUrl: open.url })).kind).toBe('none');
  });

  it('should take name, backend roles and roles from authinfo, admin from all_access', async () => {
    const authenticator = await selectAuthenticator({ opensearchUrl: secured.url });
    await expect(
      authenticator.authenticate(withAuthorization(basic('alice', 'alice-password'))),
    ).resolves.toEqual({
      name: 'alice',
      backendRoles: ['analyst'],
      roles: ['ml_full_access'],
      isAdmin: false,
    });
    await expect(
      authenticator.authenticate(withAuthorization(basic('admin', 'admin-password'))),
    ).resolves.toMatchObject({
      name: 'admin',
      isAdmin: true,
    });
  });

  it('should cost one cluster call per attempt for an unknown user, and one per TTL for a known one', async () => {
    await secured.reset();
    const clock = fakeClock();
    const fetchAuthInfo = createAuthInfoFetcher({ opensearchUrl: secured.url });
    const authenticator = createClusterAuthenticator({ fetchAuthInfo, clock });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await expect(
        authenticator.authenticate(withAuthorization(basic('mallory', 'guess'))),
      ).rejects.toMatchObject({ status: 401 });
    }
    expect(authinfoCalls()).toBe(3);
    for (let attempt = 0; attempt < 3; attempt += 1)
      await authenticator.authenticate(withAuthorization(basic('alice', 'alice-password')));
    expect(authinfoCalls()).toBe(4);
    clock.advance(60_000);
    await authenticator.authenticate(withAuthorization(basic('alice', 'alice-password')));
    expect(authinfoCalls()).toBe(5);
  });

  it.each([
    ['down', 503, /unreachable \((ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET)\)/],
    ['5xx', 503, /answered \[503\]/],
    ['hang', 503, /unreachable \(TimeoutError\)/],
  ] as const)(
    'should answer a %s cluster with a %s naming the problem, and recover',
    async (mode, status, reason) => {
      const fetchAuthInfo = createAuthInfoFetcher({
        opensearchUrl: secured.url,
        timeoutMillis: 200,
      });
      const authenticator = createClusterAuthenticator({ fetchAuthInfo, clock: fakeClock() });
      await secured.fail(mode);
      try {
        await expect(
          authenticator.authenticate(withAuthorization(basic('alice', 'alice-password'))),
        ).rejects.toMatchObject({
          status,
          reason: expect.stringMatching(reason),
        });
      } finally {
        await secured.recover();
      }
      await expect(
        authenticator.authenticate(withAuthorization(basic('alice', 'alice-password'))),
      ).resolves.toMatchObject({ name: 'alice' });
    },
  );
});
