import { isJsonObject, parseJsonBody } from '../util/json.js';
import { illegalArgument } from '../errors/opensearch-error.js';
import { sendUntilNotBusy } from './busy-cluster.js';
import { sidecarPipelineFor } from './ingest-routing.js';
import { NO_PIPELINE, queryWithout, type ProxiedRequest, type ProxyAnswer, type ProxyContext } from './proxy-context.js';

/** A single-document write: `/{index}/_doc[/{id}]` or `/{index}/_create/{id}`. */
export interface DocumentWrite extends ProxiedRequest {
  readonly index: string;
  readonly id: string | undefined;
  readonly endpoint: '_doc' | '_create';
  readonly text: string;
}

/**
 * Runs the sidecar's pipeline on a single-document write, then indexes the result on the cluster
 * with `pipeline=_none`; answers undefined when the cluster should handle the request unchanged.
 */
export async function handleDocumentWrite(context: ProxyContext, write: DocumentWrite): Promise<ProxyAnswer | undefined> {
  const pipelineId = await sidecarPipelineFor(context, {
    itemPipeline: undefined, requestPipeline: write.query['pipeline'], index: write.index, authorization: write.authorization,
  });
  if (pipelineId === undefined) return undefined;
  const source = parseJsonBody(write.text);
  if (!isJsonObject(source)) throw illegalArgument('The document must be a JSON object');
  const [result] = await context.ingestPipelines.run(await context.ingestPipelines.compiled(pipelineId), [
    { source, index: write.index, id: write.id, routing: write.query['routing'] },
  ]);
  if (result!.status === 'failed') {
    return { status: result!.httpStatus, body: { error: result!.errorBody, status: result!.httpStatus } };
  }
  if (result!.status === 'dropped') {
    return {
      status: 200,
      body: { _index: write.index, _id: write.id ?? null, _version: -3, result: 'noop', _shards: { total: 0, successful: 0, failed: 0 } },
    };
  }
  const document = result!.document;
  const index = String(document.metadata('_index'));
  const id = document.metadata('_id') as string | undefined;
  const routing = document.metadata('_routing') as string | undefined;
  const query = { ...queryWithout(write.query, 'pipeline', 'routing'), pipeline: NO_PIPELINE, ...(routing === undefined ? {} : { routing }) };
  // Embedded already: a busy cluster is asked again rather than the embedding thrown away.
  return sendUntilNotBusy(context, {
    method: write.method === 'PUT' ? 'PUT' : 'POST',
    path: `/${encodeURIComponent(index)}/${write.endpoint}${id === undefined ? '' : `/${encodeURIComponent(id)}`}`,
    querystring: query,
    body: document.source(),
    authorization: write.authorization,
  });
}
