import { illegalArgument } from '../../errors/opensearch-error.js';
import { parseHybridQuery, topLevelHybrid } from '../../processors/search/index.js';
import { hybridOrder, type HybridOrder } from './hybrid-sort.js';

type JsonObject = Record<string, unknown>;

/** What a `hybrid` search runs: one search per sub-query, and one that counts and aggregates. */
export interface HybridSearchPlan {
  readonly subQueries: readonly JsonObject[];
  readonly from: number;
  readonly size: number;
  /** Results each sub-query contributes per shard: `pagination_depth`, else `from + size`. */
  readonly depth: number;
  readonly order: HybridOrder;
  /** Applies to the combined score. */
  readonly minScore?: number;
  readonly explain: boolean;
  /** The body keys every sub-query search carries besides its query, `from` and `size`. */
  readonly shared: JsonObject;
  /** The search counting the documents any sub-query matches (and running aggregations), when needed. */
  readonly count?: JsonObject;
}

/** URL parameters a hybrid search reads itself instead of passing them to the sub-query searches. */
export const HYBRID_URL_PARAMETERS = ['from', 'size', 'explain', 'track_total_hits', 'track_scores'] as const;

// Keys the plan takes over: they apply to the combined results, not to each sub-query.
const COMBINED_KEYS = new Set(['query', 'from', 'size', 'sort', 'search_after', 'min_score', 'explain', 'track_scores', 'track_total_hits', 'aggs', 'aggregations', 'suggest']);

/**
 * Plans a search whose query is a top-level `hybrid` clause, with neural-search's rules and
 * messages: `from` needs `pagination_depth`, sorting is by `_score` or by fields (not both),
 * `min_score` applies to the combined score (so only with score order), sorting excludes rescoring.
 */
export function planHybridSearch(body: JsonObject, url: Readonly<Record<string, string>> = {}): HybridSearchPlan {
  if (url['scroll'] !== undefined) throw illegalArgument('Scroll operation is not supported in hybrid query');
  if (body['collapse'] !== undefined) throw illegalArgument('collapse is not available for hybrid queries run by the sidecar');
  const hybrid = parseHybridQuery(topLevelHybrid(body));
  const from = count(url['from'] ?? body['from'], 'from', 0);
  const size = count(url['size'] ?? body['size'], 'size', 10);
  if (hybrid.paginationDepth !== undefined && hybrid.paginationDepth < 0) {
    throw illegalArgument('pagination_depth should be greater than 0');
  }
  if (from > 0 && hybrid.paginationDepth === undefined) throw illegalArgument('pagination_depth is missing in the search request');
  const trackScores = flag(url['track_scores'] ?? body['track_scores']);
  const order = hybridOrder(body['sort'], trackScores);
  const minScore = typeof body['min_score'] === 'number' ? body['min_score'] : undefined;
  if (order.kind === 'fields' && minScore !== undefined) {
    throw illegalArgument('min_score applies to the combined score of a hybrid query: sort by _score or not at all to use it');
  }
  if (order.kind === 'fields' && body['rescore'] !== undefined) throw illegalArgument('Cannot use [sort] option in conjunction with [rescore].');
  if (order.kind === 'score' && body['search_after'] !== undefined) {
    throw illegalArgument('search_after needs a sort on fields in a hybrid query');
  }
  const explain = flag(url['explain'] ?? body['explain']);
  const shared: JsonObject = {};
  for (const [key, value] of Object.entries(body)) if (!COMBINED_KEYS.has(key) && key !== 'ext') shared[key] = value;
  if (order.kind === 'fields') {
    shared['sort'] = body['sort'];
    if (body['search_after'] !== undefined) shared['search_after'] = body['search_after'];
  }
  if (explain) shared['explain'] = true;
  const trackTotalHits = url['track_total_hits'] ?? body['track_total_hits'];
  const aggregations = body['aggs'] ?? body['aggregations'];
  const counted = trackTotalHits !== false && trackTotalHits !== 'false';
  const countBody: JsonObject | undefined =
    counted || aggregations !== undefined || body['suggest'] !== undefined
      ? {
          size: 0,
          query: { bool: { should: hybrid.queries } },
          ...(trackTotalHits === undefined ? {} : { track_total_hits: normaliseTrackTotalHits(trackTotalHits) }),
          ...pick(body, ['post_filter', 'aggs', 'aggregations', 'suggest', 'timeout']),
        }
      : undefined;
  return {
    subQueries: hybrid.queries,
    from,
    size,
    depth: hybrid.paginationDepth ?? from + size,
    order,
    ...(minScore === undefined ? {} : { minScore }),
    explain,
    shared,
    ...(countBody === undefined ? {} : { count: countBody }),
  };
}

/** The search body of sub-query `index`, asking the cluster for its best `size` results. */
export function subQuerySearch(plan: HybridSearchPlan, index: number, size: number): JsonObject {
  return { ...plan.shared, query: plan.subQueries[index], from: 0, size };
}

/**
 * Refuses what the cluster's result window forbids: `from + size` beyond it (OpenSearch's own
 * check), or a `pagination_depth` beyond it (HybridQueryBuilder.validatePaginationDepth).
 */
export function checkResultWindow(plan: HybridSearchPlan, maxResultWindow: number): void {
  if (plan.from + plan.size > maxResultWindow) {
    throw illegalArgument(
      `Result window is too large, from + size must be less than or equal to: [${maxResultWindow}] but was [${plan.from + plan.size}]. See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the [index.max_result_window] index level setting.`,
    );
  }
  if (plan.depth > maxResultWindow) {
    throw illegalArgument('pagination_depth should be less than or equal to index.max_result_window setting');
  }
}

function count(value: unknown, name: string, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number)) throw illegalArgument(`[${name}] must be an integer`);
  if (number < 0) throw illegalArgument(`[${name}] parameter cannot be negative, found [${number}]`);
  return number;
}

const flag = (value: unknown): boolean => value === true || value === 'true' || value === '';

function normaliseTrackTotalHits(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (value === 'true' || value === '') return true;
  return /^-?\d+$/.test(value) ? Number(value) : value;
}

function pick(body: JsonObject, keys: readonly string[]): JsonObject {
  const picked: JsonObject = {};
  for (const key of keys) if (body[key] !== undefined) picked[key] = body[key];
  return picked;
}
