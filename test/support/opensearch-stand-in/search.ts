/**
 * `GET|POST /_search`, `/{index}/_search` and `/{index}/_count`. Each index is searched over its
 * documents as of the last refresh: `knn` and `rank_feature` clauses are evaluated here (knn.ts,
 * rank-features.ts), `rescore` and `explain` around the evaluator (shard-search.ts), everything
 * else by the query evaluator in `src/query`. Search pipelines: only `_none` exists, so any other pipeline
 * (parameter, body key, or a single target index's `index.search.default_pipeline`) is
 * OpenSearch's 404. Hits carry `_version` / `_seq_no` / `_primary_term` only when asked for.
 * `preference` picks the shards (preference.ts); failures on a shard are reported per shard.
 */
import type { SearchResponse } from '../../../src/query/index.js';
import type { ClusterState } from './cluster-state.js';
import { indicesOptions, type Handler } from './handler.js';
import { settingText } from './index-settings.js';
import type { IndexState } from './indices.js';
import { isJsonObject, parseOptionalBody, type JsonObject } from './json.js';
import { refusePluginQueries } from './plugin-queries.js';
import { mergeResponses } from './merge-hits.js';
import { chooseShard } from './preference.js';
import { jsonReply, parsingException, searchPipelineMissing } from './responses.js';
import {
  allShardsFailed,
  renderFailedShards,
  ShardSearchError,
  type FailedShard,
} from './shard-failures.js';
import { searchShard } from './shard-search.js';
import { readSearchRequest, type SearchRequestParts } from './search-request.js';

/** The only search pipeline id the stand-in accepts: "run no pipeline". */
export const NO_SEARCH_PIPELINE = '_none';

function checkSearchPipeline(indices: readonly IndexState[], requested: string | undefined): void {
  const [only] = indices;
  const fallback =
    indices.length === 1 && only !== undefined
      ? settingText(only.settings, 'index.search.default_pipeline')
      : undefined;
  const pipeline = requested ?? fallback;
  if (pipeline !== undefined && pipeline !== NO_SEARCH_PIPELINE)
    throw searchPipelineMissing(pipeline);
}

/** The answer when no shard is searched (no index matched, or `_shards:` excluded them all). */
function emptyResponse(): SearchResponse {
  return {
    took: 0,
    timed_out: false,
    _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
    hits: { total: { value: 0, relation: 'eq' }, max_score: 0, hits: [] },
  };
}

function trimHits(response: SearchResponse, body: JsonObject): void {
  const keepVersion = body['version'] === true;
  const keepSeqNo = body['seq_no_primary_term'] === true;
  for (const hit of response.hits.hits) {
    const record: Partial<typeof hit> = hit;
    if (!keepVersion) delete record._version;
    if (!keepSeqNo) {
      delete record._seq_no;
      delete record._primary_term;
    }
  }
}

function searchShards(
  cluster: ClusterState,
  indices: readonly IndexState[],
  body: JsonObject,
): { responses: SearchResponse[]; failed: FailedShard[] } {
  const from = typeof body['from'] === 'number' ? body['from'] : 0;
  const size = typeof body['size'] === 'number' ? body['size'] : 10;
  // Several shards each return their first from + size hits; the merge pages them.
  const window = indices.length > 1 ? { ...body, from: 0, size: from + size } : body;
  const responses: SearchResponse[] = [];
  const failed: FailedShard[] = [];
  for (const index of indices) {
    try {
      responses.push(searchShard(cluster, index, window));
    } catch (error) {
      if (!(error instanceof ShardSearchError)) throw error;
      failed.push({ index, error });
    }
  }
  return { responses, failed };
}

/**
 * Runs a search over `indices` and renders OpenSearch's response. The preference decides which
 * shards are searched; shards that fail are reported in `_shards` (or, when none succeeded, as
 * "all shards failed").
 */
export function executeSearch(
  cluster: ClusterState,
  indices: readonly IndexState[],
  parts: SearchRequestParts,
): JsonObject {
  checkSearchPipeline(indices, parts.pipeline);
  const { body } = parts;
  const { identity, version } = cluster;
  const targets = indices
    .map((index) => ({ index, choice: chooseShard(parts.preference, index, identity, version) }))
    .filter(({ choice }) => choice !== 'skip');
  const searched = targets.filter(({ choice }) => choice === 'search').map(({ index }) => index);
  const { responses, failed } = searchShards(cluster, searched, body);
  if (targets.length > 0 && responses.length === 0) throw allShardsFailed(failed, identity.nodeId);
  if (targets.length === 0) refusePluginQueries(body['query']);
  const [only] = responses;
  const response =
    responses.length === 0
      ? emptyResponse()
      : responses.length === 1 && only !== undefined
        ? only
        : mergeResponses(responses, body);
  trimHits(response, body);
  const rendered: JsonObject = {
    ...response,
    _shards: {
      total: targets.length,
      successful: responses.length,
      skipped: 0,
      failed: targets.length - responses.length,
      ...(failed.length === 0 ? {} : { failures: renderFailedShards(failed, identity.nodeId) }),
    },
  };
  if (parts.restTotalHitsAsInt && response.hits.total !== undefined) {
    rendered['hits'] = { ...response.hits, total: response.hits.total.value };
  }
  return rendered;
}

/** `GET|POST /_search`, `/{index}/_search`. */
export const searchEndpoint: Handler = ({ request, params, cluster }) => {
  const parts = readSearchRequest(parseOptionalBody(request.body), request.query);
  const indices = cluster.indices.resolve(params['index'], indicesOptions(request.query));
  return jsonReply(200, executeSearch(cluster, indices, parts));
};

/** `GET|POST /_count`, `/{index}/_count`: the number of searchable documents a query matches. */
export const countEndpoint: Handler = ({ request, params, cluster }) => {
  const raw = parseOptionalBody(request.body);
  if (raw !== undefined && !isJsonObject(raw))
    throw parsingException('request body must be an object');
  const unsupported = Object.keys(raw ?? {}).find((key) => key !== 'query');
  if (unsupported !== undefined)
    throw parsingException(`request does not support [${unsupported}]`);
  const options = indicesOptions(request.query);
  const ignoreUnavailable = options.ignoreUnavailable === true;
  const indices = cluster.indices.resolve(params['index'], options);
  const body: JsonObject = { ...(raw ?? {}), size: 0, track_total_hits: true };
  const preference = request.query.get('preference') ?? undefined;
  const response = executeSearch(cluster, indices, {
    body,
    pipeline: NO_SEARCH_PIPELINE,
    restTotalHitsAsInt: true,
    ignoreUnavailable,
    preference,
  });
  const hits = response['hits'];
  const count = isJsonObject(hits) && typeof hits['total'] === 'number' ? hits['total'] : 0;
  return jsonReply(200, { count, _shards: response['_shards'] });
};
