import { setTimeout as delay } from 'node:timers/promises';

/**
 * The time source, injected so tests control time without monkey-patching: record timestamps,
 * TTLs, retry waits and pacing all read it.
 */
export interface Clock {
  /** Milliseconds since the epoch (also used to read `Retry-After` dates). */
  now(): number;
  /** Resolves after `milliseconds`; rejects with an `AbortError` when `signal` aborts first. */
  sleep(milliseconds: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (milliseconds, signal) => delay(milliseconds, undefined, signal === undefined ? undefined : { signal }),
};
