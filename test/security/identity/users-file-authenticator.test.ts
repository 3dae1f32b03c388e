import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../../src/security/identity/api-key-hash.js';
import { hashPassword } from '../../../src/security/identity/password-hash.js';
import { selectAuthenticator } from '../../../src/security/identity/select-authenticator.js';
import type { UsersDocument } from '../../../src/security/identity/users-document.js';
import {
  createUsersFileAuthenticator,
  fromDocument,
} from '../../../src/security/identity/users-file-authenticator.js';
import { basic, FAST_SCRYPT, fakeClock, withAuthorization } from './helpers.js';

const ALICE_PASSWORD = 'alice-password-1';
const ROOT_PASSWORD = 'root-password-1';
const BOT_KEY = 'bot-key-0123456789abcdefghij';
const ROOT_KEY = 'root-key-0123456789abcdefghij';
let document: UsersDocument;
const directory = mkdtempSync(join(tmpdir(), 'sidecar-users-auth-'));

beforeAll(async () => {
  document = {
    users: [
      {
        name: 'alice',
        password_hash: await hashPassword(ALICE_PASSWORD, FAST_SCRYPT),
        backend_roles: ['analyst'],
        admin: false,
      },
      {
        name: 'root',
        password_hash: await hashPassword(ROOT_PASSWORD, FAST_SCRYPT),
        api_key_hashes: [hashApiKey(ROOT_KEY)],
        backend_roles: [],
        admin: true,
      },
      {
        name: 'bot',
        api_key_hashes: [hashApiKey(BOT_KEY)],
        backend_roles: ['ingest'],
        admin: false,
      },
    ],
  };
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const writeUsers = (file: string, value: unknown) => {
  // Replaced by rename, as the users command does, so the file's identity changes.
  writeFileSync(`${file}.next`, JSON.stringify(value));
  renameSync(`${file}.next`, file);
};

describe('users file authenticator', () => {
  it.each([
    [
      'Basic for a user',
      () => basic('alice', ALICE_PASSWORD),
      { name: 'alice', backendRoles: ['analyst'], roles: [], isAdmin: false },
    ],
    [
      'Basic for an admin',
      () => basic('root', ROOT_PASSWORD),
      { name: 'root', backendRoles: [], roles: ['all_access'], isAdmin: true },
    ],
    [
      'an API key',
      () => `Bearer ${BOT_KEY}`,
      { name: 'bot', backendRoles: ['ingest'], roles: [], isAdmin: false },
    ],
    [
      'an admin API key',
      () => `bearer ${ROOT_KEY}`,
      { name: 'root', backendRoles: [], roles: ['all_access'], isAdmin: true },
    ],
  ])('should accept %s', async (_label, header, expected) => {
    const authenticator = fromDocument(document, { clock: fakeClock() });
    expect(authenticator.kind).toBe('users_file');
    expect(await authenticator.authenticate(withAuthorization(header()))).toEqual(expected);
  });

  it.each([
    ['a wrong password', () => basic('alice', 'alice-password-2')],
    ['another user password', () => basic('alice', ROOT_PASSWORD)],
    ['an unknown user', () => basic('mallory', ALICE_PASSWORD)],
    ['Basic for an API-key-only user, with the key as password', () => basic('bot', BOT_KEY)],
    ['an unknown API key', () => `Bearer ${BOT_KEY}x`],
    ['a password used as a bearer token', () => `Bearer ${ALICE_PASSWORD}`],
    ['an API key hash used as the key', () => `Bearer ${hashApiKey(BOT_KEY)}`],
  ])('should refuse %s with the same 401', async (_label, header) => {
    const error = await fromDocument(document, { clock: fakeClock() })
      .authenticate(withAuthorization(header()))
      .catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({
      status: 401,
      type: 'security_exception',
      reason: 'Unauthorized',
    });
    expect((error as { headers: Record<string, string> }).headers['WWW-Authenticate']).toBe(
      'Basic realm="OpenSearch Security"',
    );
  });

  it('should spend about as long on an unknown user as on a wrong password, so names cannot be probed', async () => {
    // Full-cost hashes make the difference measurable: without the decoy an unknown name is ~1000x faster.
    const authenticator = fromDocument({
      users: [
        {
          name: 'alice',
          password_hash: await hashPassword(ALICE_PASSWORD),
          backend_roles: [],
          admin: false,
        },
      ],
    });
    const fastest = async (header: string) => {
      let best = Infinity;
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const started = performance.now();
        await authenticator.authenticate(withAuthorization(header)).catch(() => undefined);
        best = Math.min(best, performance.now() - started);
      }
      return best;
    };
    const wrongPassword = await fastest(basic('alice', 'wrong-password'));
    const unknownUser = await fastest(basic('mallory', 'wrong-password'));
    expect(unknownUser).toBeGreaterThan(wrongPassword * 0.3);
  });

  it('should forget cached successes when the users change', async () => {
    const authenticator = fromDocument(document, { clock: fakeClock() });
    await authenticator.authenticate(withAuthorization(basic('alice', ALICE_PASSWORD)));
    authenticator.replaceUsers({ users: document.users.filter((user) => user.name !== 'alice') });
    await expect(
      authenticator.authenticate(withAuthorization(basic('alice', ALICE_PASSWORD))),
    ).rejects.toMatchObject({ status: 401 });
  });

  it('should re-read the file when it changes, at most once per second', async () => {
    const file = join(directory, 'reload.json');
    writeUsers(file, document);
    const clock = fakeClock();
    const authenticator = createUsersFileAuthenticator({ file, clock });
    await expect(
      authenticator.authenticate(withAuthorization(`Bearer ${BOT_KEY}`)),
    ).resolves.toMatchObject({ name: 'bot' });
    writeUsers(file, { users: document.users.filter((user) => user.name !== 'bot') });
    clock.advance(500);
    await expect(
      authenticator.authenticate(withAuthorization(`Bearer ${BOT_KEY}`)),
    ).resolves.toMatchObject({ name: 'bot' });
    clock.advance(500);
    await expect(
      authenticator.authenticate(withAuthorization(`Bearer ${BOT_KEY}`)),
    ).rejects.toMatchObject({ status: 401 });
  });

  it('should keep the previous users when an edit breaks the file, and say so without secrets', async () => {
    const file = join(directory, 'broken-edit.json');
    writeUsers(file, document);
    const clock = fakeClock();
    const warnings: string[] = [];
    const logger = {
      warn: (details: object, message: string) =>
        void warnings.push(JSON.stringify(details) + message),
    };
    const authenticator = createUsersFileAuthenticator({ file, clock, logger });
    writeUsers(file, { users: [{ name: 'alice', password_hash: 'plain-text-password' }] });
    clock.advance(1000);
    await expect(
      authenticator.authenticate(withAuthorization(basic('alice', ALICE_PASSWORD))),
    ).resolves.toMatchObject({ name: 'alice' });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /user \[alice\]: field \[password_hash\].*previous users stay in force/,
    );
    expect(warnings[0]).not.toContain('plain-text-password');
  });

  it('should stop the start on a malformed file', () => {
    const file = join(directory, 'malformed.json');
    writeFileSync(file, JSON.stringify({ users: [{ name: 'x', admin: 'no' }] }));
    expect(() => createUsersFileAuthenticator({ file })).toThrow(
      /user \[x\]: field \[admin\] must be of type boolean/,
    );
  });

  it('should be what selectAuthenticator picks for USERS_FILE without OPENSEARCH_URL', async () => {
    const file = join(directory, 'selected.json');
    writeUsers(file, document);
    const authenticator = await selectAuthenticator({ usersFile: file });
    expect(authenticator.kind).toBe('users_file');
    await expect(
      authenticator.authenticate(withAuthorization(`Bearer ${BOT_KEY}`)),
    ).resolves.toMatchObject({ name: 'bot' });
  });

  it('should fall back to USERS_FILE when the cluster has no security plugin', async () => {
    const file = join(directory, 'fallback.json');
    writeUsers(file, document);
    const fetchAuthInfo = async () => ({ status: 400, body: { error: 'no handler found' } });
    expect(
      (
        await selectAuthenticator({
          opensearchUrl: 'http://cluster',
          usersFile: file,
          fetchAuthInfo,
        })
      ).kind,
    ).toBe('users_file');
  });
});
