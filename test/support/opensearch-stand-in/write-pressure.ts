/**
 * A busy cluster, as `_bulk` meets it: OpenSearch turns a bulk away as a whole when the
 * coordinating node's indexing pressure is over its limit (429 `rejected_execution_exception`,
 * nothing indexed) or when the cluster is blocked (503 `cluster_block_exception`, e.g. while no
 * cluster manager is elected); and it fails the items of one shard when that shard's write queue
 * is full (each a 429 `rejected_execution_exception`, the other shards' items applied). The
 * stand-in has one shard per index, so a shard rejection takes every item bound for the index.
 */
import { OpenSearchFailure, type ErrorCause } from './responses.js';

/** How to turn whole bulks away (and single-document writes, which OpenSearch runs as one-item bulks). */
export interface BulkRejection {
  /** How many bulks to turn away, the next ones received. */
  readonly times: number;
  readonly status: 429 | 503;
  /** `Retry-After` (seconds) on the answer: OpenSearch sends none, a load balancer in front may. */
  readonly retryAfterSeconds?: number;
}

/** How to fail the items of one index's shard. */
export interface ShardRejection {
  /** In how many bulks (the next ones with items for the index). */
  readonly times: number;
  readonly index: string;
}

const WRITE_QUEUE_CAPACITY = 10_000;

/** The rejections still to hand out. */
export class WritePressure {
  private bulkRejections: BulkRejection[] = [];
  private shardRejections: ShardRejection[] = [];

  rejectBulks(rejection: BulkRejection): void {
    this.bulkRejections.push(rejection);
  }

  rejectShards(rejection: ShardRejection): void {
    this.shardRejections.push(rejection);
  }

  /** The failure the next bulk meets as a whole, if any (counts it as handed out). */
  takeBulkRejection(bulkBytes: number): { failure: OpenSearchFailure; headers: Record<string, string> } | undefined {
    const rejection = this.bulkRejections[0];
    if (rejection === undefined) return undefined;
    this.bulkRejections = consume(this.bulkRejections, rejection);
    const failure = rejection.status === 429 ? coordinatingRejection(bulkBytes) : NO_CLUSTER_MANAGER;
    return { failure, headers: rejection.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(rejection.retryAfterSeconds) } };
  }

  /** The indices whose items this bulk fails (counts each as handed out). */
  takeShardRejections(indices: ReadonlySet<string>): Set<string> {
    const rejected = new Set<string>();
    for (const rejection of [...this.shardRejections]) {
      if (!indices.has(rejection.index) || rejected.has(rejection.index)) continue;
      rejected.add(rejection.index);
      this.shardRejections = consume(this.shardRejections, rejection);
    }
    return rejected;
  }

  clear(): void {
    this.bulkRejections = [];
    this.shardRejections = [];
  }
}

/** The error of an item whose shard's write queue was full (`OpenSearchRejectedExecutionException`). */
export const writeQueueFull = (nodeName: string): ErrorCause => ({
  type: 'rejected_execution_exception',
  reason:
    `rejected execution of primary operation on OpenSearchThreadPoolExecutor[name = ${nodeName}/write, ` +
    `queue capacity = ${WRITE_QUEUE_CAPACITY}, org.opensearch.common.util.concurrent.OpenSearchThreadPoolExecutor` +
    `[Running, pool size = 2, active threads = 2, queued tasks = ${WRITE_QUEUE_CAPACITY}, completed tasks = 0]]`,
});

/** `IndexingPressure.markCoordinatingOperationStarted`'s refusal, its limit the stand-in's 10% of a 1 GB heap. */
function coordinatingRejection(bulkBytes: number): OpenSearchFailure {
  const limit = 107_374_182;
  return new OpenSearchFailure(429, {
    type: 'rejected_execution_exception',
    reason:
      `rejected execution of coordinating operation [coordinating_and_primary_bytes=${limit}, replica_bytes=0, ` +
      `all_bytes=${limit}, coordinating_operation_bytes=${bulkBytes}, max_coordinating_and_primary_bytes=${limit}]`,
  });
}

const NO_CLUSTER_MANAGER = new OpenSearchFailure(503, {
  type: 'cluster_block_exception',
  reason: 'blocked by: [SERVICE_UNAVAILABLE/2/no cluster-manager];',
});

/** The list with one more of `rejection` handed out (dropped once all its times are). */
function consume<T extends { readonly times: number }>(list: readonly T[], rejection: T): T[] {
  return list.flatMap((entry) => (entry !== rejection ? [entry] : entry.times > 1 ? [{ ...entry, times: entry.times - 1 }] : []));
}
