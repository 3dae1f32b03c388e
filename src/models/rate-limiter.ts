import { statusException } from '../errors/opensearch-error.js';
import type { Clock } from '../util/clock.js';
import type { RateLimiter } from './model-record.js';

const UNIT_MILLIS: Record<string, number> = {
  NANOSECONDS: 1e-6,
  MICROSECONDS: 1e-3,
  MILLISECONDS: 1,
  SECONDS: 1_000,
  MINUTES: 60_000,
  HOURS: 3_600_000,
  DAYS: 86_400_000,
};

/**
 * A model's `rate_limiter` as ML Commons applies it: a token bucket refilled at `limit` per `unit`
 * with a burst of `max(limit, 1)`, one token per provider call, rejecting (not queueing) when empty.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private readonly perMilli: number;
  private readonly capacity: number;

  constructor(
    readonly limit: number,
    readonly unitMillis: number,
    private readonly clock: Clock,
  ) {
    this.perMilli = limit / unitMillis;
    this.capacity = Math.max(limit, 1);
    this.tokens = this.capacity;
    this.updatedAt = clock.now();
  }

  tryTake(): boolean {
    const now = this.clock.now();
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.updatedAt) * this.perMilli);
    this.updatedAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/**
 * The buckets of every model, rebuilt when a model's limiter or the number of replicas sharing it
 * changes: each of N live replicas allows `limit / N`, as ML Commons gives each node
 * `limit / eligible nodes`, so together they stay within the configured rate.
 */
export class ModelRateLimiters {
  private readonly buckets = new Map<string, { key: string; bucket: TokenBucket }>();

  constructor(private readonly clock: Clock) {}

  /** Takes a token for `modelId`, or throws ML Commons' 429. Models without a complete limiter are not limited. */
  take(modelId: string, limiter: RateLimiter | undefined, replicas = 1): void {
    const bucket = this.bucketFor(modelId, limiter, replicas);
    if (bucket && !bucket.tryTake()) throw statusException(429, 'Request is throttled at model level.');
  }

  private bucketFor(modelId: string, limiter: RateLimiter | undefined, replicas: number): TokenBucket | undefined {
    if (limiter?.limit === undefined || limiter.unit === undefined) {
      this.buckets.delete(modelId);
      return undefined;
    }
    const key = `${limiter.limit}/${limiter.unit}/${replicas}`;
    const existing = this.buckets.get(modelId);
    if (existing?.key === key) return existing.bucket;
    const bucket = new TokenBucket(Number(limiter.limit) / replicas, UNIT_MILLIS[limiter.unit] ?? 1_000, this.clock);
    this.buckets.set(modelId, { key, bucket });
    return bucket;
  }
}
