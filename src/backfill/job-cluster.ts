/**
 * The cluster as a job sees it: every call carries the caller's credentials, and a call the
 * cluster could not take right now (429 rejected execution, 502/503/504, or no answer) is tried
 * again with exponential backoff, as OpenSearch's reindex retries its bulks and searches; each
 * retry is counted. Other answers are returned as they are, for the job to judge.
 */
import type { ClusterAnswer, ClusterCall } from '../cluster/cluster-client.js';
import { OpenSearchError } from '../errors/opensearch-error.js';
import type { Clock } from '../util/clock.js';
import { isJsonObject } from '../util/json.js';

const RETRIED_STATUSES = new Set([429, 502, 503, 504]);
const INITIAL_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;
const MAX_RETRIES = 8;

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
      await this.clock.sleep(Math.min(MAX_BACKOFF_MS, INITIAL_BACKOFF_MS * 2 ** retry));
    }
  }
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
