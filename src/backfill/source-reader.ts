/**
 * Reads a job's source in batches through a point in time, sorted on `_index` then `_id` with
 * `search_after`. That order does not depend on the point in time, so a job resumed after its
 * point in time lapsed (or on another replica) opens a new one and continues after its checkpoint.
 */
import { isJsonObject } from '../util/json.js';
import { errorFromAnswer, type JobCluster } from './job-cluster.js';
import type { JobSpec } from './job-record.js';

/** How long a point in time lives between two searches of a job. */
const KEEP_ALIVE = '5m';
const SORT = [{ _index: 'asc' }, { _id: 'asc' }];

/** One source document as a search hit. */
export interface SourceHit {
  readonly _index: string;
  readonly _id: string;
  readonly _source: Record<string, unknown>;
  readonly _routing?: string;
  readonly _seq_no?: number;
  readonly _primary_term?: number;
  readonly _version?: number;
  readonly sort: unknown[];
}

export interface SourcePage {
  readonly hits: SourceHit[];
  /** The number of matching documents, when asked for. */
  readonly total: number | undefined;
}

export class SourceReader {
  private pitId: string | null = null;

  constructor(
    private readonly cluster: JobCluster,
    private readonly spec: JobSpec,
    private readonly onRetry: () => void,
  ) {}

  get pointInTime(): string | null {
    return this.pitId;
  }

  /** Reads through a point in time opened earlier (when the job was checked before it started). */
  adopt(pitId: string): void {
    this.pitId = pitId;
  }

  /** Opens a point in time on the source; the cluster's error (a missing index...) is thrown. */
  async open(): Promise<void> {
    const indices = this.spec.source_indices.length === 0 ? '_all' : this.spec.source_indices.map(encodeURIComponent).join(',');
    const answer = await this.cluster.call(
      { method: 'POST', path: `/${indices}/_search/point_in_time`, querystring: { keep_alive: KEEP_ALIVE } },
      this.onRetry,
    );
    const body = answer.body;
    if (answer.status !== 200 || !isJsonObject(body) || typeof body['pit_id'] !== 'string') {
      throw errorFromAnswer(answer, 'opening a point in time');
    }
    this.pitId = body['pit_id'];
  }

  /** The next documents after `after`; a lapsed point in time is replaced once. */
  async page(after: readonly unknown[] | null, size: number, countTotal: boolean): Promise<SourcePage> {
    if (this.pitId === null) await this.open();
    let answer = await this.search(after, size, countTotal);
    if (answer.status === 404 && contextMissing(answer.body)) {
      await this.open();
      answer = await this.search(after, size, countTotal);
    }
    const body = answer.body;
    if (answer.status !== 200 || !isJsonObject(body) || !isJsonObject(body['hits'])) {
      throw errorFromAnswer(answer, 'searching the source');
    }
    if (typeof body['pit_id'] === 'string') this.pitId = body['pit_id'];
    const hits = body['hits'];
    const total = isJsonObject(hits['total']) ? Number(hits['total']['value']) : typeof hits['total'] === 'number' ? hits['total'] : undefined;
    return { hits: Array.isArray(hits['hits']) ? (hits['hits'] as SourceHit[]) : [], total };
  }

  /** Frees the point in time (best effort: it lapses on its own anyway). */
  async close(): Promise<void> {
    if (this.pitId === null) return;
    const id = this.pitId;
    this.pitId = null;
    await this.cluster.call({ method: 'DELETE', path: '/_search/point_in_time', body: { pit_id: [id] } }).catch(() => undefined);
  }

  private search(after: readonly unknown[] | null, size: number, countTotal: boolean) {
    const { spec } = this;
    return this.cluster.call(
      {
        method: 'POST',
        path: '/_search',
        body: {
          size,
          query: spec.query ?? { match_all: {} },
          ...(spec.source_filter === undefined || spec.source_filter === null ? {} : { _source: spec.source_filter }),
          sort: SORT,
          pit: { id: this.pitId, keep_alive: KEEP_ALIVE },
          track_total_hits: countTotal,
          ...(spec.kind === 'update_by_query' ? { seq_no_primary_term: true } : {}),
          ...(spec.version_type === 'external' || spec.version_type === 'external_gte' ? { version: true } : {}),
          ...(after === null ? {} : { search_after: after }),
        },
      },
      this.onRetry,
    );
  }
}

function contextMissing(body: unknown): boolean {
  if (!isJsonObject(body) || !isJsonObject(body['error'])) return false;
  const causes = body['error']['root_cause'];
  return Array.isArray(causes) && causes.some((cause) => isJsonObject(cause) && cause['type'] === 'search_context_missing_exception');
}
