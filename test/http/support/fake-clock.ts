/** A clock whose `sleep` returns at once and moves time forward, recording every wait. */
import type { Clock } from '../../../src/util/clock.js';

export interface FakeClock extends Clock {
  readonly sleeps: number[];
  advance(milliseconds: number): void;
}

/** Starts on a whole second so HTTP dates (1 s resolution) compute exact waits. */
export function fakeClock(start = Date.UTC(2026, 0, 1)): FakeClock {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    advance: (milliseconds) => void (now += milliseconds),
    sleep: async (milliseconds, signal) => {
      signal?.throwIfAborted();
      sleeps.push(milliseconds);
      now += milliseconds;
    },
  };
}
