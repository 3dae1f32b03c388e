/**
 * A short-lived cache of successful authentications. Entries are keyed by an HMAC-SHA-256 of the
 * `Authorization` header under a key made for this process, so neither the header nor a plain
 * hash of it (which a weak password would make guessable) is ever held.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Clock } from '../../util/clock.js';
import type { CallerIdentity } from './identity.js';

/** Successful authentications, for `ttlMillis`, at most `maxEntries` (the oldest go first). */
export interface IdentityCache {
  /** The key a header is cached under (an HMAC of it; also usable to key lookups in progress). */
  keyFor(header: string): string;
  get(key: string): CallerIdentity | undefined;
  set(key: string, identity: CallerIdentity): void;
  clear(): void;
  readonly size: number;
}

/** Creates an empty cache. */
export function createIdentityCache(options: {
  clock: Clock;
  ttlMillis: number;
  maxEntries: number;
}): IdentityCache {
  const hmacKey = randomBytes(32);
  const entries = new Map<string, { identity: CallerIdentity; expiresAt: number }>();
  return {
    keyFor: (header) => createHmac('sha256', hmacKey).update(header, 'utf8').digest('base64'),
    get(key) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      if (options.clock.now() >= entry.expiresAt) {
        entries.delete(key);
        return undefined;
      }
      return entry.identity;
    },
    set(key, identity) {
      if (options.ttlMillis <= 0 || options.maxEntries <= 0) return;
      entries.delete(key);
      entries.set(key, { identity, expiresAt: options.clock.now() + options.ttlMillis });
      // A Map iterates in insertion order, so the first key is the oldest entry.
      while (entries.size > options.maxEntries)
        entries.delete(entries.keys().next().value as string);
    },
    clear: () => entries.clear(),
    get size() {
      return entries.size;
    },
  };
}
