/**
 * One connection pool per (pool key, origin): a connector's calls share keep-alive connections and
 * its `max_connection` limit, and one slow connector cannot starve another. A pool is rebuilt when
 * its settings change (client config or address policy; the old one drains, then closes), pools
 * idle for `idleMillis` are closed, and the map never holds more than `maxPools`.
 */
import type { Dispatcher } from 'undici';
import { AdaptiveConcurrency } from './adaptive-concurrency.js';
import { ConnectionSlots } from './connection-slots.js';

/** A pool and the slots that bound its concurrency. */
export interface PoolEntry {
  readonly dispatcher: Dispatcher;
  readonly slots: ConnectionSlots;
  /** Moves the slots' limit on throttling and success; absent when `adaptive_concurrency` is off. */
  readonly concurrency: AdaptiveConcurrency | undefined;
  readonly fingerprint: string;
  lastUsed: number;
}

/** What the registry needs to build a pool. */
export interface PoolSpec {
  readonly origin: string;
  /** Equal specs share a pool; a different fingerprint under the same key rebuilds it. */
  readonly fingerprint: string;
  readonly maxConnections: number;
  /** Whether the in-flight limit adapts to throttling (default false). */
  readonly adaptiveConcurrency?: boolean;
  create(): Dispatcher;
}

/** Registry sizing and queueing limits. */
export interface PoolLimits {
  readonly maxPools: number;
  readonly idleMillis: number;
  readonly maxQueuedPerPool: number;
  readonly acquireTimeoutMillis: number;
}

/** The bounded pool map. */
export class ConnectionPools {
  private readonly entries = new Map<string, PoolEntry>();
  private readonly sweeper: NodeJS.Timeout;
  private readonly retiring = new Set<Promise<void>>();

  constructor(
    private readonly limits: PoolLimits,
    private readonly now: () => number,
  ) {
    this.sweeper = setInterval(() => this.closeIdle(), Math.max(1000, Math.min(limits.idleMillis, 60_000)));
    this.sweeper.unref(); // never keeps the process alive on its own
  }

  get size(): number {
    return this.entries.size;
  }

  /** The pool for `key` and `spec.origin`, built or rebuilt as needed. Synchronous, so callers can acquire a slot before any eviction runs. */
  get(key: string, spec: PoolSpec): PoolEntry {
    const mapKey = `${key}\u0000${spec.origin}`;
    const existing = this.entries.get(mapKey);
    if (existing !== undefined && existing.fingerprint === spec.fingerprint) {
      existing.lastUsed = this.now();
      return existing;
    }
    if (existing !== undefined) this.retire(mapKey, existing);
    else if (this.entries.size >= this.limits.maxPools) this.evictLeastRecentlyUsed();
    const slots = new ConnectionSlots(spec.maxConnections, this.limits.maxQueuedPerPool, this.limits.acquireTimeoutMillis);
    const entry: PoolEntry = {
      dispatcher: spec.create(),
      slots,
      concurrency: spec.adaptiveConcurrency === true ? new AdaptiveConcurrency(spec.maxConnections, (limit) => slots.setLimit(limit)) : undefined,
      fingerprint: spec.fingerprint,
      lastUsed: this.now(),
    };
    this.entries.set(mapKey, entry);
    return entry;
  }

  /** Each pool's key, in-flight limit and load, for gauges read when metrics are scraped. */
  *states(): Iterable<{ readonly key: string; readonly slots: ConnectionSlots }> {
    for (const [mapKey, entry] of this.entries) yield { key: mapKey.slice(0, mapKey.indexOf('\u0000')), slots: entry.slots };
  }

  /** Closes pools unused for `idleMillis` with nothing in flight. */
  closeIdle(): void {
    const cutoff = this.now() - this.limits.idleMillis;
    for (const [mapKey, entry] of this.entries) {
      if (entry.lastUsed <= cutoff && entry.slots.idle) this.retire(mapKey, entry);
    }
  }

  /** Closes every pool, letting calls in flight finish. */
  async close(): Promise<void> {
    clearInterval(this.sweeper);
    for (const [mapKey, entry] of this.entries) this.retire(mapKey, entry);
    await Promise.all(this.retiring);
  }

  private evictLeastRecentlyUsed(): void {
    let oldest: [string, PoolEntry] | undefined;
    for (const candidate of this.entries) if (oldest === undefined || candidate[1].lastUsed < oldest[1].lastUsed) oldest = candidate;
    if (oldest !== undefined) this.retire(oldest[0], oldest[1]);
  }

  /** Removes the entry now; its dispatcher closes once its in-flight and queued calls are done. */
  private retire(mapKey: string, entry: PoolEntry): void {
    this.entries.delete(mapKey);
    const closed = new Promise<void>((resolve) => entry.slots.whenIdle(resolve))
      .then(() => entry.dispatcher.close())
      .catch(() => undefined); // closing a pool that already failed is not worth reporting
    this.retiring.add(closed);
    void closed.finally(() => this.retiring.delete(closed));
  }
}
