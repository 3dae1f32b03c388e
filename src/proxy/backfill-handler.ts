/**
 * `_reindex` and `_update_by_query` through the proxy: when the pipeline they would run (the
 * destination's `pipeline` or `index.default_pipeline`; `?pipeline=` or the index's default for
 * update-by-query) is one of the sidecar's, the sidecar runs the job (see `src/backfill`); the
 * task APIs answer for its jobs. Everything else goes to the cluster unchanged (handlers answer
 * undefined).
 */
import { parseRequestsPerSecond, reindexRequest, updateByQueryRequest } from '../backfill/job-request.js';
import { illegalArgument } from '../errors/opensearch-error.js';
import { isJsonObject, parseJsonBody } from '../util/json.js';
import { timeValueMillis } from '../util/time-value.js';
import { sidecarPipelineFor } from './ingest-routing.js';
import type { ProxiedRequest, ProxyAnswer, ProxyContext } from './proxy-context.js';

type BodyRequest = ProxiedRequest & { readonly text: string };

/** `POST /_reindex`. */
export async function handleReindex(context: ProxyContext, request: BodyRequest): Promise<ProxyAnswer | undefined> {
  if (context.backfill === undefined) return undefined;
  const body = tryParse(request.text);
  const dest = isJsonObject(body) && isJsonObject(body['dest']) ? body['dest'] : undefined;
  // A body the sidecar cannot read names no pipeline of its own: the cluster answers it.
  if (dest === undefined || typeof dest['index'] !== 'string') return undefined;
  const pipeline = await sidecarPipelineFor(context, {
    itemPipeline: dest['pipeline'],
    requestPipeline: undefined,
    index: dest['index'],
    authorization: request.authorization,
  });
  if (pipeline === undefined) return undefined;
  return context.backfill.start(reindexRequest(body, request.query, pipeline), request.authorization);
}

/** `POST /{index}/_update_by_query`. */
export async function handleUpdateByQuery(context: ProxyContext, request: BodyRequest & { readonly index: string }): Promise<ProxyAnswer | undefined> {
  if (context.backfill === undefined) return undefined;
  const pipeline = await sidecarPipelineFor(context, {
    itemPipeline: undefined,
    requestPipeline: request.query['pipeline'],
    index: request.index,
    authorization: request.authorization,
  });
  if (pipeline === undefined) return undefined;
  const body = request.text.trim() === '' ? undefined : parseJsonBody(request.text);
  return context.backfill.start(updateByQueryRequest(request.index, body, request.query, pipeline), request.authorization);
}

/** `GET /_tasks/{id}` (with `wait_for_completion` and `timeout`). */
export async function handleGetTask(context: ProxyContext, request: ProxiedRequest, task: string): Promise<ProxyAnswer | undefined> {
  const wait = request.query['wait_for_completion'];
  const timeout = request.query['timeout'];
  const timeoutMs = timeout === undefined ? undefined : timeValueMillis(timeout);
  if (timeout !== undefined && timeoutMs === undefined) {
    throw illegalArgument(`failed to parse setting [timeout] with value [${timeout}] as a time value: unit is missing or unrecognized`);
  }
  return context.backfill?.task(task, { waitForCompletion: wait === 'true' || wait === '', timeoutMs });
}

/** `POST /_tasks/{id}/_cancel`. */
export async function handleCancelTask(context: ProxyContext, request: ProxiedRequest, task: string): Promise<ProxyAnswer | undefined> {
  return context.backfill?.cancel(task, request.query['group_by'] ?? 'nodes');
}

/** `POST /_reindex/{id}/_rethrottle`, `/_update_by_query/{id}/_rethrottle`. */
export async function handleRethrottle(context: ProxyContext, request: ProxiedRequest, task: string): Promise<ProxyAnswer | undefined> {
  if (context.backfill === undefined) return undefined;
  const rate = parseRequestsPerSecond(request.query['requests_per_second']);
  if (rate === undefined) throw illegalArgument('requests_per_second is a required parameter');
  return context.backfill.rethrottle(task, rate, request.query['group_by'] ?? 'nodes');
}

function tryParse(text: string): unknown {
  try {
    return parseJsonBody(text);
  } catch {
    return undefined;
  }
}
