import { describe, expect, it } from 'vitest';
import { CredentialCipher } from '../../src/security/credential-cipher.js';

const cipher = new CredentialCipher(Buffer.alloc(32, 1));
/** The IV, tag and ciphertext of a `v2:<key id>:<base64>` value. */
const packed = (stored: string) => Buffer.from(stored.split(':')[2]!, 'base64');

describe('CredentialCipher', () => {
  it('should round-trip a value and never store the plaintext', () => {
    const stored = cipher.encrypt('sk-very-secret', 'connector-1/openAI_key');
    expect(stored).not.toContain('sk-very-secret');
    expect(packed(stored).includes(Buffer.from('sk-very-secret'))).toBe(false);
    expect(cipher.decrypt(stored, 'connector-1/openAI_key')).toBe('sk-very-secret');
  });

  it('should use a fresh IV for every encryption', () => {
    expect(cipher.encrypt('same', 'a/b')).not.toBe(cipher.encrypt('same', 'a/b'));
  });

  it.each([
    ['another record', 'connector-2/openAI_key'],
    ['another key', 'connector-1/other'],
  ])('should refuse a ciphertext moved to %s', (_case, associatedData) => {
    const stored = cipher.encrypt('secret', 'connector-1/openAI_key');
    expect(() => cipher.decrypt(stored, associatedData)).toThrow(/Failed to decrypt/);
  });

  it('should refuse tampered data and a different master key without echoing data', () => {
    const stored = cipher.encrypt('secret', 'r/k');
    const bytes = packed(stored);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 1, bytes.length - 1);
    expect(() => cipher.decrypt(`v2:${cipher.keyId}:${bytes.toString('base64')}`, 'r/k')).toThrow(/Failed to decrypt/);
    const other = new CredentialCipher(Buffer.alloc(32, 2));
    expect(() => other.decrypt(stored, 'r/k')).toThrow(/^(?!.*secret).*Failed to decrypt/);
    expect(() => cipher.decrypt('garbage', 'r/k')).toThrow(/Failed to decrypt/);
  });

  it('should encrypt maps value by value', () => {
    const encrypted = cipher.encryptMap({ access_key: 'AK', secret_key: 'SK' }, 'rec');
    expect(Object.keys(encrypted)).toEqual(['access_key', 'secret_key']);
    expect(cipher.decryptMap(encrypted, 'rec')).toEqual({ access_key: 'AK', secret_key: 'SK' });
  });

  it('should name the key in every ciphertext, and refuse a value made with another key by its id', () => {
    const stored = cipher.encrypt('secret', 'r/k');
    expect(cipher.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(stored.startsWith(`v2:${cipher.keyId}:`)).toBe(true);
    const other = new CredentialCipher(Buffer.alloc(32, 2));
    expect(other.keyId).not.toBe(cipher.keyId);
    expect(() => other.decrypt(stored, 'r/k')).toThrow(/Failed to decrypt/);
  });

  it('should still read values written before ciphertexts carried a key id (v1)', () => {
    const v2 = cipher.encrypt('secret', 'r/k');
    const v1 = `v1:${v2.split(':')[2]}`;
    expect(cipher.decrypt(v1, 'r/k')).toBe('secret');
  });

  it('should give a key check that matches only the same key and reveals neither key nor id', () => {
    const same = new CredentialCipher(Buffer.alloc(32, 1));
    const other = new CredentialCipher(Buffer.alloc(32, 2));
    expect(same.keyCheck()).toBe(cipher.keyCheck());
    expect(other.keyCheck()).not.toBe(cipher.keyCheck());
    expect(cipher.keyCheck()).not.toContain(Buffer.alloc(32, 1).toString('hex'));
    expect(cipher.keyCheck()).not.toContain(cipher.keyId);
  });
});
