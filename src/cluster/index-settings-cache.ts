import type { Clock } from '../util/clock.js';
import type { ClusterClient } from './cluster-client.js';

/** The pipelines an index names in its settings. */
export interface IndexPipelines {
  readonly defaultPipeline: string | undefined;
  readonly searchDefaultPipeline: string | undefined;
}

const NONE: IndexPipelines = { defaultPipeline: undefined, searchDefaultPipeline: undefined };
const SETTINGS = 'index.default_pipeline,index.search.default_pipeline';

/**
 * `index.default_pipeline` and `index.search.default_pipeline` read from the cluster and cached
 * briefly (they change rarely, and every write or search needs them). A missing index has none.
 */
export class IndexSettingsCache {
  private readonly entries = new Map<string, { value: IndexPipelines; expiresAt: number }>();
  private readonly inFlight = new Map<string, Promise<IndexPipelines>>();

  constructor(
    private readonly cluster: ClusterClient,
    private readonly clock: Clock,
    private readonly ttlMillis = 30_000,
    private readonly maxEntries = 10_000,
  ) {}

  async pipelinesFor(index: string, authorization: string | undefined): Promise<IndexPipelines> {
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

  private async fetch(index: string, authorization: string | undefined): Promise<IndexPipelines> {
    const answer = await this.cluster.call({
      method: 'GET',
      path: `/${encodeURIComponent(index)}/_settings/${SETTINGS}`,
      querystring: { flat_settings: 'true', ignore_unavailable: 'true', allow_no_indices: 'true' },
      authorization,
    });
    const value = answer.status === 200 ? pipelinesFromSettings(answer.body) : NONE;
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
