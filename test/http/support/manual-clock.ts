/** A clock whose time moves only when the test runs its timers, so waits can be asserted exactly. */
import type { Clock } from '../../../src/util/clock.js';

export interface ManualClock extends Clock {
  /** Fires every timer in time order (and any they add) until none is left. */
  runAll(): Promise<void>;
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function manualClock(start = 0): ManualClock {
  let now = start;
  const timers: Array<{ at: number; fire: () => void }> = [];
  return {
    now: () => now,
    sleep: (milliseconds, signal) =>
      new Promise<void>((resolve, reject) => {
        signal?.throwIfAborted();
        timers.push({ at: now + milliseconds, fire: resolve });
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      }),
    async runAll() {
      for (;;) {
        await settle();
        if (timers.length === 0) return;
        timers.sort((left, right) => left.at - right.at);
        const next = timers.shift()!;
        now = Math.max(now, next.at);
        next.fire();
      }
    },
  };
}
