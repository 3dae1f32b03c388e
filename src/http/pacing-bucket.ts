/**
 * The token bucket behind pacing: refilled continuously at a per-minute rate, holding one second's
 * worth (at least one unit), so in any window of W ms at most `rate/60 + rate·W/60000` units are
 * taken. A cost above the capacity may be taken once the bucket is full and leaves it in debt, so
 * large calls are slowed, never refused. The rate can change (learned from the provider), and the
 * level can be lowered to what the provider reports is left.
 */

const MILLIS_PER_MINUTE = 60_000;

/** A continuously refilled bucket that may go into debt. */
export class PacingBucket {
  private level: number;
  private perMilli: number;
  private maximum: number;
  private updatedAt: number;

  constructor(perMinute: number, now: number, initialLevel?: number) {
    this.perMilli = perMinute / MILLIS_PER_MINUTE;
    this.maximum = Math.max(1, perMinute / 60);
    this.level = Math.min(this.maximum, initialLevel ?? this.maximum);
    this.updatedAt = now;
  }

  /** Units the bucket holds when full. */
  get capacity(): number {
    return this.maximum;
  }

  /** The rate per minute. */
  get perMinute(): number {
    return this.perMilli * MILLIS_PER_MINUTE;
  }

  /** Milliseconds until `cost` may be taken (0 = now). */
  waitFor(cost: number, now: number): number {
    this.refill(now);
    const needed = Math.min(cost, this.maximum);
    return this.level >= needed ? 0 : Math.ceil((needed - this.level) / this.perMilli);
  }

  /** Milliseconds until `amount` units will have been refilled on top of what is there (0 = now); ignores the capacity. */
  timeToAccumulate(amount: number, now: number): number {
    this.refill(now);
    return amount <= this.level ? 0 : Math.ceil((amount - this.level) / this.perMilli);
  }

  take(cost: number): void {
    this.level -= cost;
  }

  /** Gives back a cost that was taken for nothing (never past the capacity). */
  refund(cost: number, now: number): void {
    this.refill(now);
    this.level = Math.min(this.maximum, this.level + cost);
  }

  /** Lowers the level to `level` if it is above (what the provider has, when it has less). */
  lowerTo(level: number, now: number): void {
    this.refill(now);
    this.level = Math.min(this.level, level);
  }

  /** Units refilled in `millis`, up to the capacity on top of `from`. */
  refilledFrom(from: number, millis: number): number {
    return Math.min(this.maximum, from + Math.max(0, millis) * this.perMilli);
  }

  /** A new rate: the level refilled so far is kept, up to the new capacity. */
  setRate(perMinute: number, now: number): void {
    this.refill(now);
    this.perMilli = perMinute / MILLIS_PER_MINUTE;
    this.maximum = Math.max(1, perMinute / 60);
    this.level = Math.min(this.level, this.maximum);
  }

  /** Whether the bucket is full (nothing owed, nothing to remember). */
  full(now: number): boolean {
    this.refill(now);
    return this.level >= this.maximum;
  }

  private refill(now: number): void {
    this.level = Math.min(this.maximum, this.level + Math.max(0, now - this.updatedAt) * this.perMilli);
    this.updatedAt = now;
  }
}
