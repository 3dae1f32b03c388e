import { illegalArgument } from '../../errors/opensearch-error.js';
import {
  fuseHybridScores,
  hybridHitKey,
  rankByScore,
  type FusedDocument,
  type HybridExplanation,
  type HybridScoring,
} from '../../processors/search/index.js';
import { shortestFloat32 } from '../../util/float32.js';
import { isJsonObject } from '../../util/json.js';
import type { HybridSearchPlan } from './hybrid-search-plan.js';
import { compareSortValues } from './hybrid-sort.js';

type JsonObject = Record<string, unknown>;

const SUB_QUERY_SCORES_FIELD = 'hybridization_sub_query_scores';

/** One sub-query's hits by document key. */
type SubQueryHits = ReadonlyMap<string, JsonObject>;

/** The cluster's answers a hybrid search is assembled from. */
export interface HybridAnswers {
  /** One search response per sub-query, in order. */
  readonly subQueries: readonly JsonObject[];
  /** The counting search's response, when the plan has one. */
  readonly count?: JsonObject;
  readonly took: number;
}

/**
 * Builds a hybrid search's response from its sub-queries' results, as neural-search's
 * NormalizationProcessorWorkflow does: the pool is every document any sub-query returned,
 * scored by normalizing and combining (or ordered by the sort fields), `min_score` drops the
 * low combined scores, then `from`/`size` pages it. Also returns, with `explain`, each hit's
 * scoring for `hybrid_score_explanation`.
 */
export function assembleHybridResponse(
  plan: HybridSearchPlan,
  scoring: HybridScoring,
  answers: HybridAnswers,
): { response: JsonObject; explanations?: Map<string, HybridExplanation> } {
  const hitLists = answers.subQueries.map(hitsOf);
  const byKey = hitLists.map((hits) => new Map(hits.map((hit) => [keyOf(hit), hit])));
  const firstHits = new Map<string, JsonObject>();
  for (const hits of hitLists) for (const hit of hits) if (!firstHits.has(keyOf(hit))) firstHits.set(keyOf(hit), hit);
  const documents = fuseHybridScores(
    hitLists.map((hits) => hits.map((hit) => ({ key: keyOf(hit), score: typeof hit['_score'] === 'number' ? hit['_score'] : 0 }))),
    scoring,
  );
  const pool = order(plan, documents, firstHits);
  if (plan.from > pool.length) throw illegalArgument('Reached end of search result, increase pagination_depth value to see more results');
  const page = pool.slice(plan.from, plan.from + plan.size);
  const byScore = plan.order.kind === 'score';
  const hits = page.map((document) => renderHit(plan, scoring, document, firstHits.get(document.key)!, byKey));
  const total = plan.minScore === undefined ? countedTotal(answers.count) : { value: pool.length, relation: 'eq' };
  const first = answers.subQueries[0] ?? answers.count ?? {};
  const response: JsonObject = {
    took: answers.took,
    timed_out: [...answers.subQueries, answers.count].some((answer) => answer?.['timed_out'] === true),
    ...(first['_shards'] === undefined ? {} : { _shards: first['_shards'] }),
    hits: {
      ...(total === undefined ? {} : { total }),
      max_score: byScore && pool.length > 0 ? shortestFloat32(Math.max(...pool.map((document) => document.score))) : null,
      hits,
    },
  };
  for (const key of ['aggregations', 'suggest']) if (answers.count?.[key] !== undefined) response[key] = answers.count[key];
  if (!plan.explain) return { response };
  return { response, explanations: new Map(page.map((document) => [document.key, explanationOf(scoring, document, byKey)])) };
}

/** The pool in result order, after `min_score`. */
function order(plan: HybridSearchPlan, documents: readonly FusedDocument[], firstHits: ReadonlyMap<string, JsonObject>): FusedDocument[] {
  const sorted = plan.order;
  if (sorted.kind === 'fields') {
    const values = (document: FusedDocument) => {
      const sort = firstHits.get(document.key)?.['sort'];
      return Array.isArray(sort) ? sort : [];
    };
    return [...documents].sort((left, right) => compareSortValues(sorted.descending, values(left), values(right)));
  }
  const ranked = rankByScore(documents);
  if (sorted.ascending) ranked.reverse();
  return plan.minScore === undefined ? ranked : ranked.filter((document) => document.score >= plan.minScore!);
}

function renderHit(plan: HybridSearchPlan, scoring: HybridScoring, document: FusedDocument, source: JsonObject, byKey: readonly SubQueryHits[]): JsonObject {
  const hit: JsonObject = structuredClone(source);
  const score = shortestFloat32(document.score);
  if (plan.order.kind === 'score') {
    hit['_score'] = score;
    if (plan.order.withSortValues) hit['sort'] = [score];
    else delete hit['sort'];
  } else {
    hit['_score'] = null;
  }
  if (plan.explain) {
    const matched = subQueryHits(document, byKey);
    hit['_explanation'] = {
      value: shortestFloat32(Math.max(...matched.map(({ subQuery }) => document.rawScores[subQuery]!))),
      description: 'combined score of:',
      details: matched.map(({ hit: subHit, subQuery }) => subExplanation(subHit, document.rawScores[subQuery]!)),
    };
  }
  if (scoring.subQueryScores) {
    const fields = isJsonObject(hit['fields']) ? hit['fields'] : {};
    hit['fields'] = { ...fields, [SUB_QUERY_SCORES_FIELD]: document.rawScores.map(shortestFloat32) };
  }
  return hit;
}

/** How one document's score came about, for `hybrid_score_explanation`. */
function explanationOf(scoring: HybridScoring, document: FusedDocument, byKey: readonly SubQueryHits[]): HybridExplanation {
  return {
    description: `${scoring.combination.describe()} combination of:`,
    details: subQueryHits(document, byKey).map(({ hit, subQuery }) => ({
      value: shortestFloat32(document.normalizedScores[subQuery]!),
      description: `${scoring.normalization.describe()} normalization of:`,
      details: [subExplanation(hit, document.rawScores[subQuery]!)],
    })),
  };
}

/** The sub-queries that returned the document, with their hit. */
function subQueryHits(document: FusedDocument, byKey: readonly SubQueryHits[]): Array<{ hit: JsonObject; subQuery: number }> {
  return byKey.flatMap((hits, subQuery) => {
    const hit = hits.get(document.key);
    return hit === undefined ? [] : [{ hit, subQuery }];
  });
}

const subExplanation = (hit: JsonObject, rawScore: number): unknown =>
  hit['_explanation'] ?? { value: shortestFloat32(rawScore), description: 'sub-query score', details: [] };

function hitsOf(answer: JsonObject): JsonObject[] {
  const hits = isJsonObject(answer['hits']) ? answer['hits']['hits'] : undefined;
  return Array.isArray(hits) ? hits.filter(isJsonObject) : [];
}

const keyOf = (hit: JsonObject): string => hybridHitKey(hit['_index'], hit['_id']);

function countedTotal(count: JsonObject | undefined): unknown {
  return isJsonObject(count?.['hits']) ? count['hits']['total'] : undefined;
}
