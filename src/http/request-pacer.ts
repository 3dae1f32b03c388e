/**
 * Pacing for one connector: calls over the rate wait instead of failing, in one FIFO queue, so
 * every caller gets its turn in arrival order and nobody is starved by a busier caller. The queue
 * is bounded (`max_queued_requests`); a call that finds it full gets a 429 at once.
 *
 * The rates (requests and estimated tokens per minute, each a {@link PacingBucket}) come from
 * `client_config.requests_per_minute` / `tokens_per_minute` or are learned from the provider's
 * rate-limit headers (`connector-pacers.ts` decides), and may change while calls wait. What the
 * provider reports back keeps the pacer honest:
 * - its `remaining` when a call arrived, refilled since and less what the pacer let through since,
 *   is what the provider has now; when that is less than the pacer's level (other clients on the
 *   same key, a token estimate below the provider's count), the pacer comes down to it. Being a
 *   level, not a difference, it never counts one shortfall twice however many answers report it;
 * - a call the provider refused is refunded (the provider took nothing for it), and a
 *   `Retry-After` pauses the whole queue, so queued calls do not run into the same refusal.
 */
import { statusException, type OpenSearchError } from '../errors/opensearch-error.js';
import type { Clock } from '../util/clock.js';
import { PacingBucket } from './pacing-bucket.js';
import type { RateLimitSnapshot } from './rate-limit-headers.js';

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

/** The estimated tokens of input texts, as providers count their input (UTF-8 bytes / 4, rounded up). */
export function estimateTextTokens(texts: readonly (string | null)[]): number {
  let bytes = 0;
  for (const text of texts) if (text !== null) bytes += Buffer.byteLength(text);
  return Math.ceil(bytes / BYTES_PER_TOKEN);
}

/** A call the pacer let through: its cost, when, and what the pacer had let through before it. */
export interface Admission {
  readonly pacer: RequestPacer;
  readonly tokens: number;
  readonly at: number;
  readonly requestsBefore: number;
  readonly tokensBefore: number;
}

