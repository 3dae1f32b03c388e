/**
 * The pacers of every paced connector, by pool key (so all origins of a connector share one rate).
 *
 * A connector is paced to the lower of its `requests_per_minute` / `tokens_per_minute` and the
 * limits its provider reports in rate-limit headers (`rate-limit-headers.ts`), so it uses the
 * quota without running into it. Learned limits are the provider's, for the whole credential: like
 * configured ones they are split between the live replicas (`rateShare`). A provider that reports
 * no limits but asks to wait (`Retry-After` on a throttling answer) gets an unpaced pacer that
 * holds the queue for that long.
 *
 * A changed configuration replaces the pacer (the old one lets its waiters go on its own
 * schedule); what was learned carries over. Idle pacers are dropped once the map grows past its
 * bound, so a connector deleted long ago leaves nothing behind.
 */
import { isThrottleAnswer } from '../errors/provider-error.js';
import type { Clock } from '../util/clock.js';
import type { OutboundResponse } from './outbound.js';
import { parseRateLimitHeaders, type RateLimitSnapshot } from './rate-limit-headers.js';
import { RequestPacer, type Admission } from './request-pacer.js';
import { retryAfterMillis } from './retry-after.js';
import type { TransportOptions } from './transport-options.js';

/** Limits the provider reported, per minute, for the whole credential. */
interface LearnedLimits {
  requestsPerMinute?: number;
  tokensPerMinute?: number;
}

interface Entry {
  readonly fingerprint: string;
  readonly pacer: RequestPacer;
  readonly learned: LearnedLimits;
}

/** How large a call should be to use the quota well, and how long a new call would wait now. */
export interface CallBudget {
  /** Estimated tokens one call should carry at most (half the token bucket); undefined when tokens are not paced. */
  readonly maxTokensPerCall: number | undefined;
  /** Milliseconds a call of `estimatedTokens` would wait for its turn if it were sent now. */
  waitMillis(estimatedTokens: number): number;
}

const fingerprints = new WeakMap<TransportOptions, string>();

function fingerprintOf(config: TransportOptions): string {
  let fingerprint = fingerprints.get(config);
  if (fingerprint === undefined) {
    fingerprint = `${config.requestsPerMinute}/${config.tokensPerMinute}/${config.maxQueuedRequests}/${config.rateShare ?? 1}`;
    fingerprints.set(config, fingerprint);
  }
  return fingerprint;
}

