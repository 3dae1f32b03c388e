/**
 * A backfill job as the store keeps it: what it does (its spec), where it is (counters and the
 * checkpoint: the sort values of the last document written), who runs it, and how it ended. The
 * record is rewritten after every batch, conditionally on the version its runner last wrote, so
 * two replicas never both advance one job.
 */
import type { JsonObject } from '../store/store.js';

/** Where jobs live (the tasks index of the cluster store, ids prefixed). */
export const BACKFILL_JOBS = 'backfill-jobs';

export type JobKind = 'reindex' | 'update_by_query';
export type JobState = 'running' | 'completed' | 'failed' | 'cancelled';

/** What a job does, normalised from the request. */
export interface JobSpec extends JsonObject {
  kind: JobKind;
  /** The source index expressions, as given. */
  source_indices: string[];
  query: JsonObject | null;
  /** The search's `_source` (filtering), as given. */
  source_filter: unknown;
  /** Documents per batch (`source.size`, `scroll_size`). */
  size: number;
  max_docs: number | null;
  /** Reindex: the destination; update_by_query: null (documents are written back in place). */
  dest_index: string | null;
  op_type: 'index' | 'create';
  version_type: 'internal' | 'external' | 'external_gte' | null;
  /** `keep`, `discard`, or `=<value>` (OpenSearch's `dest.routing`). */
  routing: string;
  pipeline: string;
  conflicts: 'abort' | 'proceed';
  dead_letter_index: string;
  /** Refresh the written indices when the job ends (`?refresh`). */
  refresh: boolean;
}

/** The counters of OpenSearch's BulkByScrollTask status, plus the documents dead-lettered. */
export interface JobCounters extends JsonObject {
  total: number;
  updated: number;
  created: number;
  deleted: number;
  batches: number;
  version_conflicts: number;
  noops: number;
  failures: number;
  bulk_retries: number;
  search_retries: number;
  throttled_millis: number;
}

/** One failure as OpenSearch's reindex response lists it (`index`, `id`, `cause`, `status`). */
export interface JobFailure extends JsonObject {
  index: string;
  id: string;
  cause: JsonObject;
  status: number;
}

export interface JobRecord extends JsonObject {
  /** `<node>:<number>`, as OpenSearch shows task ids; the record id too. */
  task: string;
  node: string;
  number: number;
  description: string;
  spec: JobSpec;
  state: JobState;
  start_time_in_millis: number;
  end_time_in_millis: number | null;
  counters: JobCounters;
  /** -1 is unlimited, as OpenSearch renders `Float.POSITIVE_INFINITY`. */
  requests_per_second: number;
  throttled_until_millis: number;
  /** The sort values (`_index`, `_id`) of the last document of the last batch written. */
  after: unknown[] | null;
  /** The point in time being read (a resumed job opens a new one). */
  pit_id: string | null;
  /** The run advancing the job (replica and run), or null when none does. */
  runner: string | null;
  cancel_requested: boolean;
  /** The first failures, for the response (every failure is in the dead-letter index). */
  failures: JobFailure[];
  /** A failure that ended the job (not a document's: those are dead-lettered). */
  error: JsonObject | null;
  /** The caller's `Authorization` header, encrypted with the master key, for a resumed run. */
  authorization: string | null;
}

/** Failures kept in the record and the response; the dead-letter index holds them all. */
export const MAX_LISTED_FAILURES = 100;

export const emptyCounters = (): JobCounters => ({
  total: 0,
  updated: 0,
  created: 0,
  deleted: 0,
  batches: 0,
  version_conflicts: 0,
  noops: 0,
  failures: 0,
  bulk_retries: 0,
  search_retries: 0,
  throttled_millis: 0,
});

/** What OpenSearch calls the job's transport action. */
export const ACTIONS: Readonly<Record<JobKind, string>> = {
  reindex: 'indices:data/write/reindex',
  update_by_query: 'indices:data/write/update/byquery',
};

/** OpenSearch's task description (`ReindexRequest.toString`, `UpdateByQueryRequest.toString`). */
export function describeJob(spec: JobSpec): string {
  const sources = spec.source_indices.length === 0 ? '[all indices]' : `[${spec.source_indices.join(', ')}]`;
  return spec.kind === 'reindex' ? `reindex from ${sources} to [${spec.dest_index}]` : `update-by-query ${sources}`;
}
