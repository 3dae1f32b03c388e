/**
 * The pacers of every paced connector, by pool key (so all origins of a connector share one rate).
 * A changed `requests_per_minute` / `tokens_per_minute` / `max_queued_requests` replaces the pacer
 * (the old one lets its waiters go on its own schedule); idle pacers are dropped once the map
 * grows past its bound, so a connector deleted long ago leaves nothing behind.
 */
import type { Clock } from '../util/clock.js';
import { RequestPacer } from './request-pacer.js';
import type { TransportOptions } from './transport-options.js';

interface Entry {
  readonly fingerprint: string;
  readonly pacer: RequestPacer;
}

/** Pacers by pool key. */
export class ConnectorPacers {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    private readonly maxIdleEntries: number,
  ) {}

  /** The pacer for `poolKey`, or undefined when the connector sets no rate. */
  get(poolKey: string, config: TransportOptions): RequestPacer | undefined {
    const { requestsPerMinute, tokensPerMinute, maxQueuedRequests } = config;
    if (requestsPerMinute === undefined && tokensPerMinute === undefined) {
      this.entries.delete(poolKey);
      return undefined;
    }
    const fingerprint = `${requestsPerMinute}/${tokensPerMinute}/${maxQueuedRequests}`;
    const existing = this.entries.get(poolKey);
    if (existing?.fingerprint === fingerprint) return existing.pacer;
    if (existing === undefined && this.entries.size >= this.maxIdleEntries) this.dropIdle();
    const pacer = new RequestPacer(
      { requestsPerMinute, tokensPerMinute, maxQueued: maxQueuedRequests },
      this.clock,
      connectorName(poolKey),
    );
    this.entries.set(poolKey, { fingerprint, pacer });
    return pacer;
  }

  /** Each pacer's pool key and queue, for gauges read when metrics are scraped. */
  *states(): Iterable<{ readonly key: string; readonly queued: number }> {
    for (const [key, entry] of this.entries) yield { key, queued: entry.pacer.queued };
  }

  private dropIdle(): void {
    for (const [key, entry] of this.entries) if (entry.pacer.idle) this.entries.delete(key);
  }
}

/** `connector:<id>` names the connector; `model:<id>` is a model's inline connector. */
function connectorName(poolKey: string): string {
  if (poolKey.startsWith('connector:')) return poolKey.slice('connector:'.length);
  if (poolKey.startsWith('model:')) return `of model ${poolKey.slice('model:'.length)}`;
  return poolKey;
}
