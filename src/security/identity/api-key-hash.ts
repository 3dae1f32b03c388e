/**
 * API keys for the users file: only the SHA-256 of a key is stored. A key is long and random, so a
 * plain hash is enough (unlike a password, it cannot be guessed from its hash).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** The shortest API key accepted, so a key is never as weak as a short password. */
export const MIN_API_KEY_LENGTH = 20;

/** The lowercase hex SHA-256 of a key, as the users file stores it. */
export const hashApiKey = (key: string): string =>
  createHash('sha256').update(key, 'utf8').digest('hex');

/**
 * Whether `key` hashes to one of `storedHashes` (lowercase hex). Every stored hash is compared in
 * constant time and the loop never stops early, so timing tells nothing about which one matched.
 */
export function apiKeyMatches(key: string, storedHashes: readonly Buffer[]): boolean {
  const presented = createHash('sha256').update(key, 'utf8').digest();
  let matched = false;
  for (const stored of storedHashes) {
    if (stored.length === presented.length && timingSafeEqual(stored, presented)) matched = true;
  }
  return matched;
}
