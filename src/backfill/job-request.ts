/**
 * Reads a `_reindex` or `_update_by_query` request the sidecar runs itself into a job spec:
 * OpenSearch's body and parameters (batch size, `max_docs`, `conflicts`, `requests_per_second`,
 * `wait_for_completion`, `refresh`, `dest.op_type` / `version_type` / `routing`), with
 * OpenSearch's messages; what only the cluster can do (scripts, remote sources, manual slices)
 * is a 400 saying so. `slices` is accepted and the job runs as one sequence.
 */
import { illegalArgument, OpenSearchError } from '../errors/opensearch-error.js';
import { compileSchema, validateOrThrow } from '../schemas/ajv.js';
import { reindexBodySchema, updateByQueryBodySchema } from '../schemas/backfill-schemas.js';
import type { JsonObject } from '../store/store.js';
import type { JobSpec } from './job-record.js';

interface ReindexBody {
  source: { index: string | string[]; query?: JsonObject; size?: number; _source?: unknown; remote?: unknown; slice?: unknown; sort?: unknown };
  dest: { index: string; pipeline?: string; op_type?: 'index' | 'create'; version_type?: JobSpec['version_type']; routing?: string };
  max_docs?: number;
  size?: number;
  conflicts?: 'abort' | 'proceed';
  script?: unknown;
}

interface UpdateByQueryBody {
  query?: JsonObject;
  max_docs?: number;
  conflicts?: 'abort' | 'proceed';
  script?: unknown;
  slice?: unknown;
  sort?: unknown;
}

const validateReindex = compileSchema<ReindexBody>(reindexBodySchema);
const validateUpdateByQuery = compileSchema<UpdateByQueryBody>(updateByQueryBodySchema);

const DEFAULT_BATCH_SIZE = 1000;
const RATE_MESSAGE = '[requests_per_second] must be a float greater than 0. Use -1 to disable throttling.';
/** Search parameters the cluster would apply to an update-by-query's search but the sidecar's does not. */
const UNSUPPORTED_SEARCH_PARAMETERS = ['q', 'routing', 'preference', 'from', 'sort', 'search_type', 'terminate_after'];

/** A job to start, and how the caller wants it run. */
export interface JobRequest {
  readonly spec: JobSpec;
  readonly requestsPerSecond: number;
  readonly waitForCompletion: boolean;
}

type Query = Readonly<Record<string, string>>;

export function reindexRequest(body: unknown, query: Query, pipeline: string): JobRequest {
  const reindex = validateOrThrow(validateReindex, body, { what: 'reindex', toError: illegalArgument });
  const refuse = (field: string, why = 'use the pipeline instead') =>
    illegalArgument(`[${field}] is not supported when the sidecar runs the reindex (its pipeline [${pipeline}] is a sidecar pipeline); ${why}`);
  if (reindex.script !== undefined) throw refuse('script', 'use a script processor in the pipeline instead');
  if (reindex.source.remote !== undefined) throw refuse('source.remote', 'reindex into an index of this cluster first');
  if (reindex.source.slice !== undefined) throw refuse('source.slice', 'the sidecar runs the job as one sequence');
  if (reindex.source.sort !== undefined) throw refuse('source.sort', 'the sidecar reads the source in _id order');
  const dest = reindex.dest.index;
  return {
    spec: {
      kind: 'reindex',
      source_indices: (Array.isArray(reindex.source.index) ? reindex.source.index : [reindex.source.index]).flatMap(splitList),
      query: reindex.source.query ?? null,
      source_filter: reindex.source._source ?? null,
      size: reindex.source.size ?? DEFAULT_BATCH_SIZE,
      max_docs: maxDocs(query, reindex.max_docs ?? reindex.size),
      dest_index: dest,
      op_type: reindex.dest.op_type ?? 'index',
      version_type: reindex.dest.version_type ?? null,
      routing: routingOf(reindex.dest.routing),
      pipeline,
      conflicts: conflictsOf(query, reindex.conflicts),
      dead_letter_index: deadLetterIndex(query, `${dest}-dead-letter`),
      refresh: flag(query, 'refresh', false),
    },
    ...runOptions(query),
  };
}

