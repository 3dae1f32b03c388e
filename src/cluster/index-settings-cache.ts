import type { Clock } from '../util/clock.js';
import type { ClusterClient } from './cluster-client.js';

/** The pipelines an index names in its settings. */
export interface IndexPipelines {
  readonly defaultPipeline: string | undefined;
  readonly searchDefaultPipeline: string | undefined;
}

/** What a hybrid search needs to know of the indices it searches. */
export interface IndexSearchSettings {
  /** Primary shards over every index the expression names (each returns its own best results). */
  readonly primaryShards: number;
  /** The smallest `index.max_result_window` among them. */
  readonly maxResultWindow: number;
}

interface IndexSettingsEntry extends IndexPipelines, IndexSearchSettings {}

const NONE: IndexSettingsEntry = { defaultPipeline: undefined, searchDefaultPipeline: undefined, primaryShards: 1, maxResultWindow: 10_000 };
const SETTINGS = 'index.default_pipeline,index.search.default_pipeline,index.number_of_shards,index.max_result_window';

/**
 * `index.default_pipeline`, `index.search.default_pipeline`, the primary shard count and
 * `index.max_result_window`, read from the cluster and cached briefly (they change rarely, and
 * every write or search needs them). A missing index has no pipelines.
 */
export class IndexSettingsCache {
  private readonly entries = new Map<string, { value: IndexSettingsEntry; expiresAt: number }>();
  private readonly inFlight = new Map<string, Promise<IndexSettingsEntry>>();

  constructor(
    private readonly cluster: ClusterClient,
    private readonly clock: Clock,
    private readonly ttlMillis = 30_000,
    private readonly maxEntries = 10_000,
  ) {}

  async pipelinesFor(index: string, authorization: string | undefined): Promise<IndexPipelines> {
    const { defaultPipeline, searchDefaultPipeline } = await this.settingsFor(index, authorization);
    return { defaultPipeline, searchDefaultPipeline };
  }

  async searchSettingsFor(index: string, authorization: string | undefined): Promise<IndexSearchSettings> {
    const { primaryShards, maxResultWindow } = await this.settingsFor(index, authorization);
    return { primaryShards, maxResultWindow };
  }

  private async settingsFor(index: string, authorization: string | undefined): Promise<IndexSettingsEntry> {
    const cached = this.entries.get(index);
    if (cached && cached.expiresAt > this.clock.now()) return cached.value;
    const pending = this.inFlight.get(index);
    if (pending) return pending;
    const lookup = this.fetch(index, authorization).finally(() => this.inFlight.delete(index));
    this.inFlight.set(index, lookup);
    return lookup;
  }

  /** Forgets an index (after the proxy forwards a settings change, an index creation or deletion). */
  invalidate(index?: string): void {
    if (index === undefined) this.entries.clear();
    else this.entries.delete(index);
  }

  private async fetch(index: string, authorization: string | undefined): Promise<IndexSettingsEntry> {
    const answer = await this.cluster.call({
      method: 'GET',
      path: `/${encodeURIComponent(index)}/_settings/${SETTINGS}`,
      querystring: { flat_settings: 'true', include_defaults: 'true', ignore_unavailable: 'true', allow_no_indices: 'true' },
      authorization,
    });
    const value = answer.status === 200 ? { ...pipelinesFromSettings(answer.body), ...searchSettingsFrom(answer.body) } : NONE;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(index, { value, expiresAt: this.clock.now() + this.ttlMillis });
    return value;
  }
}

/** The first concrete index that names a pipeline wins (an alias or pattern may cover several). */
function pipelinesFromSettings(body: unknown): IndexPipelines {
  if (typeof body !== 'object' || body === null) return NONE;
  let defaultPipeline: string | undefined;
  let searchDefaultPipeline: string | undefined;
  for (const entry of Object.values(body as Record<string, { settings?: Record<string, unknown> }>)) {
    const settings = entry?.settings ?? {};
    const ingest = settings['index.default_pipeline'];
    const search = settings['index.search.default_pipeline'];
    if (defaultPipeline === undefined && typeof ingest === 'string') defaultPipeline = ingest;
    if (searchDefaultPipeline === undefined && typeof search === 'string') searchDefaultPipeline = search;
  }
  return { defaultPipeline, searchDefaultPipeline };
}

/** Primary shards summed and the smallest result window over the concrete indices (defaults count for unset ones). */
function searchSettingsFrom(body: unknown): IndexSearchSettings {
  if (typeof body !== 'object' || body === null) return NONE;
  const entries = Object.values(body as Record<string, { settings?: Record<string, unknown>; defaults?: Record<string, unknown> }>);
  if (entries.length === 0) return NONE;
  const setting = (entry: (typeof entries)[number], key: string, fallback: number): number => {
    const value = Number(entry?.settings?.[key] ?? entry?.defaults?.[key] ?? fallback);
    return Number.isFinite(value) && value > 0 ? value : fallback;
  };
  return {
    primaryShards: entries.reduce((sum, entry) => sum + setting(entry, 'index.number_of_shards', 1), 0),
    maxResultWindow: Math.min(...entries.map((entry) => setting(entry, 'index.max_result_window', NONE.maxResultWindow))),
  };
}