interface Waiter {
  readonly tokens: number;
  readonly resolve: (admission: Admission) => void;
  readonly reject: (error: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

/** The 429 for a full pacing queue. */
export const pacingQueueFullError = (connector: string, limit: number): OpenSearchError =>
  statusException(429, `Too many requests queued for connector ${connector} (limit ${limit})`);

/** One connector's pacing queue. */
export class RequestPacer {
  private requests: PacingBucket | undefined;
  private tokens: PacingBucket | undefined;
  private readonly waiters: Waiter[] = [];
  private queuedTokens = 0;
  /** Calls and estimated tokens let through so far, less refunds. */
  private requestsTaken = 0;
  private tokensTaken = 0;
  private timerPending = false;
  private pausedUntil = 0;

  constructor(
    private readonly limits: PacingLimits,
    private readonly clock: Clock,
    /** How the 429 names the connector. */
    private readonly connectorName: string,
  ) {
    this.setRates(limits.requestsPerMinute, limits.tokensPerMinute);
  }

  /** Calls waiting for their turn. */
  get queued(): number {
    return this.waiters.length;
  }

  /** Whether a rate is set (else the pacer only queues through pauses). */
  get paced(): boolean {
    return this.requests !== undefined || this.tokens !== undefined;
  }

  /** Estimated tokens the token bucket holds when full; undefined when tokens are not paced. */
  get tokenCapacity(): number | undefined {
    return this.tokens?.capacity;
  }

  /** The rates in force, per minute. */
  get rates(): { readonly requestsPerMinute: number | undefined; readonly tokensPerMinute: number | undefined } {
    return { requestsPerMinute: this.requests?.perMinute, tokensPerMinute: this.tokens?.perMinute };
  }

  /** Nothing waiting and nothing owed: the pacer can be dropped without changing any future wait. */
  get idle(): boolean {
    const now = this.clock.now();
    return this.waiters.length === 0 && now >= this.pausedUntil && (this.requests?.full(now) ?? true) && (this.tokens?.full(now) ?? true);
  }

  /**
   * Sets the rates (undefined = that dimension unpaced). A new bucket starts at `startLevels`
   * (what the provider reported left) or full; an existing one keeps its level.
   */
  setRates(requestsPerMinute: number | undefined, tokensPerMinute: number | undefined, startLevels: { requests?: number; tokens?: number } = {}): void {
    const now = this.clock.now();
    this.requests = nextBucket(this.requests, requestsPerMinute, now, startLevels.requests);
    this.tokens = nextBucket(this.tokens, tokensPerMinute, now, startLevels.tokens);
    this.pump();
  }

  /** Resolves when a call carrying `estimatedTokens` may start; rejects with a 429 when the queue is full. */
  admit(estimatedTokens: number, signal?: AbortSignal): Promise<Admission> {
    signal?.throwIfAborted();
    if (this.waiters.length === 0 && this.waitFor(estimatedTokens) === 0) return Promise.resolve(this.take(estimatedTokens));
    if (this.waiters.length >= this.limits.maxQueued) {
      return Promise.reject(pacingQueueFullError(this.connectorName, this.limits.maxQueued));
    }
    return new Promise<Admission>((resolve, reject) => {
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
      this.queuedTokens += estimatedTokens;
      this.schedule();
    });
  }

  /**
   * Milliseconds a call of `estimatedTokens` would wait if it queued now, behind every call
   * already waiting (0 = it would go at once).
   */
  waitMillis(estimatedTokens: number): number {
    const now = this.clock.now();
    return Math.max(
      this.pausedUntil - now,
      this.requests?.timeToAccumulate(this.waiters.length + 1, now) ?? 0,
      this.tokens?.timeToAccumulate(this.queuedTokens + estimatedTokens, now) ?? 0,
      0,
    );
  }

  /**
   * What the provider said about an admitted call: `charged` false for a refusal (refunded).
   * `share` scales the provider's `remaining` (which counts every replica's calls) to this pacer's.
   */
  settle(admission: Admission, snapshot: RateLimitSnapshot | undefined, charged: boolean, share: number): void {
    if (admission.pacer !== this) return;
    const now = this.clock.now();
    if (!charged) {
      this.requests?.refund(1, now);
      this.tokens?.refund(admission.tokens, now);
      this.requestsTaken -= 1;
      this.tokensTaken -= admission.tokens;
    }
    const elapsed = now - admission.at;
    const requestsSince = this.requestsTaken - admission.requestsBefore - (charged ? 1 : 0);
    const tokensSince = this.tokensTaken - admission.tokensBefore - (charged ? admission.tokens : 0);
    lowerToProvider(this.requests, snapshot?.requests?.remaining, share, elapsed, requestsSince, now);
    lowerToProvider(this.tokens, snapshot?.tokens?.remaining, share, elapsed, tokensSince, now);
    this.pump();
  }

  /** Holds every call for `milliseconds` (a provider's `Retry-After`). */
  pause(milliseconds: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + milliseconds);
    this.schedule();
  }

  /** Lets waiters go in order while the buckets allow, then sleeps until the head's turn. */
  private pump(): void {
    let head = this.waiters[0];
    while (head !== undefined && this.waitFor(head.tokens) === 0) {
      this.remove(head);
      head.resolve(this.take(head.tokens));
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
    return Math.max(this.pausedUntil - now, this.requests?.waitFor(1, now) ?? 0, this.tokens?.waitFor(estimatedTokens, now) ?? 0, 0);
  }

  private take(estimatedTokens: number): Admission {
    const admission = { pacer: this, tokens: estimatedTokens, at: this.clock.now(), requestsBefore: this.requestsTaken, tokensBefore: this.tokensTaken };
    this.requests?.take(1);
    this.tokens?.take(estimatedTokens);
    this.requestsTaken += 1;
    this.tokensTaken += estimatedTokens;
    return admission;
  }

  private remove(waiter: Waiter): void {
    const index = this.waiters.indexOf(waiter);
    if (index >= 0) {
      this.waiters.splice(index, 1);
      this.queuedTokens -= waiter.tokens;
    }
    waiter.signal?.removeEventListener('abort', waiter.onAbort);
  }
}

function nextBucket(bucket: PacingBucket | undefined, perMinute: number | undefined, now: number, startLevel: number | undefined): PacingBucket | undefined {
  if (perMinute === undefined) return undefined;
  if (bucket === undefined) return new PacingBucket(perMinute, now, startLevel);
  if (bucket.perMinute !== perMinute) bucket.setRate(perMinute, now);
  return bucket;
}

/**
 * Brings a bucket down to what the provider has now: what it reported left when the call arrived
 * (this replica's share of it), refilled since, less what the pacer let through since.
 */
function lowerToProvider(
  bucket: PacingBucket | undefined,
  providerRemaining: number | undefined,
  share: number,
  elapsedMillis: number,
  takenSince: number,
  now: number,
): void {
  if (bucket === undefined || providerRemaining === undefined) return;
  bucket.lowerTo(bucket.refilledFrom(providerRemaining * share, elapsedMillis) - takenSince, now);
}
