import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  parseUsersDocument,
  readUsersFile,
} from '../../../src/security/identity/users-document.js';

const HASH = `scrypt$1024$8$1$${Buffer.alloc(16, 1).toString('base64')}$${Buffer.alloc(32, 2).toString('base64')}`;
const KEY_HASH = 'ab'.repeat(32);
const directory = mkdtempSync(join(tmpdir(), 'sidecar-users-doc-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('parseUsersDocument', () => {
  it('should fill defaults without touching the caller object', () => {
    const input = { users: [{ name: 'alice', password_hash: HASH }] };
    expect(parseUsersDocument(input, 'users.json')).toEqual({
      users: [{ name: 'alice', password_hash: HASH, backend_roles: [], admin: false }],
    });
    expect(input.users[0]).not.toHaveProperty('admin');
  });

  it.each<[string, unknown, RegExp]>([
    ['no users list', {}, /missing required field \[users\]/],
    ['an unknown top-level field', { users: [], roles: [] }, /unknown field \[roles\]/],
    [
      'a user without a name',
      { users: [{ admin: true }] },
      /user #1: missing required field \[name\]/,
    ],
    [
      'a plain-text password field',
      { users: [{ name: 'bob', password: 'hunter2' }] },
      /user \[bob\]: unknown field \[password\]/,
    ],
    [
      'an admin flag that is a string',
      { users: [{ name: 'carol', admin: 'yes' }] },
      /user \[carol\]: field \[admin\] must be of type boolean/,
    ],
    [
      'backend roles that are not a list',
      { users: [{ name: 'dave', backend_roles: 'ml' }] },
      /user \[dave\]: field \[backend_roles\] must be of type array/,
    ],
    [
      'an API key hash that is not hex SHA-256',
      { users: [{ name: 'erin', api_key_hashes: ['plain-key'] }] },
      /user \[erin\]: field \[api_key_hashes.0\] must match pattern/,
    ],
    ['a name with a colon', { users: [{ name: 'a:b' }] }, /field \[name\] must match pattern/],
    [
      'a password hash of another algorithm',
      { users: [{ name: 'frank', password_hash: 'bcrypt$xyz' }] },
      /user \[frank\]: field \[password_hash\] must match pattern/,
    ],
    [
      'a malformed scrypt hash',
      { users: [{ name: 'grace', password_hash: 'scrypt$3$8$1$AAAA$BBBB' }] },
      /user \[grace\] field \[password_hash\] is not scrypt/,
    ],
    [
      'a duplicate name',
      { users: [{ name: 'heidi' }, { name: 'heidi' }] },
      /user \[heidi\] appears more than once/,
    ],
  ])('should refuse %s with a message naming the user and field', (_label, document, message) => {
    let caught: unknown;
    try {
      parseUsersDocument(document, 'users.json');
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ status: 500, type: 'settings_exception' });
    const reason = (caught as { reason: string }).reason;
    expect(reason).toMatch(/^users file \[users\.json\]: /);
    expect(reason).toMatch(message);
    expect(reason).not.toContain('hunter2');
    expect(reason).not.toContain('plain-key');
  });

  it('should accept API-key-only users', () => {
    expect(
      parseUsersDocument({ users: [{ name: 'bot', api_key_hashes: [KEY_HASH] }] }, 'x').users[0]
        ?.api_key_hashes,
    ).toEqual([KEY_HASH]);
  });
});

describe('readUsersFile', () => {
  it('should name an unreadable file', () => {
    expect(() => readUsersFile(join(directory, 'missing.json'))).toThrow(
      /missing\.json\]: cannot be read \(ENOENT\)/,
    );
  });

  it('should refuse invalid JSON without quoting its text', () => {
    const file = join(directory, 'broken.json');
    writeFileSync(file, `{"users": [{"name": "a", "password_hash": "${HASH}"`);
    let reason = '';
    try {
      readUsersFile(file);
    } catch (error) {
      reason = (error as { reason: string }).reason;
    }
    expect(reason).toMatch(/is not valid JSON$/);
    expect(reason).not.toContain(HASH.slice(-20));
  });
});
