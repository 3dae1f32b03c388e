import { describe, expect, it } from 'vitest';
import { estimateTextTokens, estimateTokens, RequestPacer } from '../../src/http/request-pacer.js';
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
    expect(estimateTextTokens(['x'.repeat(10), null, 'é'])).toBe(3);
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

describe('RequestPacer: rates learned from the provider', () => {
  it('should take new rates while calls wait, keeping the level refilled so far', async () => {
    const clock = manualClock();
    const pacer = new RequestPacer(limits({}), clock, 'c1');
    expect(pacer.paced).toBe(false);
    pacer.setRates(60, undefined, { requests: 0 }); // 1 a second, starting empty (the provider said 0 left)
    expect(pacer.paced).toBe(true);
    const first = admitAll(pacer, clock, [0]);
    expect((await first).map((entry) => entry.at)).toEqual([1000]);
    pacer.setRates(120, undefined); // faster: 2 a second
    const admitted = await admitAll(pacer, clock, [0, 0, 0]);
    expect(admitted.map((entry) => entry.at)).toEqual([500, 1000, 1500]);
  });

  it('should lower its level when the provider had less left after a call than the pacer did', async () => {
    const clock = manualClock();
    const pacer = new RequestPacer(limits({ tokensPerMinute: 6000 }), clock, 'c1'); // 100 a second, bucket 100
    const admission = await pacer.admit(20); // the pacer has 80 left
    expect(admission).toMatchObject({ tokens: 20, at: 0 });
    // The provider counted more (or someone else used the key): it has 30 left, so 50 of ours are not there.
    pacer.settle(admission, { tokens: { limit: 6000, remaining: 30 } }, true, 1);
    expect((await admitAll(pacer, clock, [50])).map((entry) => entry.at)).toEqual([200]);
    // A provider with more left than the pacer changes nothing.
    const next = await pacer.admit(0);
    pacer.settle(next, { tokens: { remaining: 5000 } }, true, 1);
    expect(pacer.waitMillis(100)).toBe(1000);
  });

  it('should compare with its share of what the provider has left', async () => {
    const clock = manualClock();
    const pacer = new RequestPacer(limits({ requestsPerMinute: 60 }), clock, 'c1'); // bucket 1
    const admission = await pacer.admit(0); // 0 left
    pacer.settle(admission, { requests: { remaining: 0 } }, true, 0.5);
    expect(pacer.waitMillis(0)).toBe(1000);
  });

  it('should refund a call the provider refused, and hold every call through a Retry-After', async () => {
    const clock = manualClock();
    const pacer = new RequestPacer(limits({ requestsPerMinute: 60 }), clock, 'c1');
    const refused = await pacer.admit(0);
    expect(pacer.waitMillis(0)).toBe(1000);
    pacer.settle(refused, undefined, false, 1);
    expect(pacer.waitMillis(0)).toBe(0);
    pacer.pause(3000);
    expect(pacer.waitMillis(0)).toBe(3000);
    expect(pacer.idle).toBe(false);
    expect((await admitAll(pacer, clock, [0, 0])).map((entry) => entry.at)).toEqual([3000, 4000]);
  });

  it('should tell how long a new call would wait behind the queue', async () => {
    const clock = manualClock();
    const pacer = new RequestPacer(limits({ requestsPerMinute: 60, tokensPerMinute: 600 }), clock, 'c1'); // 1 call, 10 tokens a second
    await pacer.admit(10);
    const queued = [pacer.admit(10), pacer.admit(10)];
    expect(pacer.waitMillis(10)).toBe(3000); // three more seconds of tokens and calls
    expect(pacer.waitMillis(40)).toBe(6000);
    expect(pacer.tokenCapacity).toBe(10);
    await clock.runAll();
    await Promise.all(queued);
  });

  it('should ignore what the provider said about a call another pacer let through', async () => {
    const clock = manualClock();
    const pacer = new RequestPacer(limits({ requestsPerMinute: 60 }), clock, 'c1');
    const other = new RequestPacer(limits({ requestsPerMinute: 60 }), clock, 'c1');
    const admission = await other.admit(0);
    pacer.settle(admission, { requests: { remaining: 0 } }, false, 1);
    expect(pacer.waitMillis(0)).toBe(0);
  });
});
