/**
 * The cluster as a job sees it: every call carries the caller's credentials, and a call the
 * cluster could not take right now (429 rejected execution, 502/503/504, or no answer) is tried
 * again with exponential backoff, as OpenSearch's reindex retries its bulks and searches; each
 * retry is counted. So are a bulk's items that a shard's full write queue turned away. Other
 * answers are returned as they are, for the job to judge.
 */
import type { ClusterAnswer, ClusterCall } from '../cluster/cluster-client.js';
import { OpenSearchError } from '../errors/opensearch-error.js';
import { renderBulkBody, type BulkItem } from '../proxy/bulk-request.js';
import type { Clock } from '../util/clock.js';
import { isJsonObject } from '../util/json.js';

const RETRIED_STATUSES = new Set([429, 502, 503, 504]);
const INITIAL_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;
const MAX_RETRIES = 8;
/** An item its shard's write queue turned away (`rejected_execution_exception`): nothing of it was written. */
const REJECTED_ITEM_STATUS = 429;

const backoffMillis = (retry: number): number => Math.min(MAX_BACKOFF_MS, INITIAL_BACKOFF_MS * 2 ** retry);

/** One item's answer in a `_bulk` response. */
export interface BulkItemAnswer {
  readonly status?: number;
  readonly result?: string;
  readonly error?: Record<string, unknown>;
}

export type ClusterCaller = (call: ClusterCall) => Promise<ClusterAnswer>;

export class JobCluster {
  constructor(
    private readonly send: ClusterCaller,
    private readonly authorization: string | undefined,
    private readonly clock: Clock,
  ) {}

  /** One call, retried while the cluster is busy or away; `onRetry` counts each retry. */
  async call(call: Omit<ClusterCall, 'authorization'>, onRetry: () => void = () => undefined): Promise<ClusterAnswer> {
    for (let retry = 0; ; retry++) {
      let answer: ClusterAnswer | undefined;
      let failure: unknown;
      try {
        answer = await this.send({ ...call, authorization: this.authorization });
      } catch (error) {
        if (!(error instanceof OpenSearchError)) throw error;
        failure = error;
      }
      const busy = answer === undefined || RETRIED_STATUSES.has(answer.status);
      if (!busy) return answer!;
      if (retry >= MAX_RETRIES) {
        if (answer !== undefined) return answer;
        throw failure;
      }
      onRetry();
      await this.clock.sleep(backoffMillis(retry));
    }
  }

  /**
   * One `_bulk` of `items`, answering one entry per item, in order. The items a full write queue
   * turned away (429 each, the rest applied) are sent again, alone, on the same backoff, as
   * OpenSearch's reindex retries rejected items; once the retries are spent they keep their 429.
   */
  async bulk(items: ReadonlyArray<Pick<BulkItem, 'action' | 'metadata' | 'source'>>, onRetry: () => void = () => undefined): Promise<BulkItemAnswer[]> {
    const answers: BulkItemAnswer[] = [];
    let pending = items.map((_, position) => position);
    for (let retry = 0; ; retry++) {
      const body = await renderBulkBody(pending.map((position) => items[position]!));
      const results = bulkItemAnswers(await this.call({ method: 'POST', path: '/_bulk', body, ndjson: true }, onRetry), pending.length);
      pending.forEach((position, index) => (answers[position] = results[index]!));
      pending = pending.filter((_, index) => results[index]!.status === REJECTED_ITEM_STATUS);
      if (pending.length === 0 || retry >= MAX_RETRIES) return answers;
      onRetry();
      await this.clock.sleep(backoffMillis(retry));
    }
  }
}

/** The items' answers of a `_bulk` response; anything else is the cluster's error. */
function bulkItemAnswers(answer: ClusterAnswer, count: number): BulkItemAnswer[] {
  const body = answer.body;
  if (answer.status !== 200 || !isJsonObject(body) || !Array.isArray(body['items']) || body['items'].length !== count) {
    throw errorFromAnswer(answer, 'the bulk write');
  }
  return body['items'].map((item) => (isJsonObject(item) ? (Object.values(item)[0] as BulkItemAnswer) : {}));
}

/** The cluster's error answer as an error of ours (its status, type and reason kept). */
export function errorFromAnswer(answer: ClusterAnswer, what: string): OpenSearchError {
  const body = isJsonObject(answer.body) ? answer.body : {};
  const error = isJsonObject(body['error']) ? body['error'] : undefined;
  const type = typeof error?.['type'] === 'string' ? error['type'] : 'status_exception';
  const reason =
    typeof error?.['reason'] === 'string'
      ? error['reason']
      : typeof body['error'] === 'string'
        ? body['error']
        : `${what} failed with status ${answer.status}`;
  return new OpenSearchError({ status: answer.status, type, reason });
}

/** What ended a job, for its record: OpenSearch's error object and the status it answers with. */
export function errorObject(error: unknown): { type: string; reason: string; status: number } {
  if (error instanceof OpenSearchError) return { type: error.type, reason: error.reason, status: error.status };
  return { type: 'exception', reason: error instanceof Error ? error.message : String(error), status: 500 };
}
