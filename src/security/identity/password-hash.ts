/**
 * Password hashes for the users file: scrypt, stored as `scrypt$N$r$p$salt_b64$hash_b64` so the
 * cost can be raised later without invalidating older entries. Verification derives with the
 * stored parameters and compares in constant time.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt's cost parameters. */
export interface ScryptParameters {
  /** CPU/memory cost, a power of two. */
  readonly cost: number;
  readonly blockSize: number;
  readonly parallelization: number;
}

/** A parsed stored hash. */
export interface PasswordHash extends ScryptParameters {
  readonly salt: Buffer;
  readonly hash: Buffer;
}

/** OWASP's scrypt baseline (N=2^15, r=8, p=1): about 32 MiB and tens of milliseconds per check. */
export const DEFAULT_SCRYPT_PARAMETERS: ScryptParameters = {
  cost: 2 ** 15,
  blockSize: 8,
  parallelization: 1,
};

const SALT_BYTES = 16;
const HASH_BYTES = 32;
// Bounds on what a file may ask for, so one entry cannot make each check take gigabytes.
const MAX_COST_TIMES_BLOCK_SIZE = 2 ** 21;
const MAX_PARALLELIZATION = 16;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Hashes a password with a fresh salt; the result is what the users file stores. */
export async function hashPassword(
  password: string,
  parameters: ScryptParameters = DEFAULT_SCRYPT_PARAMETERS,
): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, { ...parameters, salt, hash: Buffer.alloc(HASH_BYTES) });
  const { cost, blockSize, parallelization } = parameters;
  return [
    'scrypt',
    cost,
    blockSize,
    parallelization,
    salt.toString('base64'),
    hash.toString('base64'),
  ].join('$');
}

/** Parses a stored hash; `undefined` when it is not a well-formed, reasonably bounded scrypt hash. */
export function parsePasswordHash(encoded: string): PasswordHash | undefined {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [cost, blockSize, parallelization] = [1, 2, 3].map((index) =>
    positiveInteger(parts[index]),
  );
  const [saltText, hashText] = [parts[4] ?? '', parts[5] ?? ''];
  if (cost === undefined || blockSize === undefined || parallelization === undefined)
    return undefined;
  if ((cost & (cost - 1)) !== 0 || cost < 2 || cost * blockSize > MAX_COST_TIMES_BLOCK_SIZE) {
    return undefined;
  }
  if (parallelization > MAX_PARALLELIZATION) return undefined;
  if (!BASE64.test(saltText) || !BASE64.test(hashText)) return undefined;
  const salt = Buffer.from(saltText, 'base64');
  const hash = Buffer.from(hashText, 'base64');
  if (salt.length < 8 || hash.length < 16 || hash.length > 64) return undefined;
  return { cost, blockSize, parallelization, salt, hash };
}

/** A decimal without sign or leading zero, at most nine digits. */
const positiveInteger = (text: string | undefined): number | undefined =>
  text !== undefined && /^[1-9][0-9]{0,8}$/.test(text) ? Number(text) : undefined;

/** Whether `password` matches `stored`; the comparison takes the same time wherever they differ. */
export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const derived = await derive(password, stored);
  return timingSafeEqual(derived, stored.hash);
}

function derive(password: string, target: PasswordHash): Promise<Buffer> {
  const { cost: N, blockSize: r, parallelization: p } = target;
  // scrypt needs about 128·N·r bytes; Node's default ceiling (32 MiB) is just below the baseline.
  const maxmem = 256 * N * r + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFC'),
      target.salt,
      target.hash.length,
      { N, r, p, maxmem },
      (error, key) => (error === null ? resolve(key) : reject(error)),
    );
  });
}
