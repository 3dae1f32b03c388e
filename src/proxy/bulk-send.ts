import type { ClusterAnswer } from '../cluster/cluster-client.js';
import { renderError } from '../errors/render-error.js';
import { isJsonObject } from '../util/json.js';
import { renderBulkBody, type BulkItem } from './bulk-request.js';
import { BUSY_STATUSES, BusyRetrySchedule, type BusyRetryContext } from './busy-cluster.js';
import type { ProxyAnswer } from './proxy-context.js';

/** One item of a `_bulk` answer: `{ "<action>": { _index, _id, status, ... } }`. */
export type ItemResult = Record<string, unknown>;

/** An item on its way to the cluster, with its position in the client's bulk. */
export interface OutgoingItem {
  readonly item: BulkItem;
  readonly position: number;
}

/** What sending a bulk came to. */
export type BulkOutcome =
  | { readonly kind: 'answered'; readonly results: ReadonlyMap<number, ItemResult>; readonly took: number }
  /** The cluster refused the bulk as a whole and indexed none of it: its answer, as it gave it. */
  | { readonly kind: 'refused'; readonly answer: ProxyAnswer };

/** An item its shard's write queue or indexing pressure turned away (`rejected_execution_exception`). */
const RETRIED_ITEM_STATUS = 429;

/**
 * Sends a bulk's items to the cluster and retries what it turned away, so that embeddings already
 * paid for are not handed back: the whole bulk on a 429 or 503, and the items answered 429, on the
 * schedule of `busy-cluster.ts`, sending only the items still to do. Every item carries its `_id`
 * (the caller gives auto-id items one), so a retry never indexes a document twice.
 *
 * Once the cluster has answered any item, the outcome is a bulk answer: an item still turned away
 * when time is up keeps its last answer (or, when the bulk as a whole failed, that failure).
 */
export async function sendBulk(
  context: BusyRetryContext,
  request: { readonly path: string; readonly querystring: Record<string, string>; readonly authorization: string | undefined },
  items: readonly OutgoingItem[],
  random: () => number = Math.random,
): Promise<BulkOutcome> {
  const schedule = new BusyRetrySchedule(context, random);
  const results = new Map<number, ItemResult>();
  let pending = items;
  let took = 0;
  const answered = (): BulkOutcome => ({ kind: 'answered', results, took });
  /** The end after a whole-bulk failure: the cluster's answer as is, unless some items have answers already. */
  const failedAsAWhole = (answer: ClusterAnswer): BulkOutcome => {
    if (results.size === 0) return { kind: 'refused', answer };
    failAll(results, pending, answer.status, errorOf(answer.body));
    return answered();
  };
  for (;;) {
    const bulkBody = await renderBulkBody(pending.map(({ item }) => item));
    let answer: ClusterAnswer;
    try {
      answer = await schedule.send({
        method: 'POST',
        path: request.path,
        querystring: request.querystring,
        body: bulkBody,
        ndjson: true,
        authorization: request.authorization,
      });
    } catch (error) {
      if (results.size === 0) throw error;
      const rendered = renderError(error);
      failAll(results, pending, rendered.status, rendered.body.error);
      return answered();
    }
    const body = answer.body as { took?: unknown; items?: unknown } | undefined;
    const itemResults = answer.status === 200 && Array.isArray(body?.items) && body.items.length === pending.length ? (body.items as ItemResult[]) : undefined;
    if (itemResults !== undefined) {
      took += typeof body!.took === 'number' ? body!.took : 0;
      pending.forEach(({ position }, index) => results.set(position, itemResults[index]!));
      pending = pending.filter((_, index) => itemStatus(itemResults[index]!) === RETRIED_ITEM_STATUS);
      if (pending.length === 0) return answered();
    } else if (!BUSY_STATUSES.has(answer.status)) {
      return failedAsAWhole(answer);
    }
    if (!(await schedule.waitBeforeRetry(answer))) {
      // Out of time: items answered 429 keep that answer.
      return itemResults !== undefined ? answered() : failedAsAWhole(answer);
    }
  }
}

/** The status of one bulk item result (500 when it has none). */
export function itemStatus(item: ItemResult): number {
  const inner = Object.values(item)[0] as { status?: number } | undefined;
  return inner?.status ?? 500;
}

/** Answers every pending item with one failure, as OpenSearch answers an item that failed. */
function failAll(results: Map<number, ItemResult>, pending: readonly OutgoingItem[], status: number, error: Record<string, unknown>): void {
  const { root_cause: _rootCause, ...cause } = error;
  for (const { item, position } of pending) {
    results.set(position, { [item.action]: { _index: item.index, _id: item.metadata['_id'] ?? null, status, error: cause } });
  }
}

/** The `error` object of an error answer (OpenSearch's envelope, or anything else the way there gave). */
function errorOf(body: unknown): Record<string, unknown> {
  if (isJsonObject(body) && isJsonObject(body['error'])) return body['error'];
  const reason = isJsonObject(body) && typeof body['error'] === 'string' ? body['error'] : 'the cluster refused the bulk';
  return { type: 'exception', reason };
}
