import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { OpenSearchError } from '../errors/opensearch-error.js';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT_PREFIX = 'v1:';

/**
 * Encrypts credential values one by one with AES-256-GCM and a fresh IV each time. The associated
 * data binds a ciphertext to its record and key, so a value copied into another record or under
 * another key fails to decrypt instead of being silently reused.
 */
export class CredentialCipher {
  constructor(private readonly masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('The master key must be 32 bytes');
  }

  encrypt(plaintext: string, associatedData: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.masterKey, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return FORMAT_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
  }

  decrypt(stored: string, associatedData: string): string {
    if (!stored.startsWith(FORMAT_PREFIX)) throw undecryptable();
    const packed = Buffer.from(stored.slice(FORMAT_PREFIX.length), 'base64');
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
