import { afterEach, describe, expect, it } from 'vitest';
import { createAuthInfoFetcher } from '../../../src/security/identity/auth-info-fetcher.js';
import { createClusterAuthenticator } from '../../../src/security/identity/cluster-authenticator.js';
import { selectAuthenticator } from '../../../src/security/identity/select-authenticator.js';
import { basic, fakeClock, withAuthorization } from './helpers.js';
import { startFakeCluster, type FakeCluster } from './fake-security-plugin.js';

const clusters: FakeCluster[] = [];
const start = async (options: { security: boolean; delayMillis?: number }) => {
  const cluster = await startFakeCluster(options);
  clusters.push(cluster);
  return cluster;
};
afterEach(async () => {
  for (const cluster of clusters.splice(0)) await cluster.close();
});

describe('createAuthInfoFetcher over a real socket', () => {
  it('should send the caller header to authinfo and read the JSON answer', async () => {
    const cluster = await start({ security: true });
    const answer = await createAuthInfoFetcher({ opensearchUrl: cluster.url })(
      basic('alice', 'alice-password'),
    );
    expect(answer).toMatchObject({
      status: 200,
      body: { user_name: 'alice', backend_roles: ['analyst'] },
    });
    expect(cluster.requests[0]).toMatchObject({ path: '/_plugins/_security/authinfo' });
    expect(cluster.requests[0]?.headers.authorization).toBe(basic('alice', 'alice-password'));
  });

  it('should keep a path prefix, drop credentials embedded in the URL, and send no header for the probe', async () => {
    const cluster = await start({ security: true });
    const url = cluster.url.replace('http://', 'http://service:url-secret@') + '/opensearch/';
    const answer = await createAuthInfoFetcher({ opensearchUrl: url })('');
    expect(answer).toEqual({ status: 401, body: 'Unauthorized' });
    expect(cluster.requests[0]?.path).toBe('/opensearch/_plugins/_security/authinfo');
    expect(cluster.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('should authenticate end to end and refuse a wrong password with our 401', async () => {
    const cluster = await start({ security: true });
    const authenticator = createClusterAuthenticator({
      fetchAuthInfo: createAuthInfoFetcher({ opensearchUrl: cluster.url }),
      clock: fakeClock(),
    });
    await expect(
      authenticator.authenticate(withAuthorization(basic('alice', 'alice-password'))),
    ).resolves.toEqual({
      name: 'alice',
      backendRoles: ['analyst'],
      roles: ['ml_full_access'],
      isAdmin: false,
    });
    await expect(
      authenticator.authenticate(withAuthorization(basic('alice', 'nope'))),
    ).rejects.toMatchObject({ status: 401 });
  });

  it('should turn a cluster that does not answer in time into a 503', async () => {
    const cluster = await start({ security: true, delayMillis: 2_000 });
    const fetchAuthInfo = createAuthInfoFetcher({ opensearchUrl: cluster.url, timeoutMillis: 50 });
    const authenticator = createClusterAuthenticator({ fetchAuthInfo, clock: fakeClock() });
    await expect(
      authenticator.authenticate(withAuthorization(basic('alice', 'alice-password'))),
    ).rejects.toMatchObject({
      status: 503,
      reason: expect.stringMatching(/unreachable \(TimeoutError\)/),
    });
  });

  it('should turn a refused connection into a 503 naming the error code', async () => {
    const cluster = await start({ security: true });
    await cluster.close();
    const authenticator = createClusterAuthenticator({
      fetchAuthInfo: createAuthInfoFetcher({ opensearchUrl: cluster.url }),
      clock: fakeClock(),
    });
    await expect(
      authenticator.authenticate(withAuthorization(basic('alice', 'alice-password'))),
    ).rejects.toMatchObject({
      status: 503,
      reason: expect.stringMatching(/unreachable \(ECONNREFUSED\)/),
    });
  });
});

describe('selectAuthenticator', () => {
  it('should pick the cluster when it runs the security plugin', async () => {
    const cluster = await start({ security: true });
    expect(
      (await selectAuthenticator({ opensearchUrl: cluster.url, usersFile: '/ignored.json' })).kind,
    ).toBe('cluster');
  });

  it('should fall through to none when the cluster has no security plugin and no USERS_FILE is set', async () => {
    const cluster = await start({ security: false });
    expect((await selectAuthenticator({ opensearchUrl: cluster.url })).kind).toBe('none');
  });

  it('should be none without OPENSEARCH_URL and USERS_FILE', async () => {
    expect((await selectAuthenticator({})).kind).toBe('none');
  });

  it.each([
    [500, 502],
    [503, 502],
  ])('should refuse to start when the probe gets a %s (error %s)', async (status, expected) => {
    const fetchAuthInfo = async () => ({ status, body: {} });
    await expect(
      selectAuthenticator({ opensearchUrl: 'http://cluster', fetchAuthInfo }),
    ).rejects.toMatchObject({ status: expected });
  });

  it('should refuse to start, with a 503, when the cluster is unreachable', async () => {
    const fetchAuthInfo = () => Promise.reject(new Error('ECONNREFUSED'));
    await expect(
      selectAuthenticator({ opensearchUrl: 'http://cluster', fetchAuthInfo }),
    ).rejects.toMatchObject({
      status: 503,
      reason: expect.stringMatching(/did not answer the security probe/),
    });
  });
});
