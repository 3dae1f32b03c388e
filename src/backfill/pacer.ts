/**
 * `requests_per_second` as OpenSearch's reindex applies it: after a batch of n documents the next
 * one starts no earlier than n / rate seconds after this one started (the time the batch took
 * counts). A rethrottle to a faster rate takes effect at once, in the wait under way; to a slower
 * one, from the next batch. -1 is unlimited.
 */
import type { Clock } from '../util/clock.js';

/** The longest the pacer sleeps before looking at the job again (a cancel or rethrottle elsewhere). */
const CHECK_EVERY_MS = 1_000;

export class Pacer {
  private wake: (() => void) | undefined;
  /** When the wait under way ends (0 when none), for the status's `throttled_until_millis`. */
  waitingUntil = 0;

  constructor(
    private rate: number,
    private readonly clock: Clock,
  ) {}

  get requestsPerSecond(): number {
    return this.rate;
  }

  rethrottle(rate: number): void {
    const faster = rate === -1 || (this.rate !== -1 && rate > this.rate);
    this.rate = rate;
    if (faster) this.wake?.();
  }

  /**
   * Waits as the rate asks after a batch of `size` documents started at `startedAt`; `check` runs
   * between short sleeps (it may rethrottle); `stop` ends the wait. Resolves with the time waited.
   */
  async pause(size: number, startedAt: number, options: { stop: AbortSignal; check: () => Promise<void> }): Promise<number> {
    const began = this.clock.now();
    let deadline = this.deadline(size, startedAt);
    try {
      while (!options.stop.aborted) {
        const remaining = deadline - this.clock.now();
        if (remaining <= 0) break;
        this.waitingUntil = deadline;
        await this.sleep(Math.min(remaining, CHECK_EVERY_MS), options.stop);
        await options.check();
        // A faster rate shortens this wait; a slower one waits for the next batch.
        deadline = Math.min(deadline, this.deadline(size, startedAt));
      }
    } finally {
      this.waitingUntil = 0;
    }
    return this.clock.now() - began;
  }

  private deadline(size: number, startedAt: number): number {
    return this.rate === -1 ? -Infinity : startedAt + (size / this.rate) * 1_000;
  }

  private async sleep(milliseconds: number, stop: AbortSignal): Promise<void> {
    const interrupt = new AbortController();
    const onStop = () => interrupt.abort();
    stop.addEventListener('abort', onStop, { once: true });
    this.wake = () => interrupt.abort();
    try {
      await this.clock.sleep(milliseconds, interrupt.signal);
    } catch (error) {
      if ((error as { name?: string }).name !== 'AbortError') throw error;
    } finally {
      this.wake = undefined;
      stop.removeEventListener('abort', onStop);
    }
  }
}
