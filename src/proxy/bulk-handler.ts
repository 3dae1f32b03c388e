import type { DocumentResult } from '../pipeline/run-ingest.js';
import { parseBulkBody, type BulkItem } from './bulk-request.js';
import { itemStatus, sendBulk, type ItemResult } from './bulk-send.js';
import { sidecarPipelineFor } from './ingest-routing.js';
import { NO_PIPELINE, queryWithout, type ProxiedRequest, type ProxyAnswer, type ProxyContext } from './proxy-context.js';

/**
 * `_bulk` through the proxy: index/create items bound for a sidecar pipeline are enriched in
 * batches (grouped by pipeline), then the bulk goes to the cluster with those items marked
 * `pipeline: _none`, auto-id items with an id of their own, and what the cluster turns away for
 * being busy is sent again (`sendBulk`). An item whose enrichment failed is answered at its
 * position with OpenSearch's error shape and status, and is not sent; every input item has exactly
 * one result item.
 */
export async function handleBulk(
  context: ProxyContext,
  request: ProxiedRequest & { readonly text: string; readonly pathIndex: string | undefined },
): Promise<ProxyAnswer> {
  const started = context.clock.now();
  const items = parseBulkBody(request.text, request.pathIndex);
  const requestPipeline = request.query['pipeline'];
  const groups = await groupByPipeline(context, items, { requestPipeline, authorization: request.authorization });
  const outgoing: Array<BulkItem | undefined> = [...items];
  const answered = new Map<number, ItemResult>();
  for (const [pipelineId, positions] of groups) {
    const pipeline = await context.ingestPipelines.compiled(pipelineId);
    const results = await context.ingestPipelines.run(
      pipeline,
      positions.map((position) => {
        const item = items[position]!;
        return { source: item.source ?? {}, index: item.index, id: stringOrUndefined(item.metadata['_id']), routing: stringOrUndefined(item.metadata['routing']) };
      }),
    );
    results.forEach((result, index) => {
      const position = positions[index]!;
      const item = items[position]!;
      if (result.status === 'ok') outgoing[position] = enrichedItem(item, result);
      else {
        outgoing[position] = undefined;
        answered.set(position, result.status === 'dropped' ? droppedItem(item) : failedItem(item, result));
      }
    });
  }
  const ingestTook = context.clock.now() - started;
  const toSend = outgoing.flatMap((item, position) => (item === undefined ? [] : [{ item: withId(item, context.newId), position }]));
  let took = 0;
  if (toSend.length > 0) {
    const sidecarRequestPipeline = requestPipeline !== undefined && (await context.ingestPipelines.has(requestPipeline));
    const sent = await sendBulk(
      context,
      {
        path: request.pathIndex === undefined ? '/_bulk' : `/${encodeURIComponent(request.pathIndex)}/_bulk`,
        querystring: sidecarRequestPipeline ? queryWithout(request.query, 'pipeline') : { ...request.query },
        authorization: request.authorization,
      },
      toSend,
    );
    if (sent.kind === 'refused') return sent.answer;
    took = sent.took;
    for (const [position, result] of sent.results) answered.set(position, result);
  }
  const resultItems = items.map((_, position) => answered.get(position)!);
  return {
    status: 200,
    body: {
      took: took + ingestTook,
      ...(groups.size > 0 ? { ingest_took: ingestTook } : {}),
      errors: resultItems.some((item) => itemStatus(item) >= 300),
      items: resultItems,
    },
  };
}

/**
 * An index/create item without `_id` gets one before the bulk is first sent (20 url-safe
 * characters, like the cluster's own): the sidecar may send it again, and with the same id a
 * second send overwrites rather than duplicates it.
 */
function withId(item: BulkItem, newId: () => string): BulkItem {
  if ((item.action !== 'index' && item.action !== 'create') || (item.metadata['_id'] !== undefined && item.metadata['_id'] !== null)) return item;
  return { ...item, metadata: { ...item.metadata, _id: newId() } };
}

/**
 * The positions of the index/create items each sidecar pipeline runs, in item order. Linear in the
 * items: the pipeline is resolved once per distinct (item pipeline, index) pair, not per item, and
 * positions are appended in place.
 */
async function groupByPipeline(
  context: ProxyContext,
  items: readonly BulkItem[],
  options: { requestPipeline: string | undefined; authorization: string | undefined },
): Promise<Map<string, number[]>> {
  const groups = new Map<string, number[]>();
  const resolved = new Map<string, string | undefined>();
  for (const [position, item] of items.entries()) {
    if (item.action !== 'index' && item.action !== 'create') continue;
    const itemPipeline = item.metadata['pipeline'];
    const target = JSON.stringify([typeof itemPipeline === 'string' ? itemPipeline : null, item.index]);
    if (!resolved.has(target)) {
      resolved.set(target, await sidecarPipelineFor(context, { itemPipeline, index: item.index, ...options }));
    }
    const pipeline = resolved.get(target);
    if (pipeline === undefined) continue;
    const positions = groups.get(pipeline);
    if (positions === undefined) groups.set(pipeline, [position]);
    else positions.push(position);
  }
  return groups;
}

function enrichedItem(item: BulkItem, result: Extract<DocumentResult, { status: 'ok' }>): BulkItem {
  const document = result.document;
  const metadata: Record<string, unknown> = { ...item.metadata, _index: document.metadata('_index'), pipeline: NO_PIPELINE };
  const id = document.metadata('_id');
  if (id !== undefined) metadata['_id'] = id;
  const routing = document.metadata('_routing');
  if (routing !== undefined) metadata['routing'] = routing;
  return { action: item.action, index: String(metadata['_index']), metadata, source: document.source() };
}

function failedItem(item: BulkItem, result: Extract<DocumentResult, { status: 'failed' }>): ItemResult {
  const { root_cause: _rootCause, ...error } = result.errorBody;
  return { [item.action]: { _index: item.index, _id: item.metadata['_id'] ?? null, status: result.httpStatus, error } };
}

/** OpenSearch's answer for a document a pipeline dropped. */
function droppedItem(item: BulkItem): ItemResult {
  return {
    [item.action]: {
      _index: item.index,
      _id: item.metadata['_id'] ?? null,
      _version: -3,
      result: 'noop',
      _shards: { total: 0, successful: 0, failed: 0 },
      status: 200,
    },
  };
}

const stringOrUndefined = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
