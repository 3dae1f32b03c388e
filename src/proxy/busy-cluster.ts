/**
 * A cluster that turns a write away for being busy — indexing pressure over its limit (429
 * `rejected_execution_exception`) or a cluster block (503) — did nothing with it, so the sidecar
 * sends it again rather than hand back the embeddings it already paid for. One schedule for every
 * write the proxy sends: exponential backoff with equal jitter, or the answer's `Retry-After` when
 * longer, retries starting only in the first half of `OPENSEARCH_TIMEOUT_MS` after the first send
 * (so each attempt has at least half of it), and the whole exchange within it.
 */
import type { ClusterAnswer, ClusterCall, ClusterClient } from '../cluster/cluster-client.js';
import { createBackoff, type Backoff } from '../http/backoff.js';
import { retryAfterMillis } from '../http/retry-after.js';
import type { Clock } from '../util/clock.js';

/** Statuses with which the cluster turned a whole write request away before doing any of it. */
export const BUSY_STATUSES: ReadonlySet<number> = new Set([429, 503]);
const BACKOFF_BASE_MS = 100;
const BACKOFF_MAX_MS = 5_000;

export interface BusyRetryContext {
  readonly clock: Clock;
  readonly cluster: Pick<ClusterClient, 'call' | 'requestTimeoutMs'>;
}

/** The waits between the sends of one write request. */
export class BusyRetrySchedule {
  private readonly backoff: Backoff;
  private firstSent: number | undefined;

  constructor(private readonly context: BusyRetryContext, random: () => number = Math.random) {
    this.backoff = createBackoff('exponential_equal_jitter', BACKOFF_BASE_MS, BACKOFF_MAX_MS, random);
  }

  /** Sends `call` within what is left of the exchange's time. */
  send(call: ClusterCall): Promise<ClusterAnswer> {
    const { clock, cluster } = this.context;
    this.firstSent ??= clock.now();
    return cluster.call({ ...call, timeoutMs: this.firstSent + cluster.requestTimeoutMs - clock.now() });
  }

  /** Waits before the next send and answers true, or answers false when there is no time left for one. */
  async waitBeforeRetry(answer: ClusterAnswer): Promise<boolean> {
    const { clock, cluster } = this.context;
    const now = clock.now();
    const wait = Math.max(this.backoff(), retryAfterMillis(answer.headers ?? {}, now) ?? 0);
    if (now + wait > (this.firstSent ?? now) + cluster.requestTimeoutMs / 2) return false;
    await clock.sleep(wait);
    return true;
  }
}

/** Sends one write, again while the cluster answers it busy; the last answer when time is up. */
export async function sendUntilNotBusy(context: BusyRetryContext, call: ClusterCall, random: () => number = Math.random): Promise<ClusterAnswer> {
  const schedule = new BusyRetrySchedule(context, random);
  for (;;) {
    const answer = await schedule.send(call);
    if (!BUSY_STATUSES.has(answer.status) || !(await schedule.waitBeforeRetry(answer))) return answer;
  }
}
