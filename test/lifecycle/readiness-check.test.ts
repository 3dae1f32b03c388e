import { describe, expect, it } from 'vitest';
import { CachedCheck } from '../../src/lifecycle/readiness-check.js';
import type { Clock } from '../../src/util/clock.js';

/** A clock whose time and sleepers move only when the test says. */
function manualClock(): Clock & { advance(milliseconds: number): Promise<void> } {
  let now = 0;
  const sleepers: Array<{ until: number; wake: () => void }> = [];
  return {
    now: () => now,
    sleep: (milliseconds, signal) =>
      new Promise((resolve, reject) => {
        const sleeper = { until: now + milliseconds, wake: () => resolve() };
        sleepers.push(sleeper);
        signal?.addEventListener('abort', () => {
          sleepers.splice(sleepers.indexOf(sleeper), 1);
          reject(new Error('aborted'));
        });
      }),
    advance: async (milliseconds) => {
      now += milliseconds;
      for (const sleeper of sleepers.filter((candidate) => candidate.until <= now)) sleeper.wake();
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

/** A check whose runs the test settles by hand. */
function controlledCheck() {
  const runs: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  return {
    runs,
    check: { name: 'store', run: () => new Promise<void>((resolve, reject) => runs.push({ resolve, reject })) },
  };
}

describe('CachedCheck', () => {
  it('should share one result for cacheMs, then check again', async () => {
    const clock = manualClock();
    const { runs, check } = controlledCheck();
    const cached = new CachedCheck(check, { clock, cacheMs: 2_000, timeoutMs: 3_000 });
    const first = cached.failure();
    runs[0]!.resolve();
    expect(await first).toBeUndefined();
    await clock.advance(1_999);
    expect(await cached.failure()).toBeUndefined();
    expect(runs).toHaveLength(1);
    await clock.advance(1);
    const second = cached.failure();
    expect(runs).toHaveLength(2);
    runs[1]!.reject(Object.assign(new Error('plain'), { reason: 'OpenSearch cluster [http://c:9200] is unavailable: connect ECONNREFUSED' }));
    expect(await second).toBe('OpenSearch cluster [http://c:9200] is unavailable: connect ECONNREFUSED');
  });

  it('should run one check at a time for concurrent probes', async () => {
    const clock = manualClock();
    const { runs, check } = controlledCheck();
    const cached = new CachedCheck(check, { clock, cacheMs: 2_000, timeoutMs: 3_000 });
    const probes = [cached.failure(), cached.failure(), cached.failure()];
    expect(runs).toHaveLength(1);
    runs[0]!.reject(new Error('the embedded store is closed'));
    expect(await Promise.all(probes)).toEqual(Array(3).fill('the embedded store is closed'));
  });

  it('should report a hanging check after timeoutMs, and reuse its call instead of starting another', async () => {
    const clock = manualClock();
    const { runs, check } = controlledCheck();
    const cached = new CachedCheck(check, { clock, cacheMs: 2_000, timeoutMs: 3_000 });
    const first = cached.failure();
    await clock.advance(3_000);
    expect(await first).toBe('did not answer within 3000 ms');
    await clock.advance(2_000);
    const second = cached.failure();
    expect(runs).toHaveLength(1);
    runs[0]!.resolve();
    expect(await second).toBeUndefined();
  });
});
