import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { OpenSearchError } from '../errors/opensearch-error.js';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Written before the IV: `v2:<key id>:` (v1, without key id, is still read). */
const LEGACY_PREFIX = 'v1:';
const FORMAT_VERSION = 'v2';

/**
 * Encrypts credential values one by one with AES-256-GCM and a fresh IV each time. The associated
 * data binds a ciphertext to its record and key, so a value copied into another record or under
 * another key fails to decrypt instead of being silently reused. Every ciphertext names the key
 * it was made with (`v2:<key id>:...`), so a key rotation knows what to re-encrypt.
 */
export class CredentialCipher {
  /** A public name of the key: the first 8 bytes of an HMAC of a fixed label, in hex. */
  readonly keyId: string;

  constructor(private readonly masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('The master key must be 32 bytes');
    this.keyId = this.mac('opensearch-ml-sidecar key id').subarray(0, 8).toString('hex');
  }

  /**
   * A value that tells whether another process holds the same key without revealing it: the
   * cluster store keeps this, never the key.
   */
  keyCheck(): string {
    return this.mac('opensearch-ml-sidecar key check').toString('hex');
  }

  encrypt(plaintext: string, associatedData: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.masterKey, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${FORMAT_VERSION}:${this.keyId}:${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64')}`;
  }

  decrypt(stored: string, associatedData: string): string {
    const packed = this.unpack(stored);
    if (packed.length < IV_BYTES + TAG_BYTES) throw undecryptable();
    try {
      const decipher = createDecipheriv(ALGORITHM, this.masterKey, packed.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(associatedData, 'utf8'));
      decipher.setAuthTag(packed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(packed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw undecryptable();
    }
  }

  /** The IV, tag and ciphertext of a stored value made with this key. */
  private unpack(stored: string): Buffer {
    if (stored.startsWith(LEGACY_PREFIX)) return Buffer.from(stored.slice(LEGACY_PREFIX.length), 'base64');
    const [version, keyId, data] = stored.split(':', 3);
    if (version !== FORMAT_VERSION || keyId !== this.keyId || data === undefined) throw undecryptable();
    return Buffer.from(data, 'base64');
  }

  private mac(label: string): Buffer {
    return createHmac('sha256', this.masterKey).update(label, 'utf8').digest();
  }

  /** Encrypts every value of a credential map; `recordId` scopes the associated data. */
  encryptMap(credential: Readonly<Record<string, string>>, recordId: string): Record<string, string> {
    return mapValues(credential, (key, value) => this.encrypt(value, `${recordId}/${key}`));
  }

  decryptMap(stored: Readonly<Record<string, string>>, recordId: string): Record<string, string> {
    return mapValues(stored, (key, value) => this.decrypt(value, `${recordId}/${key}`));
  }
}

function mapValues(
  input: Readonly<Record<string, string>>,
  transform: (key: string, value: string) => string,
): Record<string, string> {
  const output: Record<string, string> = Object.create(null);
  for (const [key, value] of Object.entries(input)) output[key] = transform(key, value);
  return output;
}

// Deliberately vague: a wrong master key and tampered data look the same, and neither may echo data.
const undecryptable = () =>
  new OpenSearchError({
    status: 500,
    type: 'm_l_exception',
    reason: 'Failed to decrypt a stored credential: the master key does not match the one it was encrypted with',
  });
