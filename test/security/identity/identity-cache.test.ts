import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createIdentityCache } from '../../../src/security/identity/identity-cache.js';
import { basic, fakeClock } from './helpers.js';

const alice = { name: 'alice', backendRoles: [], roles: [], isAdmin: false };

describe('createIdentityCache', () => {
  it('should key entries by a keyed hash, never the header or its plain SHA-256', () => {
    const header = basic('alice', 'weak');
    const key = createIdentityCache({ clock: fakeClock(), ttlMillis: 1000, maxEntries: 10 }).keyFor(
      header,
    );
    expect(key).not.toContain(header.slice(6));
    expect(key).not.toBe(createHash('sha256').update(header).digest('base64'));
    expect(key).not.toBe(createHash('sha256').update(header).digest('hex'));
    // Another process (another cache) keys the same header differently.
    expect(
      createIdentityCache({ clock: fakeClock(), ttlMillis: 1000, maxEntries: 10 }).keyFor(header),
    ).not.toBe(key);
  });

  it('should expire entries after the TTL and evict the oldest beyond maxEntries', () => {
    const clock = fakeClock();
    const cache = createIdentityCache({ clock, ttlMillis: 1000, maxEntries: 2 });
    const [a, b, c] = ['a', 'b', 'c'].map((header) => cache.keyFor(header)) as [
      string,
      string,
      string,
    ];
    cache.set(a, alice);
    clock.advance(999);
    expect(cache.get(a)).toBe(alice);
    clock.advance(1);
    expect(cache.get(a)).toBeUndefined();
    cache.set(a, alice);
    cache.set(b, alice);
    cache.set(c, alice);
    expect([cache.get(a), cache.get(b), cache.get(c)]).toEqual([undefined, alice, alice]);
    expect(cache.size).toBe(2);
  });

  it('should cache nothing with a TTL of 0', () => {
    const cache = createIdentityCache({ clock: fakeClock(), ttlMillis: 0, maxEntries: 10 });
    cache.set(cache.keyFor('a'), alice);
    expect(cache.size).toBe(0);
  });
});
