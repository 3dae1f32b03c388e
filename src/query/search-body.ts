/**
 * Parses and validates a `_search` body without evaluating it. Accepted and ignored because they
 * change nothing here: `timeout`, `version` and `seq_no_primary_term` (hits always carry
 * `_version`, `_seq_no` and `_primary_term`, as ML Commons' own searches request them),
 * `explain: false`, `profile: false`. Every other key that would change the response
 * (aggregations, highlighting, `stored_fields` even as `_none_`, collapse...) is a 400 naming
 * the key, because silently ignoring it would return something the client did not ask for.
 */
import { badValue, parsingException } from './errors.js';
import { compileNode, type CompileOptions } from './compile-query.js';
import type { FieldMapping } from './field-mapping.js';
import {
  expectBoolean,
  expectMap,
  expectNonNegativeInt,
  expectNumber,
  expectString,
  getOwn,
  tokenName,
} from './json.js';
import type { QueryNode } from './query-node.js';
import { parseSearchAfter, type SearchAfterValue } from './search-after.js';
import { parseSort, type SortKey } from './sort.js';
import { FETCH_ALL, parseSourceFilter, type SourceFilter } from './source-filter.js';

/** OpenSearch's `index.max_result_window` default. */
export const MAX_RESULT_WINDOW = 10_000;
/** OpenSearch's default `track_total_hits` threshold. */
export const DEFAULT_TRACK_TOTAL_HITS = 10_000;

/** A validated search body. */
export interface ParsedSearch {
  readonly query: QueryNode;
  readonly postFilter: QueryNode | null;
  readonly from: number;
  readonly size: number;
  /** Null for relevance order (no `sort`, or only `_score` descending). */
  readonly sort: readonly SortKey[] | null;
  /** `search_after` values as given (checked against the sort when the search runs). */
  readonly searchAfter: readonly SearchAfterValue[] | null;
  readonly source: SourceFilter;
  /** `false` omits `hits.total`; a number caps it (`relation: "gte"` beyond it). */
  readonly trackTotalHits: false | number;
  readonly trackScores: boolean;
  readonly minScore: number | null;
  /** 0 when unset. */
  readonly terminateAfter: number;
}

const IGNORED = new Set(['timeout', 'version', 'seq_no_primary_term']);
const UNSUPPORTED = new Set([
  'aggs',
  'aggregations',
  'highlight',
  'suggest',
  'collapse',
  'script_fields',
  'knn',
  'rescore',
  'slice',
  'pit',
  'point_in_time',
  'docvalue_fields',
  'fields',
  'stored_fields',
  'indices_boost',
  'stats',
  'ext',
  'runtime_mappings',
  'derived',
  'search_pipeline',
  'verbose_pipeline',
]);
const HANDLED = new Set([
  'query',
  'post_filter',
  'from',
  'size',
  'sort',
  'search_after',
  '_source',
  'track_total_hits',
  'track_scores',
  'min_score',
  'terminate_after',
  'explain',
  'profile',
]);

function readTrackTotalHits(raw: unknown): false | number {
  if (raw === undefined) return DEFAULT_TRACK_TOTAL_HITS;
  if (raw === true || raw === 'true') return Number.POSITIVE_INFINITY;
  if (raw === false || raw === 'false') return false;
  const n = expectNumber(raw, 'track_total_hits');
  if (!Number.isInteger(n) || n < -1)
    throw badValue(
      `[track_total_hits] parameter must be positive or equals to -1, got ${String(raw)}`,
    );
  return n === -1 ? Number.POSITIVE_INFINITY : n;
}

/** Validates `timeout` ("10s", "500ms", -1) even though a linear scan never times out. */
function readTimeout(raw: unknown): void {
  const text = typeof raw === 'number' ? String(raw) : expectString(raw, 'timeout');
  if (!/^(-1|0|\d+(nanos|micros|ms|s|m|h|d))$/.test(text.trim())) {
    throw badValue(
      `failed to parse setting [timeout] with value [${text}] as a time value: unit is missing or unrecognized`,
    );
  }
}

function readFlag(body: Readonly<Record<string, unknown>>, key: string): boolean {
  const raw = getOwn(body, key);
  return raw === undefined ? false : expectBoolean(raw, key);
}

/** Parses a search body (undefined, null or `{}` = match_all); throws a 400 on any problem. */
export function parseSearchBody(
  body: unknown,
  mapping: FieldMapping,
  options: CompileOptions = {},
): ParsedSearch {
  const map = body === undefined || body === null ? {} : expectMap(body, 'body');
  for (const [key, value] of Object.entries(map)) {
    if (HANDLED.has(key)) continue;
    if (IGNORED.has(key)) {
      if (key === 'timeout') readTimeout(value);
      else expectBoolean(value, key);
      continue;
    }
    if (UNSUPPORTED.has(key)) throw parsingException(`[${key}] is not supported by this service`);
    throw parsingException(`Unknown key for a ${tokenName(value)} in [${key}].`);
  }
  for (const key of ['explain', 'profile']) {
    if (readFlag(map, key))
      throw parsingException(`[${key}] true is not supported by this service`);
  }
  const rawFrom = getOwn(map, 'from');
  const rawSize = getOwn(map, 'size');
  if (typeof rawFrom === 'number' && rawFrom < 0)
    throw badValue(`[from] parameter cannot be negative but was [${rawFrom}]`);
  if (typeof rawSize === 'number' && rawSize < 0)
    throw badValue(`[size] parameter cannot be negative, found [${rawSize}]`);
  const from = rawFrom === undefined ? 0 : expectNonNegativeInt(rawFrom, 'from');
  const size = rawSize === undefined ? 10 : expectNonNegativeInt(rawSize, 'size');
  if (from + size > MAX_RESULT_WINDOW) {
    throw badValue(
      `Result window is too large, from + size must be less than or equal to: [${MAX_RESULT_WINDOW}] but was [${from + size}]. See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the [index.max_result_window] index level setting.`,
    );
  }
  const rawQuery = getOwn(map, 'query');
  const rawPostFilter = getOwn(map, 'post_filter');
  const rawSort = getOwn(map, 'sort');
  const rawSearchAfter = getOwn(map, 'search_after');
  const rawMinScore = getOwn(map, 'min_score');
  const rawTerminate = getOwn(map, 'terminate_after');
  return {
    query: compileNode(rawQuery ?? { match_all: {} }, mapping, 'query', options),
    postFilter:
      rawPostFilter === undefined
        ? null
        : compileNode(rawPostFilter, mapping, 'post_filter', options),
    from,
    size,
    sort: rawSort === undefined ? null : parseSort(rawSort, mapping, options.now ?? Date.now()),
    searchAfter: rawSearchAfter === undefined ? null : parseSearchAfter(rawSearchAfter),
    source: Object.hasOwn(map, '_source') ? parseSourceFilter(map['_source']) : FETCH_ALL,
    trackTotalHits: readTrackTotalHits(getOwn(map, 'track_total_hits')),
    trackScores: readFlag(map, 'track_scores'),
    minScore: rawMinScore === undefined ? null : expectNumber(rawMinScore, 'min_score'),
    terminateAfter:
      rawTerminate === undefined ? 0 : expectNonNegativeInt(rawTerminate, 'terminate_after'),
  };
}

/** Validates a search body without evaluating it (throws the same 400s `search` would). */
export function validateSearchBody(body: unknown, mapping: FieldMapping): void {
  parseSearchBody(body, mapping);
}
