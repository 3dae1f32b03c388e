import { describe, expect, it } from 'vitest';
import { clockReading } from '../helpers/clock.js';
import { BackgroundDuties, type Duty } from '../../src/replicas/background-duties.js';
import { heartbeatCleanup, taskCleanup } from '../../src/replicas/cleanup-duties.js';
import { Lease } from '../../src/replicas/lease.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { createLogger } from '../../src/util/logger.js';
import { LogCapture } from '../helpers/test-app.js';

const HOUR = 3_600_000;

function countingDuty(name: string, everyMs: number, runs: string[], fail = false): Duty {
  return {
    name,
    everyMs,
    run: async () => {
      runs.push(name);
      if (fail) throw new Error(`${name} broke`);
      return { done: 1 };
    },
  };
}

describe('BackgroundDuties', () => {
  it('should run duties only on the replica holding the lease, each at its own pace, a failure stopping none', async () => {
    let now = 0;
    const clock = clockReading(() => now);
    const store = new SqliteStore(':memory:');
    const logs = new LogCapture();
    const logger = createLogger({ level: 'info', destination: logs });
    const runsA: string[] = [];
    const runsB: string[] = [];
    const duties = (runs: string[], replicaId: string) =>
      new BackgroundDuties([countingDuty('broken', 1_000, runs, true), countingDuty('hourly', HOUR, runs)], {
        lease: new Lease(store, 'duties', { replicaId, clock, ttlMs: 30_000 }),
        clock,
        logger,
        tickMs: 10_000,
      });
    const a = duties(runsA, 'a');
    const b = duties(runsB, 'b');
    await a.tick();
    await b.tick();
    now += 10_000;
    await a.tick();
    await b.tick();
    expect(runsA).toEqual(['broken', 'hourly', 'broken']);
    expect(runsB).toEqual([]);
    expect(logs.text).toContain('"duty":"broken"');
    expect(logs.text).toContain('broken broke');
    // a stops: b takes over once the lease lapsed.
    await a.stop();
    now += 10_000;
    await b.tick();
    expect(runsB).toEqual(['broken', 'hourly']);
  });
});

describe('cleanup duties', () => {
  it('should delete finished tasks past the retention and keep the others; 0 keeps them all', async () => {
    const now = 100 * HOUR;
    const store = new SqliteStore(':memory:');
    const task = (id: string, state: string, age: number) =>
      ({ op: 'create', collection: '.plugins-ml-task', id, source: { state, last_update_time: now - age } }) as const;
    await store.write([task('old-done', 'COMPLETED', 48 * HOUR), task('old-failed', 'FAILED', 30 * HOUR), task('young', 'COMPLETED', HOUR), task('old-running', 'RUNNING', 48 * HOUR)]);
    expect(await taskCleanup(store, clockReading(() => now), 0).run()).toEqual({ deleted: 0 });
    expect(await taskCleanup(store, clockReading(() => now), 24 * HOUR).run()).toEqual({ deleted: 2 });
    expect((await store.list('.plugins-ml-task')).map((record) => record.id).sort()).toEqual(['old-running', 'young']);
  });

  it('should delete heartbeats of replicas gone for an hour', async () => {
    const now = 100 * HOUR;
    const store = new SqliteStore(':memory:');
    await store.write([
      { op: 'put', collection: 'heartbeats', id: 'gone', source: { last_seen: now - 2 * HOUR } },
      { op: 'put', collection: 'heartbeats', id: 'alive', source: { last_seen: now - 1_000 } },
    ]);
    expect(await heartbeatCleanup(store, clockReading(() => now)).run()).toEqual({ deleted: 1 });
    expect((await store.list('heartbeats')).map((record) => record.id)).toEqual(['alive']);
  });
});