/** Pacers by pool key. */
export class ConnectorPacers {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    private readonly maxIdleEntries: number,
  ) {}

  /** The pacer for `poolKey`, or undefined when the connector sets no rate and its provider reported none. */
  get(poolKey: string, config: TransportOptions): RequestPacer | undefined {
    const existing = this.entries.get(poolKey);
    if (existing === undefined && config.requestsPerMinute === undefined && config.tokensPerMinute === undefined) return undefined;
    const fingerprint = fingerprintOf(config);
    if (existing?.fingerprint === fingerprint) return existing.pacer;
    return this.replace(poolKey, config, existing?.learned ?? {}).pacer;
  }

  /** The call budget of a connector whose calls are paced, else undefined. */
  budget(poolKey: string, config: TransportOptions): CallBudget | undefined {
    const pacer = this.get(poolKey, config);
    if (pacer === undefined || !pacer.paced) return undefined;
    const capacity = pacer.tokenCapacity;
    const { requestsPerMinute, tokensPerMinute } = pacer.rates;
    // Half the bucket keeps calls flowing; but never so small that the request rate binds first.
    const tokensPerRequest = requestsPerMinute === undefined || tokensPerMinute === undefined ? 0 : (2 * tokensPerMinute) / requestsPerMinute;
    return {
      maxTokensPerCall: capacity === undefined ? undefined : Math.max(capacity / 2, tokensPerRequest),
      waitMillis: (estimatedTokens) => pacer.waitMillis(estimatedTokens),
    };
  }

  /**
   * Learns from a provider's answer to a call (`admission`: how the pacer let it through, if it
   * did). Returns whether the connector is paced to limits the provider reported, in which case
   * pacing, not adaptive concurrency, answers its throttling.
   */
  observe(poolKey: string, config: TransportOptions, answer: OutboundResponse, admission: Admission | undefined): boolean {
    const snapshot = parseRateLimitHeaders(answer.headers);
    const throttled = isThrottleAnswer(answer.status, answer.headers);
    const pause = throttled ? retryAfterMillis(answer.headers, this.clock.now()) : undefined;
    let entry = this.entries.get(poolKey);
    if (snapshot === undefined && pause === undefined) return entry !== undefined && isLearned(entry.learned);
    const share = config.rateShare ?? 1;
    if (entry === undefined || entry.fingerprint !== fingerprintOf(config)) entry = this.replace(poolKey, config, entry?.learned ?? {});
    if (snapshot !== undefined && learn(entry.learned, snapshot)) {
      const rates = effectiveRates(config, entry.learned);
      // Calls sent before anything was known are still arriving at the provider: a new bucket
      // starts empty rather than at the `remaining` one of them reported.
      entry.pacer.setRates(rates.requestsPerMinute, rates.tokensPerMinute, { requests: 0, tokens: 0 });
    }
    if (admission !== undefined) entry.pacer.settle(admission, snapshot, !throttled, share);
    if (pause !== undefined && pause > 0) entry.pacer.pause(pause);
    return isLearned(entry.learned);
  }

  private replace(poolKey: string, config: TransportOptions, learned: LearnedLimits): Entry {
    if (!this.entries.has(poolKey) && this.entries.size >= this.maxIdleEntries) this.dropIdle();
    const rates = effectiveRates(config, learned);
    const pacer = new RequestPacer({ ...rates, maxQueued: config.maxQueuedRequests }, this.clock, connectorName(poolKey));
    const entry = { fingerprint: fingerprintOf(config), pacer, learned };
    this.entries.set(poolKey, entry);
    return entry;
  }

  /** Each pacer's pool key and queue, for gauges read when metrics are scraped. */
  *states(): Iterable<{ readonly key: string; readonly queued: number }> {
    for (const [key, entry] of this.entries) yield { key, queued: entry.pacer.queued };
  }

  private dropIdle(): void {
    for (const [key, entry] of this.entries) if (entry.pacer.idle) this.entries.delete(key);
  }
}

const isLearned = (learned: LearnedLimits): boolean => learned.requestsPerMinute !== undefined || learned.tokensPerMinute !== undefined;

/** Records the limits a snapshot reports; true when one changed. */
function learn(learned: LearnedLimits, snapshot: RateLimitSnapshot): boolean {
  const requests = snapshot.requests?.limit;
  const tokens = snapshot.tokens?.limit;
  let changed = false;
  if (requests !== undefined && requests !== learned.requestsPerMinute) {
    learned.requestsPerMinute = requests;
    changed = true;
  }
  if (tokens !== undefined && tokens !== learned.tokensPerMinute) {
    learned.tokensPerMinute = tokens;
    changed = true;
  }
  return changed;
}

/** The lower of the configured rate (already this replica's share) and this replica's share of the learned one. */
function effectiveRates(config: TransportOptions, learned: LearnedLimits): { requestsPerMinute: number | undefined; tokensPerMinute: number | undefined } {
  const share = config.rateShare ?? 1;
  return {
    requestsPerMinute: lower(config.requestsPerMinute, learned.requestsPerMinute === undefined ? undefined : learned.requestsPerMinute * share),
    tokensPerMinute: lower(config.tokensPerMinute, learned.tokensPerMinute === undefined ? undefined : learned.tokensPerMinute * share),
  };
}

function lower(left: number | undefined, right: number | undefined): number | undefined {
  if (left === undefined) return right;
  return right === undefined ? left : Math.min(left, right);
}

/** `connector:<id>` names the connector; `model:<id>` is a model's inline connector. */
function connectorName(poolKey: string): string {
  if (poolKey.startsWith('connector:')) return poolKey.slice('connector:'.length);
  if (poolKey.startsWith('model:')) return `of model ${poolKey.slice('model:'.length)}`;
  return poolKey;
}
