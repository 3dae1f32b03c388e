/**
 * The search on one index's shard. The request-level checks come first and fail the request
 * as a whole (a body that does not parse or names an unknown query: the evaluator's 400s as it
 * words them); what OpenSearch only finds on the shard is a `ShardSearchError`: a sort on `_id`
 * while `indices.id_field_data.enabled` is false, `from` with `search_after` (a 500
 * `search_exception`, as OpenSearch answers it), the knn checks, and anything the evaluator
 * raises once the body parsed (sort values, `search_after` against the sort). `rescore` and
 * `explain` are applied around the evaluator (rescore.ts, `explainHits`).
 */
import { search, validateSearchBody, type SearchResponse } from '../../../src/query/index.js';
import type { ClusterState } from './cluster-state.js';
import type { IndexState } from './indices.js';
import { isJsonObject, type JsonObject } from './json.js';
import { rewriteKnn } from './knn.js';
import { parseRescorers, rescoreHits } from './rescore.js';
import { toFieldMapping } from './mappings.js';
import { refusePluginQueries } from './plugin-queries.js';
import { fromEvaluatorError, OpenSearchFailure } from './responses.js';
import { ShardSearchError } from './shard-failures.js';

/** The dynamic cluster setting that allows field data (sorting) on `_id`; true by default. */
export const ID_FIELD_DATA_SETTING = 'indices.id_field_data.enabled';

function idFieldDataEnabled(cluster: ClusterState): boolean {
  const { transient, persistent } = cluster.clusterSettings;
  const value = transient.get(ID_FIELD_DATA_SETTING) ?? persistent.get(ID_FIELD_DATA_SETTING);
  return value !== 'false';
}

function sortFields(sort: unknown): string[] {
  const keys = Array.isArray(sort) ? sort : sort === undefined ? [] : [sort];
  return keys.flatMap((key) =>
    typeof key === 'string' ? [key] : isJsonObject(key) ? Object.keys(key) : [],
  );
}

function checkShardRequest(cluster: ClusterState, body: JsonObject): void {
  if (sortFields(body['sort']).includes('_id') && !idFieldDataEnabled(cluster)) {
    throw new ShardSearchError(400, {
      type: 'illegal_argument_exception',
      reason: `Fielddata access on the _id field is disallowed, you can re-enable it by updating the dynamic cluster setting: ${ID_FIELD_DATA_SETTING}`,
    });
  }
  const after = body['search_after'];
  const from = body['from'];
  if (Array.isArray(after) && after.length > 0 && typeof from === 'number' && from > 0) {
    throw new ShardSearchError(500, {
      type: 'search_exception',
      reason: '`from` parameter must be set to 0 when `search_after` is used.',
    });
  }
}

const asFailure = (error: unknown): unknown =>
  error instanceof OpenSearchFailure ? error : (fromEvaluatorError(error) ?? error);

/** Searches one index's documents as of its last refresh. */
export function searchShard(
  cluster: ClusterState,
  index: IndexState,
  body: JsonObject,
): SearchResponse {
  const mapping = toFieldMapping(index.mappings);
  const documents = [...index.searchable.values()];
  refusePluginQueries(body['post_filter']);
  const scope = { index, documents, mapping };
  const { rescore, explain, ...plain } = body;
  const rescorers = rescore === undefined ? [] : parseRescorers(rescore);
  if (rescorers.length > 0 && plain['sort'] !== undefined) {
    throw new ShardSearchError(400, {
      type: 'illegal_argument_exception',
      reason: 'Cannot use [sort] option in conjunction with [rescore].',
    });
  }
  const from = typeof plain['from'] === 'number' ? plain['from'] : 0;
  const size = typeof plain['size'] === 'number' ? plain['size'] : 10;
  // With rescorers the shard collects its top max(from + size, window) hits, then pages them.
  const window = Math.max(from + size, ...rescorers.map((rescorer) => rescorer.windowSize));
  const evaluated: JsonObject = {
    ...plain,
    ...(explain === true || explain === false ? {} : { explain }),
    ...(plain['query'] === undefined ? {} : { query: rewriteKnn(plain['query'], scope) }),
    ...(rescorers.length === 0 ? {} : { from: 0, size: window }),
  };
  try {
    validateSearchBody(evaluated, mapping);
  } catch (error) {
    throw asFailure(error);
  }
  checkShardRequest(cluster, evaluated);
  try {
    const response = search({ records: documents, body: evaluated, mapping, index: index.name });
    if (rescorers.length > 0) {
      rescoreHits(response, rescorers, scope);
      const scores = response.hits.hits.map((hit) => hit._score ?? 0);
      response.hits.max_score = scores.length === 0 ? null : Math.max(...scores);
      response.hits.hits = response.hits.hits.slice(from, from + size);
    }
    if (explain === true) explainHits(response, index, cluster.identity.nodeId);
    return response;
  } catch (error) {
    const failure = asFailure(error);
    if (failure instanceof OpenSearchFailure)
      throw new ShardSearchError(failure.status, failure.detail);
    throw failure;
  }
}

/**
 * `explain: true`: each hit names its shard and node and carries an `_explanation` whose value is
 * its score. The stand-in does not break a score down into Lucene's explanation tree.
 */
function explainHits(response: SearchResponse, index: IndexState, nodeId: string): void {
  response.hits.hits = response.hits.hits.map((hit) => ({
    _shard: `[${index.name}][0]`,
    _node: nodeId,
    ...hit,
    _explanation: { value: hit._score, description: 'score of the query on the stand-in (not broken down)', details: [] },
  }));
}
