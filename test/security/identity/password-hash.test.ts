import { describe, expect, it } from 'vitest';
import { hashApiKey, apiKeyMatches } from '../../../src/security/identity/api-key-hash.js';
import {
  hashPassword,
  parsePasswordHash,
  verifyPassword,
} from '../../../src/security/identity/password-hash.js';
import { FAST_SCRYPT } from './helpers.js';

describe('password hashes', () => {
  it('should encode scrypt$N$r$p$salt$hash and verify only the right password', async () => {
    const encoded = await hashPassword('s3cret-passw0rd', FAST_SCRYPT);
    expect(encoded).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(encoded).not.toContain('s3cret');
    const parsed = parsePasswordHash(encoded);
    expect(parsed).toBeDefined();
    expect(await verifyPassword('s3cret-passw0rd', parsed!)).toBe(true);
    expect(await verifyPassword('s3cret-passw0rd ', parsed!)).toBe(false);
    expect(await verifyPassword('', parsed!)).toBe(false);
  });

  it('should salt: the same password hashes differently each time', async () => {
    expect(await hashPassword('same', FAST_SCRYPT)).not.toBe(
      await hashPassword('same', FAST_SCRYPT),
    );
  });

  it('should use OWASP-level cost by default', async () => {
    expect(await hashPassword('default-cost')).toMatch(/^scrypt\$32768\$8\$1\$/);
  });

  const salt = Buffer.alloc(16, 1).toString('base64');
  const hash = Buffer.alloc(32, 2).toString('base64');
  it.each([
    ['another algorithm', `bcrypt$1024$8$1$${salt}$${hash}`],
    ['too few parts', `scrypt$1024$8$${salt}$${hash}`],
    ['N not a power of two', `scrypt$1000$8$1$${salt}$${hash}`],
    ['N too large for r', `scrypt$1048576$32$1$${salt}$${hash}`],
    ['p too large', `scrypt$1024$8$99$${salt}$${hash}`],
    ['leading zero', `scrypt$01024$8$1$${salt}$${hash}`],
    ['short salt', `scrypt$1024$8$1$AAAA$${hash}`],
    ['non-base64 hash', `scrypt$1024$8$1$${salt}$!!!!`],
  ])('should refuse a stored hash with %s', (_label, encoded) => {
    expect(parsePasswordHash(encoded)).toBeUndefined();
  });
});

describe('API key hashes', () => {
  it('should store the hex SHA-256 and match only that key', () => {
    const key = 'k'.repeat(40);
    const stored = hashApiKey(key);
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    const hashes = [
      Buffer.from(hashApiKey('other-key-other-key-1'), 'hex'),
      Buffer.from(stored, 'hex'),
    ];
    expect(apiKeyMatches(key, hashes)).toBe(true);
    expect(apiKeyMatches(`${key}x`, hashes)).toBe(false);
    expect(apiKeyMatches(key, [])).toBe(false);
  });
});
