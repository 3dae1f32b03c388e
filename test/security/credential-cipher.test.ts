import { describe, expect, it } from 'vitest';
import { CredentialCipher } from '../../src/security/credential-cipher.js';

const cipher = new CredentialCipher(Buffer.alloc(32, 1));

describe('CredentialCipher', () => {
  it('should round-trip a value and never store the plaintext', () => {
    const stored = cipher.encrypt('sk-very-secret', 'connector-1/openAI_key');
    expect(stored).not.toContain('sk-very-secret');
    expect(Buffer.from(stored.slice(3), 'base64').includes(Buffer.from('sk-very-secret'))).toBe(false);
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
    const bytes = Buffer.from(stored.slice(3), 'base64');
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 1, bytes.length - 1);
    expect(() => cipher.decrypt(`v1:${bytes.toString('base64')}`, 'r/k')).toThrow(/Failed to decrypt/);
    const other = new CredentialCipher(Buffer.alloc(32, 2));
    expect(() => other.decrypt(stored, 'r/k')).toThrow(/^(?!.*secret).*Failed to decrypt/);
    expect(() => cipher.decrypt('garbage', 'r/k')).toThrow(/Failed to decrypt/);
  });

  it('should encrypt maps value by value', () => {
    const encrypted = cipher.encryptMap({ access_key: 'AK', secret_key: 'SK' }, 'rec');
    expect(Object.keys(encrypted)).toEqual(['access_key', 'secret_key']);
    expect(cipher.decryptMap(encrypted, 'rec')).toEqual({ access_key: 'AK', secret_key: 'SK' });
  });
});
