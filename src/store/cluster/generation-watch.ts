/**
 * How a replica learns that another one changed a cached collection. Every write to a watched
 * collection bumps that collection's generation document (`generation:<collection>` in the config
 * index); each replica reads all generation documents in one realtime `_mget` every
 * `pollIntervalMs` and announces the collections whose `_seq_no` moved. Independently, every
 * `cacheTtlMs` all watched collections are announced, so no cache outlives its TTL even if a bump
 * was lost (a replica that died between its write and its bump).
 */
import type { ChangeFeed } from '../change-feed.js';
import type { StateCalls } from './state-calls.js';
import type { StateLayout } from './state-documents.js';
import { WATCHED_COLLECTIONS } from './state-indices.js';

const GENERATION = 'generation';

export interface GenerationWatchOptions {
  readonly pollIntervalMs: number;
  readonly cacheTtlMs: number;
  readonly replicaId: string;
  readonly now: () => number;
  /** Told when polling starts failing and when it works again (not on every failed poll). */
  readonly onHealthChange?: (healthy: boolean, reason?: string) => void;
}

export class GenerationWatch {
  private readonly seen = new Map<string, number>();
  private timers: NodeJS.Timeout[] = [];
  private healthy = true;
  private polling = false;

  constructor(
    private readonly calls: StateCalls,
    private readonly layout: StateLayout,
    private readonly feed: ChangeFeed,
    private readonly options: GenerationWatchOptions,
  ) {}

  /** Marks the collections changed for every replica (one `_bulk` of generation documents). */
  async bump(collections: Iterable<string>): Promise<void> {
    const watched = [...new Set(collections)].filter((collection) => WATCHED_COLLECTIONS.includes(collection));
    if (watched.length === 0) return;
    const index = this.layout.indexOf(GENERATION);
    const now = this.options.now();
    const lines = watched.flatMap((collection) => [
      JSON.stringify({ index: { _index: index, _id: this.layout.documentId(GENERATION, collection) } }),
      JSON.stringify(this.layout.wrap(GENERATION, collection, { changed_at: now, changed_by: this.options.replicaId }, now)),
    ]);
    await this.calls.expect({ method: 'POST', path: '/_bulk', body: `${lines.join('\n')}\n`, ndjson: true }, 'announce a change');
  }

  /** Reads the current generations (the baseline), then polls and expires on timers. */
  async start(): Promise<void> {
    await this.poll();
    this.timers = [
      setInterval(() => void this.pollQuietly(), this.options.pollIntervalMs),
      setInterval(() => this.feed.emit(WATCHED_COLLECTIONS), this.options.cacheTtlMs),
    ];
    for (const timer of this.timers) timer.unref();
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }

  /** One poll: announces each watched collection whose generation moved since the last poll. */
  async poll(): Promise<void> {
    const index = this.layout.indexOf(GENERATION);
    const ids = WATCHED_COLLECTIONS.map((collection) => this.layout.documentId(GENERATION, collection));
    const response = await this.calls.expect({ method: 'POST', path: `/${encodeURIComponent(index)}/_mget`, body: { ids } }, 'read generations');
    const docs = (response.body as { docs?: Array<{ found?: boolean; _seq_no?: number }> }).docs ?? [];
    const changed: string[] = [];
    WATCHED_COLLECTIONS.forEach((collection, position) => {
      const doc = docs[position];
      const generation = doc?.found === true ? Number(doc._seq_no) : -1;
      const previous = this.seen.get(collection);
      if (previous !== undefined && previous !== generation) changed.push(collection);
      this.seen.set(collection, generation);
    });
    this.feed.emit(changed);
  }

  private async pollQuietly(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      await this.poll();
      if (!this.healthy) this.options.onHealthChange?.(true);
      this.healthy = true;
    } catch (error) {
      if (this.healthy) this.options.onHealthChange?.(false, (error as Error).message);
      this.healthy = false;
    } finally {
      this.polling = false;
    }
  }
}
