import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { OpenSearchError } from '../errors/opensearch-error.js';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Written before the IV: `v2:<key id>:` (v1, without key id, is still read). */
const LEGACY_PREFIX = 'v1:';
const FORMAT_VERSION = 'v2';

/** One 32-byte master key and its public names. */
class MasterKey {
  /** A public name of the key: the first 8 bytes of an HMAC of a fixed label, in hex. */
  readonly id: string;

  constructor(readonly bytes: Buffer) {
    if (bytes.length !== 32) throw new Error('The master key must be 32 bytes');
    this.id = this.mac('opensearch-ml-sidecar key id').subarray(0, 8).toString('hex');
  }

  mac(label: string): Buffer {
    return createHmac('sha256', this.bytes).update(label, 'utf8').digest();
  }
}

/**
 * Encrypts credential values one by one with AES-256-GCM and a fresh IV each time. The associated
 * data binds a ciphertext to its record and key, so a value copied into another record or under
 * another key fails to decrypt instead of being silently reused. Every ciphertext names the key
 * it was made with (`v2:<key id>:...`). During a key rotation the cipher also holds the previous
 * keys: it decrypts with whichever key a value names and always encrypts with the current one.
 */
export class CredentialCipher {
  private readonly current: MasterKey;
  private readonly byId: ReadonlyMap<string, MasterKey>;

  constructor(masterKey: Buffer, options: { previousKeys?: readonly Buffer[] } = {}) {
    this.current = new MasterKey(masterKey);
    const keys = [this.current, ...(options.previousKeys ?? []).map((bytes) => new MasterKey(bytes))];
    this.byId = new Map(keys.map((key) => [key.id, key]));
  }

  /** The id of the key new values are encrypted with. */
  get keyId(): string {
    return this.current.id;
  }

  /** The ids of every key this cipher can decrypt with (the current one first). */
  get keyIds(): string[] {
    return [...this.byId.keys()];
  }

  /**
   * A value that tells whether another process holds the same key without revealing it: the
   * cluster store keeps this, never the key.
   */
  keyCheck(keyId: string = this.current.id): string | undefined {
    return this.byId.get(keyId)?.mac('opensearch-ml-sidecar key check').toString('hex');
  }

  encrypt(plaintext: string, associatedData: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.current.bytes, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${FORMAT_VERSION}:${this.current.id}:${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64')}`;
  }

  decrypt(stored: string, associatedData: string): string {
    if (stored.startsWith(LEGACY_PREFIX)) {
      // Written before values named their key: try each key, the current one first.
      const packed = Buffer.from(stored.slice(LEGACY_PREFIX.length), 'base64');
      for (const key of this.byId.values()) {
        const plaintext = open(key, packed, associatedData);
        if (plaintext !== undefined) return plaintext;
      }
      throw undecryptable();
    }
    const [version, keyId, data] = stored.split(':', 3);
    const key = keyId === undefined ? undefined : this.byId.get(keyId);
    if (version !== FORMAT_VERSION || key === undefined || data === undefined) throw undecryptable();
    const plaintext = open(key, Buffer.from(data, 'base64'), associatedData);
    if (plaintext === undefined) throw undecryptable();
    return plaintext;
  }

  /** The id of the key a stored value names (`legacy` for v1 values, which name none). */
  static keyIdOf(stored: string): string {
    if (stored.startsWith(LEGACY_PREFIX)) return 'legacy';
    return stored.split(':', 3)[1] ?? 'unknown';
  }

  /** Whether a stored value was made with another key than the current one. */
  isStale(stored: string): boolean {
    return CredentialCipher.keyIdOf(stored) !== this.current.id;
  }

  /** Encrypts every value of a credential map; `recordId` scopes the associated data. */
  encryptMap(credential: Readonly<Record<string, string>>, recordId: string, field = CREDENTIAL): Record<string, string> {
    return mapValues(credential, (key, value) => this.encrypt(value, associatedData(recordId, field, key)));
  }

  decryptMap(stored: Readonly<Record<string, string>>, recordId: string, field = CREDENTIAL): Record<string, string> {
    return mapValues(stored, (key, value) => this.decrypt(value, associatedData(recordId, field, key)));
  }
}

const CREDENTIAL = 'credential';

/**
 * What a value is bound to: its record and key, and for any field other than `credential` the field
 * too (`<record>/<field>/<key>`), so a value cannot move between a connector's credential and its
 * previous credential either. `credential` keeps the original `<record>/<key>` form.
 */
function associatedData(recordId: string, field: string, key: string): string {
  return field === CREDENTIAL ? `${recordId}/${key}` : `${recordId}/${field}/${key}`;
}

function open(key: MasterKey, packed: Buffer, associatedData: string): string | undefined {
  if (packed.length < IV_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv(ALGORITHM, key.bytes, packed.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(packed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(packed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
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
