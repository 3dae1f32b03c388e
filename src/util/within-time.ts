import type { Clock } from './clock.js';

/** What `withinTime` answers when the time ran out first. */
export const TIMED_OUT: unique symbol = Symbol('timed out');

/**
 * `work`'s value, or `TIMED_OUT` when `milliseconds` pass first. The work itself goes on; a
 * failure after the deadline has nobody to report to, so it is observed, never unhandled.
 */
export async function withinTime<T>(work: Promise<T>, milliseconds: number, clock: Clock): Promise<T | typeof TIMED_OUT> {
  const deadline = new AbortController();
  work.catch(() => undefined);
  const late = (): typeof TIMED_OUT => TIMED_OUT;
  try {
    return await Promise.race([work, clock.sleep(milliseconds, deadline.signal).then(late, late)]);
  } finally {
    deadline.abort();
  }
}
