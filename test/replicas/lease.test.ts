import { describe, expect, it } from 'vitest';
import { clockReading } from '../helpers/clock.js';
import { Lease } from '../../src/replicas/lease.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';

describe('Lease', () => {
  it('should let one replica hold it, renew it, and hand it over only once it lapsed unrenewed', async () => {
    let now = 0;
    const clock = clockReading(() => now);
    const store = new SqliteStore(':memory:');
    const a = new Lease(store, 'duties', { replicaId: 'a', clock, ttlMs: 30_000 });
    const b = new Lease(store, 'duties', { replicaId: 'b', clock, ttlMs: 30_000 });
    expect(await a.acquire()).toBe(true);
    expect(await b.acquire()).toBe(false);
    now += 10_000;
    expect(await a.acquire()).toBe(true);
    // b has seen a's renewal unchanged for less than the TTL.
    now += 20_000;
    expect(await b.acquire()).toBe(false);
    expect(a.held()).toBe(true);
    // a dies: its document stays as it was for a whole TTL on b's clock.
    now += 30_000;
    expect(a.held()).toBe(false);
    expect(await b.acquire()).toBe(true);
    expect(b.held()).toBe(true);
    // a comes back: it lost the lease.
    expect(await a.acquire()).toBe(false);
  });

  it('should give the lease up at release so another replica takes it at once', async () => {
    const clock = clockReading(() => 0);
    const store = new SqliteStore(':memory:');
    const a = new Lease(store, 'duties', { replicaId: 'a', clock, ttlMs: 30_000 });
    const b = new Lease(store, 'duties', { replicaId: 'b', clock, ttlMs: 30_000 });
    expect(await a.acquire()).toBe(true);
    await a.release();
    expect(a.held()).toBe(false);
    expect(await b.acquire()).toBe(true);
  });

  it('should let exactly one of two racing replicas take a free lease', async () => {
    const clock = clockReading(() => 0);
    const store = new SqliteStore(':memory:');
    const outcomes = await Promise.all(
      ['a', 'b', 'c'].map((replicaId) => new Lease(store, 'duties', { replicaId, clock, ttlMs: 30_000 }).acquire()),
    );
    expect(outcomes.filter(Boolean)).toHaveLength(1);
  });
});
