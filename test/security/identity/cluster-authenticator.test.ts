import { describe, expect, it } from 'vitest';
import { OpenSearchError } from '../../../src/errors/opensearch-error.js';
import {
  createClusterAuthenticator,
  type FetchAuthInfo,
} from '../../../src/security/identity/cluster-authenticator.js';
import { authInfoBody, basic, countingAuthInfo, fakeClock, withAuthorization } from './helpers.js';

const ALICE = basic('alice', 'alice-password');
const ADMIN = basic('admin', 'admin-password');
const answers = {
  [ALICE]: {
    status: 200,
    body: authInfoBody('alice', ['analyst', 'ml'], ['own_index', 'ml_full_access']),
  },
  [ADMIN]: { status: 200, body: authInfoBody('admin', ['admin'], ['all_access', 'own_index']) },
};

const rejection = (promise: Promise<unknown>): Promise<OpenSearchError> =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as OpenSearchError,
  );

describe('createClusterAuthenticator', () => {
  it.each([
    [
      ALICE,
      {
        name: 'alice',
        backendRoles: ['analyst', 'ml'],
        roles: ['own_index', 'ml_full_access'],
        isAdmin: false,
      },
    ],
    [
      ADMIN,
      { name: 'admin', backendRoles: ['admin'], roles: ['all_access', 'own_index'], isAdmin: true },
    ],
  ])('should take the caller from the cluster authinfo answer', async (header, expected) => {
    const authenticator = createClusterAuthenticator({
      fetchAuthInfo: countingAuthInfo(answers),
      clock: fakeClock(),
    });
    expect(authenticator.kind).toBe('cluster');
    expect(await authenticator.authenticate(withAuthorization(header))).toEqual(expected);
  });

  it('should forward the header to the cluster as the caller sent it', async () => {
    const fetchAuthInfo = countingAuthInfo(answers);
    await createClusterAuthenticator({ fetchAuthInfo, clock: fakeClock() }).authenticate(
      withAuthorization(ALICE),
    );
    expect(fetchAuthInfo.calls).toEqual([ALICE]);
  });

  it('should pass a bearer token (a JWT) through to the cluster', async () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJl';
    const fetchAuthInfo = countingAuthInfo({
      [`Bearer ${jwt}`]: { status: 200, body: authInfoBody('bob', [], []) },
    });
    const identity = await createClusterAuthenticator({
      fetchAuthInfo,
      clock: fakeClock(),
    }).authenticate(withAuthorization(`Bearer ${jwt}`));
    expect(identity?.name).toBe('bob');
  });

  it('should reuse a success within the TTL and ask again once it expires', async () => {
    const clock = fakeClock();
    const fetchAuthInfo = countingAuthInfo(answers);
    const authenticator = createClusterAuthenticator({ fetchAuthInfo, clock, ttlMillis: 60_000 });
    await authenticator.authenticate(withAuthorization(ALICE));
    clock.advance(59_999);
    await authenticator.authenticate(withAuthorization(ALICE));
    expect(fetchAuthInfo.calls).toHaveLength(1);
    clock.advance(1);
    await authenticator.authenticate(withAuthorization(ALICE));
    expect(fetchAuthInfo.calls).toHaveLength(2);
  });

  it('should cache per header: another caller is looked up separately', async () => {
    const fetchAuthInfo = countingAuthInfo(answers);
    const authenticator = createClusterAuthenticator({ fetchAuthInfo, clock: fakeClock() });
    await authenticator.authenticate(withAuthorization(ALICE));
    await authenticator.authenticate(withAuthorization(ADMIN));
    await authenticator.authenticate(withAuthorization(ADMIN));
    expect(fetchAuthInfo.calls).toEqual([ALICE, ADMIN]);
  });

  it('should drop the oldest entry beyond maxEntries', async () => {
    const fetchAuthInfo = countingAuthInfo(answers);
    const authenticator = createClusterAuthenticator({
      fetchAuthInfo,
      clock: fakeClock(),
      maxEntries: 1,
    });
    for (const header of [ALICE, ADMIN, ALICE])
      await authenticator.authenticate(withAuthorization(header));
    expect(fetchAuthInfo.calls).toEqual([ALICE, ADMIN, ALICE]);
  });

  it('should turn a cluster 401 or 403 into our 401 and never cache the failure', async () => {
    const wrong = basic('alice', 'wrong');
    const fetchAuthInfo = countingAuthInfo({
      [wrong]: { status: 403, body: { error: 'no permissions' } },
    });
    const authenticator = createClusterAuthenticator({ fetchAuthInfo, clock: fakeClock() });
    for (const header of [wrong, wrong, basic('nobody', 'whatever')]) {
      const error = await rejection(authenticator.authenticate(withAuthorization(header)));
      expect(error).toMatchObject({
        status: 401,
        type: 'security_exception',
        reason: 'Unauthorized',
      });
      expect(error.headers['WWW-Authenticate']).toBe('Basic realm="OpenSearch Security"');
    }
    expect(fetchAuthInfo.calls).toHaveLength(3);
  });

  it('should share one lookup between concurrent checks of the same header, success or failure', async () => {
    const calls: string[] = [];
    let answer: (value: { status: number; body: unknown }) => void = () => undefined;
    const fetchAuthInfo: FetchAuthInfo = (header) => {
      calls.push(header);
      return new Promise((resolve) => (answer = resolve));
    };
    const authenticator = createClusterAuthenticator({ fetchAuthInfo, clock: fakeClock() });
    const unknown = basic('mallory', 'guess');
    const attempts = Array.from({ length: 5 }, () =>
      rejection(authenticator.authenticate(withAuthorization(unknown))),
    );
    await Promise.resolve();
    expect(calls).toHaveLength(1);
    answer({ status: 401, body: 'Unauthorized' });
    for (const error of await Promise.all(attempts)) expect(error.status).toBe(401);
    // The next attempt is a new lookup: failures are not remembered.
    const next = rejection(authenticator.authenticate(withAuthorization(unknown)));
    await Promise.resolve();
    answer({ status: 401, body: 'Unauthorized' });
    await next;
    expect(calls).toHaveLength(2);
  });

  it.each<[string, FetchAuthInfo, number, RegExp]>([
    [
      'connection refused',
      () =>
        Promise.reject(
          Object.assign(new Error(`connect ECONNREFUSED, header ${ALICE}`), {
            code: 'ECONNREFUSED',
          }),
        ),
      503,
      /unreachable \(ECONNREFUSED\)/,
    ],
    [
      'a timeout',
      () =>
        Promise.reject(
          new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
        ),
      503,
      /unreachable \(TimeoutError\)/,
    ],
    ['a cluster 503', () => Promise.resolve({ status: 503, body: {} }), 503, /answered \[503\]/],
    ['a cluster 500', () => Promise.resolve({ status: 500, body: {} }), 502, /answered \[500\]/],
    [
      'no security plugin (400 no handler)',
      () => Promise.resolve({ status: 400, body: {} }),
      502,
      /security plugin installed/,
    ],
    [
      'a 200 of the wrong shape',
      () => Promise.resolve({ status: 200, body: { user_name: 7 } }),
      502,
      /authinfo answer has no user_name/,
    ],
    [
      'a 200 with roles that are not strings',
      () => Promise.resolve({ status: 200, body: { user_name: 'a', roles: [1] } }),
      502,
      /string lists/,
    ],
  ])(
    'should map %s to a %s naming the cluster problem',
    async (_label, fetchAuthInfo, status, reason) => {
      const error = await rejection(
        createClusterAuthenticator({ fetchAuthInfo, clock: fakeClock() }).authenticate(
          withAuthorization(ALICE),
        ),
      );
      expect(error).toBeInstanceOf(OpenSearchError);
      expect(error.status).toBe(status);
      expect(error.reason).toMatch(/OpenSearch cluster \(OPENSEARCH_URL\)/);
      expect(error.reason).toMatch(reason);
      expect(error.reason).not.toContain(ALICE.slice(6));
    },
  );

  it('should not cache an outage: the next attempt asks again', async () => {
    let up = false;
    let calls = 0;
    const fetchAuthInfo: FetchAuthInfo = async () => {
      calls += 1;
      if (!up) throw Object.assign(new Error('down'), { code: 'ECONNRESET' });
      return { status: 200, body: authInfoBody('alice', [], []) };
    };
    const authenticator = createClusterAuthenticator({ fetchAuthInfo, clock: fakeClock() });
    await expect(authenticator.authenticate(withAuthorization(ALICE))).rejects.toMatchObject({
      status: 503,
    });
    up = true;
    await expect(authenticator.authenticate(withAuthorization(ALICE))).resolves.toMatchObject({
      name: 'alice',
    });
    expect(calls).toBe(2);
  });
});
