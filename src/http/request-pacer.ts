/**
 * Pacing for one connector (`client_config.requests_per_minute`, `tokens_per_minute`): calls over
 * the rate wait instead of failing, in one FIFO queue, so every caller gets its turn in arrival
 * order and nobody is starved by a busier caller. The queue is bounded (`max_queued_requests`);
 * a call that finds it full gets a 429 at once.
 *
 * Each rate is a token bucket refilled continuously, holding at most one second's worth (at least
 * one call), so in any window of W ms at most `rate/60 + rate·W/60000` calls start. A call whose
 * token estimate exceeds the bucket may start once the bucket is full and leaves it in debt, so
 * large requests are slowed, never refused.
 */
import { statusException, type OpenSearchError } from '../errors/opensearch-error.js';
import type { Clock } from '../util/clock.js';

/** What one pacer enforces. */
export interface PacingLimits {
  readonly requestsPerMinute: number | undefined;
  readonly tokensPerMinute: number | undefined;
  readonly maxQueued: number;
}

/** Bytes per token for the estimate: OpenAI's rule of thumb for English (about 4 characters a token). */
export const BYTES_PER_TOKEN = 4;

/** The estimated tokens of a request body: its UTF-8 bytes / 4, rounded up. */
export const estimateTokens = (body: string | undefined): number =>
  body === undefined ? 0 : Math.ceil(Buffer.byteLength(body) / BYTES_PER_TOKEN);

const MILLIS_PER_MINUTE = 60_000;

/** A continuously refilled bucket that may go into debt. */
class Bucket {
  private tokens: number;
  private readonly perMilli: number;
  private readonly capacity: number;
  private updatedAt: number;

  constructor(perMinute: number, now: number) {
    this.perMilli = perMinute / MILLIS_PER_MINUTE;
    this.capacity = Math.max(1, perMinute / 60);
    this.tokens = this.capacity;
    this.updatedAt = now;
  }

  /** Milliseconds until `cost` may be taken (0 = now). */
  waitFor(cost: number, now: number): number {
    this.refill(now);
    const needed = Math.min(cost, this.capacity);
    return this.tokens >= needed ? 0 : Math.ceil((needed - this.tokens) / this.perMilli);
  }

  take(cost: number): void {
    this.tokens -= cost;
  }

  /** Whether the bucket is full (nothing owed, nothing to remember). */
  full(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.capacity;
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.capacity, this.tokens + Math.max(0, now - this.updatedAt) * this.perMilli);
    this.updatedAt = now;
  }
}

interface Waiter {
  readonly tokens: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

/** The 429 for a full pacing queue. */
export const pacingQueueFullError = (connector: string, limit: number): OpenSearchError =>
  statusException(429, `Too many requests queued for connector ${connector} (limit ${limit})`);

/** One connector's pacing queue. */
export class RequestPacer {
  private readonly requests: Bucket | undefined;
  private readonly tokens: Bucket | undefined;
  private readonly waiters: Waiter[] = [];
  private timerPending = false;

  constructor(
    private readonly limits: PacingLimits,
    private readonly clock: Clock,
    /** How the 429 names the connector. */
    private readonly connectorName: string,
  ) {
    const now = clock.now();
    this.requests = limits.requestsPerMinute === undefined ? undefined : new Bucket(limits.requestsPerMinute, now);
    this.tokens = limits.tokensPerMinute === undefined ? undefined : new Bucket(limits.tokensPerMinute, now);
  }

  /** Calls waiting for their turn. */
  get queued(): number {
    return this.waiters.length;
  }

  /** Nothing waiting and nothing owed: the pacer can be dropped without changing any future wait. */
  get idle(): boolean {
    const now = this.clock.now();
    return this.waiters.length === 0 && (this.requests?.full(now) ?? true) && (this.tokens?.full(now) ?? true);
  }

  /** Resolves when a call carrying `estimatedTokens` may start; rejects with a 429 when the queue is full. */
  admit(estimatedTokens: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (this.waiters.length === 0 && this.waitFor(estimatedTokens) === 0) {
      this.take(estimatedTokens);
      return Promise.resolve();
    }
    if (this.waiters.length >= this.limits.maxQueued) {
      return Promise.reject(pacingQueueFullError(this.connectorName, this.limits.maxQueued));
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        tokens: estimatedTokens,
        resolve,
        reject,
        signal,
        onAbort: () => {
          this.remove(waiter);
          reject(signal?.reason);
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiters.push(waiter);
      this.schedule();
    });
  }

  /** Lets waiters go in order while the buckets allow, then sleeps until the head's turn. */
  private pump(): void {
    let head = this.waiters[0];
    while (head !== undefined && this.waitFor(head.tokens) === 0) {
      this.take(head.tokens);
      this.remove(head);
      head.resolve();
      head = this.waiters[0];
    }
    if (head !== undefined) this.schedule();
  }

  private schedule(): void {
    const head = this.waiters[0];
    if (this.timerPending || head === undefined) return;
    this.timerPending = true;
    void this.clock.sleep(Math.max(1, this.waitFor(head.tokens))).then(() => {
      this.timerPending = false;
      this.pump();
    });
  }

  private waitFor(estimatedTokens: number): number {
    const now = this.clock.now();
    return Math.max(this.requests?.waitFor(1, now) ?? 0, this.tokens?.waitFor(estimatedTokens, now) ?? 0);
  }

  private take(estimatedTokens: number): void {
    this.requests?.take(1);
    this.tokens?.take(estimatedTokens);
  }

  private remove(waiter: Waiter): void {
    const index = this.waiters.indexOf(waiter);
    if (index >= 0) this.waiters.splice(index, 1);
    waiter.signal?.removeEventListener('abort', waiter.onAbort);
  }
}
