import { describe, expect, it } from 'vitest';
import { clockReading } from '../helpers/clock.js';
import { ReplicaMembership } from '../../src/replicas/replica-membership.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';

describe('ReplicaMembership', () => {
  it('should count the replicas whose heartbeats move, on each replica\'s own clock', async () => {
    const store = new SqliteStore(':memory:');
    let now = 1_000_000;
    // The second replica's clock is two minutes ahead (far more than a heartbeat window): skew must not matter.
    const replica = (id: string, skew: number) =>
      new ReplicaMembership(store, { replicaId: id, nodeName: id, clock: clockReading(() => now + skew), heartbeatMs: 5_000, liveWindowMs: 15_000 });
    const a = replica('a', 0);
    const b = replica('b', 120_000);
    await a.beat();
    await b.beat();
    await a.beat();
    expect(a.liveCount()).toBe(2);
    expect(b.liveCount()).toBe(2);
    // b stops beating: a sees its heartbeat stand still for a whole window.
    for (let step = 0; step < 4; step++) {
      now += 5_000;
      await a.beat();
    }
    expect(a.liveCount()).toBe(1);
    expect(a.liveReplicas()).toEqual(['a']);
    // b comes back.
    await b.beat();
    now += 5_000;
    await a.beat();
    expect(a.liveCount()).toBe(2);
  });

  it('should not count a heartbeat left long ago by a dead replica, and remove its own at stop', async () => {
    const store = new SqliteStore(':memory:');
    const now = 10_000_000;
    await store.write([{ op: 'put', collection: 'heartbeats', id: 'dead', source: { replica_id: 'dead', last_seen: now - 3_600_000 } }]);
    const a = new ReplicaMembership(store, { replicaId: 'a', nodeName: 'a', clock: clockReading(() => now), heartbeatMs: 5_000, liveWindowMs: 15_000 });
    await a.beat();
    expect(a.liveCount()).toBe(1);
    await a.stop();
    expect((await store.list('heartbeats')).map((heartbeat) => heartbeat.id)).toEqual(['dead']);
  });
});
