/**
 * `GET|POST /_search`, `/{index}/_search` and `/{index}/_count`. Each index is searched over its
 * documents as of the last refresh: `knn` clauses are evaluated here (knn.ts), everything else by
 * the query evaluator in `src/query`. Search pipelines: only `_none` exists, so any other pipeline
 * (parameter, body key, or a single target index's `index.search.default_pipeline`) is
 * OpenSearch's 404. Hits carry `_version` / `_seq_no` / `_primary_term` only when asked for.
 */
import { search, type SearchResponse } from '../../../src/query/index.js';
import type { ClusterState } from './cluster-state.js';
import { booleanParam, type Handler } from './handler.js';
import { settingText } from './index-settings.js';
import type { IndexState } from './indices.js';
import { isJsonObject, parseOptionalBody, type JsonObject } from './json.js';
import { rewriteKnn } from './knn.js';
import { refusePluginQueries } from './plugin-queries.js';
import { toFieldMapping } from './mappings.js';
import { mergeResponses } from './merge-hits.js';
import {
  fromEvaluatorError,
  jsonReply,
  OpenSearchFailure,
  parsingException,
  searchPipelineMissing,
} from './responses.js';
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

function searchIndex(cluster: ClusterState, index: IndexState, body: JsonObject): SearchResponse {
  const mapping = toFieldMapping(index.mappings);
  const documents = [...index.searchable.values()];
  try {
    const scope = { index, documents, mapping, nodeId: cluster.identity.nodeId };
    refusePluginQueries(body['post_filter']);
    const evaluated =
      body['query'] === undefined ? body : { ...body, query: rewriteKnn(body['query'], scope) };
    return search({ records: documents, body: evaluated, mapping, index: index.name });
  } catch (error) {
    if (error instanceof OpenSearchFailure) throw error;
    throw fromEvaluatorError(error) ?? error;
  }
}

function emptyResponse(): SearchResponse {
  return {
    took: 0,
    timed_out: false,
    _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
    hits: { total: { value: 0, relation: 'eq' }, max_score: null, hits: [] },
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

/** Runs a search over `indices` and renders OpenSearch's response. */
export function executeSearch(
  cluster: ClusterState,
  indices: readonly IndexState[],
  parts: SearchRequestParts,
): JsonObject {
  checkSearchPipeline(indices, parts.pipeline);
  const { body } = parts;
  let response: SearchResponse;
  if (indices.length === 0) {
    refusePluginQueries(body['query']);
    response = emptyResponse();
  } else if (indices.length === 1 && indices[0] !== undefined) {
    response = searchIndex(cluster, indices[0], body);
  } else {
    const from = typeof body['from'] === 'number' ? body['from'] : 0;
    const size = typeof body['size'] === 'number' ? body['size'] : 10;
    const window = { ...body, from: 0, size: from + size };
    response = mergeResponses(
      indices.map((index) => searchIndex(cluster, index, window)),
      body,
    );
  }
  trimHits(response, body);
  const shards = Math.max(indices.length, 1);
  const rendered: JsonObject = {
    ...response,
    _shards: { total: shards, successful: shards, skipped: 0, failed: 0 },
  };
  if (parts.restTotalHitsAsInt && response.hits.total !== undefined) {
    rendered['hits'] = { ...response.hits, total: response.hits.total.value };
  }
  return rendered;
}

/** `GET|POST /_search`, `/{index}/_search`. */
export const searchEndpoint: Handler = ({ request, params, cluster }) => {
  const parts = readSearchRequest(parseOptionalBody(request.body), request.query);
  const indices = cluster.indices.resolve(params['index'], {
    ignoreUnavailable: parts.ignoreUnavailable,
  });
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
  const ignoreUnavailable = booleanParam(request.query, 'ignore_unavailable');
  const indices = cluster.indices.resolve(params['index'], { ignoreUnavailable });
  const body: JsonObject = { ...(raw ?? {}), size: 0, track_total_hits: true };
  const response = executeSearch(cluster, indices, {
    body,
    pipeline: NO_SEARCH_PIPELINE,
    restTotalHitsAsInt: true,
    ignoreUnavailable,
  });
  const hits = response['hits'];
  const count = isJsonObject(hits) && typeof hits['total'] === 'number' ? hits['total'] : 0;
  return jsonReply(200, { count, _shards: response['_shards'] });
};
