import { describe, expect, it } from 'vitest';
import { estimateTokens, RequestPacer } from '../../src/http/request-pacer.js';
import { manualClock, type ManualClock } from './support/manual-clock.js';

const limits = (overrides: { requestsPerMinute?: number; tokensPerMinute?: number; maxQueued?: number }) => ({
  requestsPerMinute: undefined,
  tokensPerMinute: undefined,
  maxQueued: 100,
  ...overrides,
});

/** Admits each call and records when (on the fake clock) it was let through, in completion order. */
async function admitAll(pacer: RequestPacer, clock: ManualClock, costs: number[]): Promise<Array<{ index: number; at: number }>> {
  const start = clock.now();
  const admitted: Array<{ index: number; at: number }> = [];
  const all = Promise.all(costs.map((cost, index) => pacer.admit(cost).then(() => admitted.push({ index, at: clock.now() - start }))));
  await clock.runAll();
  await all;
  return admitted;
}

describe('RequestPacer', () => {
  it('should let one second’s worth of calls through at once, then space the rest at the rate, in FIFO order', async () => {
    const clock = manualClock();
    const pacer = new RequestPacer(limits({ requestsPerMinute: 120 }), clock, 'c1'); // 2 per second, burst 2
    const admitted = await admitAll(pacer, clock, [0, 0, 0, 0, 0, 0]);
    expect(admitted.map((entry) => entry.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(admitted.map((entry) => entry.at)).toEqual([0, 0, 500, 1000, 1500, 2000]);
  });

  it('should never start more than burst + rate·window calls in any window', async () => {
    const clock = manualClock();
    const perMinute = 600;
    const pacer = new RequestPacer(limits({ requestsPerMinute: perMinute }), clock, 'c1');
    const times = (await admitAll(pacer, clock, Array<number>(50).fill(0))).map((entry) => entry.at);
    for (let from = 0; from < times.length; from++) {
      for (let to = from; to < times.length; to++) {
        const window = times[to]! - times[from]!;
        expect(to - from + 1).toBeLessThanOrEqual(Math.floor(perMinute / 60 + (perMinute * window) / 60_000) + 1);
      }
    }
    expect(times.at(-1)).toBeGreaterThanOrEqual(((50 - 10) * 60_000) / perMinute - 1);
  });

  it('should pace by estimated tokens, letting a call larger than the bucket through into debt', async () => {
    const clock = manualClock();
    const pacer = new RequestPacer(limits({ tokensPerMinute: 6000 }), clock, 'c1'); // 100 tokens a second, bucket 100
    const admitted = await admitAll(pacer, clock, [50, 250, 50]);
    // 50 leaves 50; 250 waits for a full bucket (0.5 s) and leaves -150; the next 50 waits until +50 (2 s more).
    expect(admitted.map((entry) => entry.at)).toEqual([0, 500, 2500]);
    expect(estimateTokens('x'.repeat(10))).toBe(3);
    expect(estimateTokens(undefined)).toBe(0);
  });

  it('should answer a clear 429 when its queue is full, and serve every queued call', async () => {
    const clock = manualClock();
    const pacer = new RequestPacer(limits({ requestsPerMinute: 60, maxQueued: 2 }), clock, 'abc');
    await pacer.admit(0); // the burst
    const queued = [pacer.admit(0), pacer.admit(0)];
    await expect(pacer.admit(0)).rejects.toMatchObject({ status: 429, reason: 'Too many requests queued for connector abc (limit 2)' });
    await clock.runAll();
    await Promise.all(queued);
    expect(clock.now()).toBe(2000);
    expect(pacer.queued).toBe(0);
  });

  it('should drop a waiter whose caller gives up', async () => {
    const clock = manualClock(); // time never passes: its timers are never run
    const pacer = new RequestPacer(limits({ requestsPerMinute: 60 }), clock, 'c1');
    await pacer.admit(0);
    const controller = new AbortController();
    const waiting = pacer.admit(0, controller.signal);
    expect(pacer.queued).toBe(1);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    expect(pacer.queued).toBe(0);
  });
});
