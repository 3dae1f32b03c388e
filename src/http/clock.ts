import { setTimeout as delay } from 'node:timers/promises';

/** Time as the transport sees it; injected so retry tests run on a fake clock without real waiting. */
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
