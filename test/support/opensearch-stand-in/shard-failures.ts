/**
 * Failures raised while a shard runs a search (building the sort, checking `search_after`,
 * evaluating the query), as opposed to request-level 400s: OpenSearch reports them per shard.
 * When every shard fails, the answer is `search_phase_execution_exception` "all shards failed"
 * with the failures grouped and its status taken from them; when only some fail, the others'
 * hits are answered and `_shards` counts and lists the failures.
 */
import type { IndexState } from './indices.js';
import type { JsonObject } from './json.js';
import { OpenSearchFailure, type ErrorCause } from './responses.js';

/** A failure of the search on one index's shard. */
export class ShardSearchError extends Error {
  constructor(
    readonly status: number,
    /** The shard's exception as OpenSearch renders it (`type`, `reason`, metadata, `caused_by`). */
    readonly detail: ErrorCause,
  ) {
    super(detail.reason);
    this.name = 'ShardSearchError';
  }
}

/**
 * A query that parsed but could not be built on the shard (a knn vector of the wrong dimension,
 * a knn clause on a field that is not a vector): `query_shard_exception` around the reason.
 */
export const shardQueryFailure = (
  index: { name: string; uuid: string },
  message: string,
): ShardSearchError =>
  new ShardSearchError(400, {
    type: 'query_shard_exception',
    reason: `failed to create query: ${message}`,
    index: index.name,
    index_uuid: index.uuid,
    caused_by: { type: 'illegal_argument_exception', reason: message },
  });

/** One index's failed shard. */
export interface FailedShard {
  readonly index: IndexState;
  readonly error: ShardSearchError;
}

/** The `failed_shards` / `_shards.failures` entries. */
export function renderFailedShards(failed: readonly FailedShard[], nodeId: string): JsonObject[] {
  return failed.map(({ index, error }) => ({
    shard: 0,
    index: index.name,
    node: nodeId,
    reason: error.detail,
  }));
}

/** The answer when every shard failed: the worst status (a 5xx wins), as OpenSearch picks it. */
export function allShardsFailed(failed: readonly FailedShard[], nodeId: string): OpenSearchFailure {
  const [first] = failed;
  const worst = failed.find(({ error }) => error.status >= 500) ?? first;
  const status = worst?.error.status ?? 503;
  // Root causes are rendered without their own `caused_by`.
  const rootCauses = failed.map(({ error }) => {
    const { caused_by: _causedBy, ...root } = error.detail;
    return root;
  });
  return new OpenSearchFailure(
    status,
    {
      type: 'search_phase_execution_exception',
      reason: 'all shards failed',
      phase: 'query',
      grouped: true,
      failed_shards: renderFailedShards(failed, nodeId),
      ...(first === undefined ? {} : { caused_by: first.error.detail }),
    },
    rootCauses,
  );
}
