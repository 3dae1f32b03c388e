/**
 * Adaptive concurrency (AIMD, as TCP congestion control): a provider that throttles (429, or AWS's
 * `x-amzn-ErrorType: ThrottlingException`) gets fewer calls in flight at once, so retries stop
 * piling onto a provider that is already refusing; successes win the capacity back gradually.
 *
 * - Decrease: the limit is halved (never below 1) once per throttling episode: throttles of calls
 *   that started before the last decrease were caused by the old limit and are not counted again,
 *   so a burst of N concurrent 429s halves the limit once, not N times.
 * - Increase: one more call in flight after every `limit` successes (one "window"), up to
 *   `max_connection`. From 1 back to 30 that is about 435 successful calls.
 */

/** The factor applied to the in-flight limit when the provider throttles. */
export const DECREASE_FACTOR = 0.5;

/** One connector pool's in-flight limit, moved by call outcomes. */
export class AdaptiveConcurrency {
  private current: number;
  private successesInWindow = 0;
  /** Bumped on every decrease; a call remembers the epoch it started in. */
  private epoch = 0;

  constructor(
    private readonly maximum: number,
    private readonly onChange: (limit: number) => void,
  ) {
    this.current = maximum;
  }

  /** The in-flight limit now. */
  get limit(): number {
    return this.current;
  }

  /** Call when a call starts; pass the result to `throttled` if the provider throttles it. */
  begin(): number {
    return this.epoch;
  }

  /** The provider throttled a call that started in `startedEpoch`. */
  throttled(startedEpoch: number): void {
    if (startedEpoch !== this.epoch) return; // this episode already cost a decrease
    this.epoch++;
    this.successesInWindow = 0;
    this.set(Math.max(1, Math.floor(this.current * DECREASE_FACTOR)));
  }

  /** A call got a 2xx. */
  succeeded(): void {
    if (this.current >= this.maximum) return;
    if (++this.successesInWindow < this.current) return;
    this.successesInWindow = 0;
    this.set(this.current + 1);
  }

  private set(limit: number): void {
    if (limit === this.current) return;
    this.current = limit;
    this.onChange(limit);
  }
}
