import { describe, expect, it } from 'vitest';
import { OpenSearchError } from '../../../src/errors/opensearch-error.js';
import { renderError } from '../../../src/errors/render-error.js';
import { createClusterAuthenticator } from '../../../src/security/identity/cluster-authenticator.js';
import type { Authenticator } from '../../../src/security/identity/identity.js';
import { hashApiKey } from '../../../src/security/identity/api-key-hash.js';
import { hashPassword } from '../../../src/security/identity/password-hash.js';
import { fromDocument } from '../../../src/security/identity/users-file-authenticator.js';
import {
  authInfoBody,
  basic,
  countingAuthInfo,
  FAST_SCRYPT,
  fakeClock,
  withAuthorization,
} from './helpers.js';

const PASSWORD = 'correct horse battery';
const invalidUtf8 = `Basic ${Buffer.concat([Buffer.from('alice:'), Buffer.from([0xc3, 0x28, 0xff])]).toString('base64')}`;
// Valid credentials, just too long: without the size limit both would be accepted, not refused.
const LONG_PASSWORD = 'p'.repeat(15 * 1024);
const LONG_API_KEY = 'K'.repeat(20 * 1024);

/** Malformed or forged headers: every one must be a 401 with the challenge, and echo nothing of itself. */
const BAD_HEADERS: Array<[label: string, header: string | undefined, reason: string]> = [
  ['no header', undefined, 'missing authentication credentials for REST request'],
  ['empty header', '', 'missing authentication credentials for REST request'],
  ['Basic !!!', 'Basic !!!', 'Unauthorized'],
  ['Basic alone', 'Basic', 'Unauthorized'],
  ['Basic and spaces', 'Basic    ', 'Unauthorized'],
  ['Bearer alone', 'Bearer', 'Unauthorized'],
  ['Bearer with a non-token68 value', 'Bearer se(cret)', 'Unauthorized'],
  ['invalid base64 (bad padding)', 'Basic YWxpY2U6c2VjcmV0=x', 'Unauthorized'],
  ['base64 without padding', 'Basic YWxpY2U6c2VjcmV0MQ', 'Unauthorized'],
  ['invalid UTF-8 after decoding', invalidUtf8, 'Unauthorized'],
  ['no colon', `Basic ${Buffer.from('alicesecret').toString('base64')}`, 'Unauthorized'],
  ['empty user name', basic('', PASSWORD), 'Unauthorized'],
  ['control character in the password', basic('alice', 'pass\nword'), 'Unauthorized'],
  ['20 KB Basic token', basic('long', LONG_PASSWORD), 'Unauthorized'],
  ['20 KB Bearer token', `Bearer ${LONG_API_KEY}`, 'Unauthorized'],
  ['unknown scheme', 'Digest username="alice"', 'Unauthorized'],
  ['two tokens', 'Basic YWxpY2U6eA== YWxpY2U6eA==', 'Unauthorized'],
  ['scheme only garbage', '!!!', 'Unauthorized'],
];

async function makeAuthenticators(): Promise<Array<[string, Authenticator, () => number]>> {
  const users = fromDocument(
    {
      users: [
        {
          name: 'alice',
          password_hash: await hashPassword(PASSWORD, FAST_SCRYPT),
          backend_roles: [],
          admin: false,
        },
        {
          name: 'long',
          password_hash: await hashPassword(LONG_PASSWORD, FAST_SCRYPT),
          api_key_hashes: [hashApiKey(LONG_API_KEY)],
          backend_roles: [],
          admin: false,
        },
      ],
    },
    { clock: fakeClock() },
  );
  const fetchAuthInfo = countingAuthInfo({
    [basic('alice', PASSWORD)]: { status: 200, body: authInfoBody('alice', [], []) },
    [basic('long', LONG_PASSWORD)]: { status: 200, body: authInfoBody('long', [], []) },
    [`Bearer ${LONG_API_KEY}`]: { status: 200, body: authInfoBody('long', [], []) },
  });
  const cluster = createClusterAuthenticator({ fetchAuthInfo, clock: fakeClock() });
  return [
    ['users_file', users, () => 0],
    ['cluster', cluster, () => fetchAuthInfo.calls.length],
  ];
}

describe('malformed Authorization headers', async () => {
  const authenticators = await makeAuthenticators();

  describe.each(authenticators)('%s authenticator', (_kind, authenticator, clusterCalls) => {
    it.each(BAD_HEADERS)(
      'should answer %s with a 401 that echoes nothing',
      async (_label, header, reason) => {
        const callsBefore = clusterCalls();
        const error = await authenticator.authenticate(withAuthorization(header)).then(
          () => undefined,
          (thrown: unknown) => thrown,
        );
        expect(error).toBeInstanceOf(OpenSearchError);
        const rendered = renderError(error);
        expect(rendered.status).toBe(401);
        expect(rendered.headers['WWW-Authenticate']).toBe('Basic realm="OpenSearch Security"');
        expect(rendered.body.error).toMatchObject({ type: 'security_exception', reason });
        // Refused locally: a malformed header never costs a cluster call.
        expect(clusterCalls()).toBe(callsBefore);
        const everything =
          JSON.stringify(rendered) +
          String((error as Error).message) +
          String((error as Error).stack);
        const token = header?.split(/\s+/)[1];
        if (token !== undefined && token.length >= 4) expect(everything).not.toContain(token);
        expect(everything).not.toContain(PASSWORD);
        expect(everything).not.toContain(LONG_PASSWORD.slice(0, 64));
      },
    );
  });

  it('should accept the well-formed header both ways, so the table above tests the parser and not a broken setup', async () => {
    for (const [, authenticator] of authenticators) {
      await expect(
        authenticator.authenticate(withAuthorization(basic('alice', PASSWORD))),
      ).resolves.toMatchObject({ name: 'alice' });
      await expect(
        authenticator.authenticate(
          withAuthorization(`basic  ${basic('alice', PASSWORD).slice(6)} `),
        ),
      ).resolves.toMatchObject({
        name: 'alice',
      });
    }
  });
});