export function updateByQueryRequest(index: string, body: unknown, query: Query, pipeline: string): JobRequest {
  const request = validateOrThrow(validateUpdateByQuery, body ?? {}, { what: 'update_by_query', toError: illegalArgument });
  const refuse = (field: string, why: string) =>
    illegalArgument(`[${field}] is not supported when the sidecar runs the update_by_query (its pipeline [${pipeline}] is a sidecar pipeline); ${why}`);
  if (request.script !== undefined) throw refuse('script', 'use a script processor in the pipeline instead');
  if (request.slice !== undefined) throw refuse('slice', 'the sidecar runs the job as one sequence');
  if (request.sort !== undefined) throw refuse('sort', 'the sidecar reads the documents in _id order');
  const unsupported = UNSUPPORTED_SEARCH_PARAMETERS.find((name) => query[name] !== undefined);
  if (unsupported !== undefined) throw refuse(unsupported, 'put the query in the body');
  const indices = splitList(index);
  const single = indices.length === 1 && !/[*?]/.test(indices[0]!) && indices[0] !== '_all';
  const fallback = single ? `${indices[0]}-dead-letter` : undefined;
  return {
    spec: {
      kind: 'update_by_query',
      source_indices: indices,
      query: request.query ?? null,
      source_filter: null,
      size: positiveInteger(query, 'scroll_size') ?? DEFAULT_BATCH_SIZE,
      max_docs: maxDocs(query, request.max_docs),
      dest_index: null,
      op_type: 'index',
      version_type: null,
      routing: 'keep',
      pipeline,
      conflicts: conflictsOf(query, request.conflicts),
      dead_letter_index: deadLetterIndex(query, fallback),
      refresh: flag(query, 'refresh', false),
    },
    ...runOptions(query),
  };
}

/** `requests_per_second` as OpenSearch reads it: -1 (or absent) is unlimited. */
export function parseRequestsPerSecond(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (raw.trim() === '-1') return -1;
  const rate = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(rate) || rate <= 0) throw illegalArgument(RATE_MESSAGE);
  return rate;
}

function runOptions(query: Query): { requestsPerSecond: number; waitForCompletion: boolean } {
  const slices = query['slices'];
  if (slices !== undefined && slices !== 'auto' && !/^[1-9]\d*$/.test(slices)) {
    throw illegalArgument('[slices] must be a positive integer or the string "auto"');
  }
  return {
    requestsPerSecond: parseRequestsPerSecond(query['requests_per_second']) ?? -1,
    waitForCompletion: flag(query, 'wait_for_completion', true),
  };
}

const splitList = (expression: string): string[] => expression.split(',').map((part) => part.trim()).filter((part) => part !== '');

function routingOf(routing: string | undefined): string {
  if (routing === undefined || routing === 'keep' || routing === 'discard' || routing.startsWith('=')) return routing ?? 'keep';
  throw illegalArgument(`routing must be unset, [keep], [discard] or [=<some new value>]`);
}

function conflictsOf(query: Query, fromBody: 'abort' | 'proceed' | undefined): 'abort' | 'proceed' {
  const value = query['conflicts'] ?? fromBody ?? 'abort';
  if (value !== 'abort' && value !== 'proceed') throw illegalArgument(`conflicts may only be "proceed" or "abort" but was [${value}]`);
  return value;
}

function maxDocs(query: Query, fromBody: number | undefined): number | null {
  const raw = query['max_docs'];
  if (raw === undefined) return fromBody ?? null;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw illegalArgument(`Failed to parse int parameter [max_docs] with value [${raw}]`);
  if (value < 0) throw illegalArgument(`[max_docs] parameter cannot be negative, found [${value}]`);
  return value;
}

function positiveInteger(query: Query, name: string): number | undefined {
  const raw = query[name];
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw illegalArgument(`Failed to parse int parameter [${name}] with value [${raw}]`);
  return Number(raw);
}

function flag(query: Query, name: string, fallback: boolean): boolean {
  const raw = query[name];
  if (raw === undefined) return fallback;
  if (raw === '' || raw === 'true' || raw === 'wait_for') return true;
  if (raw === 'false') return false;
  throw illegalArgument(`Failed to parse value [${raw}] as only [true] or [false] are allowed.`);
}

/** The dead-letter index: `?dead_letter_index=`, else the default; its name checked as OpenSearch checks index names. */
function deadLetterIndex(query: Query, fallback: string | undefined): string {
  const name = query['dead_letter_index'] ?? fallback;
  if (name === undefined) {
    throw illegalArgument('[dead_letter_index] is required when the job reads several indices (there is no single index to name it after)');
  }
  const problem =
    name !== name.toLowerCase() ? 'must be lowercase'
    : /[\\/*?"<>| ,#:]/.test(name) ? 'must not contain the following characters [ , ", *, \\, <, |, ,, >, /, ?, #, :]'
    : /^[_\-+]/.test(name) ? "must not start with '_', '-', or '+'"
    : undefined;
  if (problem !== undefined) {
    throw new OpenSearchError({ status: 400, type: 'invalid_index_name_exception', reason: `Invalid index name [${name}], ${problem}`, extra: { index: name } });
  }
  return name;
}
