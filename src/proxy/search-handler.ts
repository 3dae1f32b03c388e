import { illegalArgument } from '../errors/opensearch-error.js';
import type { CompiledSearchPipeline } from '../pipeline/search/compiled-search-pipeline.js';
import { checkHybridPlacement, topLevelHybrid } from '../processors/search/index.js';
import { isJsonObject, parseJsonBody } from '../util/json.js';
import { answerAfterHits } from '../pipeline/search/answer-after-hits.js';
import { handleHybridSearch } from './hybrid-search-handler.js';
import { NO_PIPELINE, queryWithout, type ProxiedRequest, type ProxyAnswer, type ProxyContext, type StreamedProxyAnswer } from './proxy-context.js';

/** `ext` keys only the sidecar's processors read; a cluster without those plugins would refuse them. */
const SIDECAR_EXT_KEYS = ['rerank', 'generative_qa_parameters', 'ml_inference'];
/** Queries the sidecar rewrites on every search, so a cluster without neural-search can run them. */
const NEURAL_QUERIES = ['neural', 'neural_sparse'];

/** A search: `/{index}/_search` or `/_search`. */
export interface SearchCall extends ProxiedRequest {
  readonly index: string | undefined;
  readonly body: Record<string, unknown>;
}

/**
 * A search through the proxy: the sidecar's search pipeline (by `search_pipeline`, an inline one,
 * or the index's `index.search.default_pipeline`) runs around the cluster's search; `neural` and
 * `neural_sparse` clauses are rewritten on every search; a top-level `hybrid` query under a
 * pipeline with a phase results processor is run by the sidecar (see `handleHybridSearch`).
 * Answers undefined when nothing needs changing, so the request can be streamed unchanged. With
 * `ext.generative_qa_parameters.stream`, a RAG answer follows the search response as server-sent events.
 */
export async function handleStreamableSearch(context: ProxyContext, search: SearchCall): Promise<ProxyAnswer | StreamedProxyAnswer | undefined> {
  return searchThroughPipeline(context, search, true);
}

/** A search whose answer is one JSON body (each search of an `_msearch`). */
export async function handleSearch(context: ProxyContext, search: SearchCall): Promise<ProxyAnswer | undefined> {
  // Not streaming, no processor defers its answer: the answer is always a JSON body.
  return (await searchThroughPipeline(context, search, false)) as ProxyAnswer | undefined;
}

async function searchThroughPipeline(context: ProxyContext, search: SearchCall, streaming: boolean): Promise<ProxyAnswer | StreamedProxyAnswer | undefined> {
  const selected = await selectPipeline(context, search);
  const needsRewrite = selected.pipeline !== undefined || NEURAL_QUERIES.some((type) => containsKey(search.body, type));
  if (!needsRewrite) return undefined;
  const body = { ...search.body };
  delete body['search_pipeline'];
  const request = await context.searchPipelines.rewriteRequest(selected.pipeline, body);
  const phase = selected.pipeline?.phaseResultsStep;
  if (phase !== undefined) checkHybridPlacement(request.context.body);
  const answer =
    phase !== undefined && topLevelHybrid(request.context.body) !== undefined
      ? await handleHybridSearch(context, { ...search, request: request.context, phase })
      : await forwardSearch(context, search, stripSidecarExt(request.context.body), selected);
  if (answer.status !== 200 || selected.pipeline === undefined || !isJsonObject(answer.body)) return answer;
  const processed = await context.searchPipelines.processResponse(selected.pipeline, request.context, answer.body, { streaming });
  const deferred = processed.deferredAnswer;
  if (deferred === undefined) return { status: 200, body: processed.response };
  return { frames: answerAfterHits(processed.response, deferred), cancel: () => deferred.cancel() };
}

/** The rewritten search, sent to the cluster as one search. */
function forwardSearch(
  context: ProxyContext,
  search: SearchCall,
  body: Record<string, unknown>,
  selected: { pipeline: CompiledSearchPipeline | undefined; clusterPipeline: string | undefined },
): Promise<ProxyAnswer> {
  const query = queryWithout(search.query, 'search_pipeline');
  if (selected.pipeline !== undefined) query['search_pipeline'] = NO_PIPELINE;
  else if (selected.clusterPipeline !== undefined) query['search_pipeline'] = selected.clusterPipeline;
  return context.cluster.call({
    method: 'POST',
    path: search.index === undefined ? '/_search' : `/${encodeURIComponent(search.index)}/_search`,
    querystring: query,
    body,
    authorization: search.authorization,
  });
}

/** Parses a search body; an empty one is `{}`. */
export function parseSearchBody(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  const body = parseJsonBody(text);
  if (!isJsonObject(body)) throw illegalArgument('The search body must be a JSON object');
  return body;
}

async function selectPipeline(
  context: ProxyContext,
  search: SearchCall,
): Promise<{ pipeline: CompiledSearchPipeline | undefined; clusterPipeline: string | undefined }> {
  const fromBody = search.body['search_pipeline'];
  if (isJsonObject(fromBody)) return { pipeline: context.searchPipelines.inline(fromBody), clusterPipeline: undefined };
  let name = search.query['search_pipeline'] ?? (typeof fromBody === 'string' ? fromBody : undefined);
  if (name === undefined && search.index !== undefined) {
    name = (await context.indexSettings.pipelinesFor(search.index, search.authorization)).searchDefaultPipeline;
  }
  if (name === undefined || name === NO_PIPELINE) return { pipeline: undefined, clusterPipeline: name };
  if (await context.searchPipelines.has(name)) return { pipeline: await context.searchPipelines.compiled(name), clusterPipeline: undefined };
  return { pipeline: undefined, clusterPipeline: name };
}

function stripSidecarExt(body: Record<string, unknown>): Record<string, unknown> {
  if (!isJsonObject(body['ext'])) return body;
  const ext = { ...body['ext'] };
  for (const key of SIDECAR_EXT_KEYS) delete ext[key];
  const copy = { ...body };
  if (Object.keys(ext).length === 0) delete copy['ext'];
  else copy['ext'] = ext;
  return copy;
}

function containsKey(value: unknown, key: string): boolean {
  if (Array.isArray(value)) return value.some((item) => containsKey(item, key));
  if (!isJsonObject(value)) return false;
  return Object.entries(value).some(([name, inner]) => name === key || containsKey(inner, key));
}
