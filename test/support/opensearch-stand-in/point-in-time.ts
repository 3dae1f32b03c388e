/**
 * Points in time, as OpenSearch 2.4+ serves them: `POST /{index}/_search/point_in_time?keep_alive=`
 * freezes what a search of those indices sees at that moment; `POST /_search` with
 * `"pit": {"id", "keep_alive"}` (and no index in the path) searches that frozen view whatever was
 * written since, each use extending its life by its `keep_alive`; `GET /_search/point_in_time/_all`
 * lists the live ones and `DELETE /_search/point_in_time` (a `pit_id` list, or `/_all`) frees them.
 * A point in time past its keep-alive is gone: searching it is OpenSearch's 404
 * `search_context_missing_exception` under "all shards failed". Ids are opaque base64url.
 */
import type { ClusterState } from './cluster-state.js';
import type { Handler } from './handler.js';
import { IndexState } from './indices.js';
import { isJsonObject, parseOptionalBody, tokenName, type JsonObject } from './json.js';
import { illegalArgument, jsonReply, OpenSearchFailure, validationFailed } from './responses.js';
import { allShardsFailed, ShardSearchError } from './shard-failures.js';
import { parseTimeValue } from './time-value.js';

/** One point in time: frozen views of its indices and when it lapses. */
interface PointInTime {
  readonly id: string;
  readonly contextId: number;
  readonly indices: readonly IndexState[];
  readonly creationTime: number;
  keepAliveMs: number;
  expiresAt: number;
}

/** A copy of an index whose searchable documents stay as they are now (documents are replaced on write, never mutated). */
function frozenView(index: IndexState): IndexState {
  return Object.assign(Object.create(IndexState.prototype) as IndexState, index, {
    searchable: new Map(index.searchable),
  });
}

const encodeId = (nodeId: string, contextId: number, names: readonly string[]): string =>
  Buffer.from(JSON.stringify({ node: nodeId, context: contextId, indices: names })).toString(
    'base64url',
  );

function decodeContextId(id: string): number {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(id, 'base64url').toString('utf8'));
    if (isJsonObject(decoded) && typeof decoded['context'] === 'number') return decoded['context'];
  } catch {
    // Falls through to OpenSearch's refusal of an id it cannot decode.
  }
  throw illegalArgument(`invalid id: [${id}]`);
}

/** The points in time of the stand-in. */
export class PointsInTime {
  private readonly byContext = new Map<number, PointInTime>();
  private nextContextId = 1;

  create(cluster: ClusterState, indices: readonly IndexState[], keepAliveMs: number): PointInTime {
    this.sweep();
    const contextId = this.nextContextId++;
    const now = Date.now();
    const pit: PointInTime = {
      id: encodeId(
        cluster.identity.nodeId,
        contextId,
        indices.map((index) => index.name),
      ),
      contextId,
      indices: indices.map(frozenView),
      creationTime: now,
      keepAliveMs,
      expiresAt: now + keepAliveMs,
    };
    this.byContext.set(contextId, pit);
    return pit;
  }

  /** The live point in time of `id`, its life extended by `keepAliveMs` when given. */
  use(cluster: ClusterState, id: string, keepAliveMs: number | undefined): PointInTime {
    const contextId = decodeContextId(id);
    this.sweep();
    const pit = this.byContext.get(contextId);
    if (pit === undefined) throw contextMissing(cluster, contextId);
    if (keepAliveMs !== undefined) {
      pit.keepAliveMs = keepAliveMs;
      pit.expiresAt = Date.now() + keepAliveMs;
    }
    return pit;
  }

  /** Frees points in time; an unknown or expired one counts as freed, as in OpenSearch. */
  delete(ids: readonly string[]): JsonObject[] {
    return ids.map((id) => {
      this.byContext.delete(decodeContextId(id));
      return { succeeded: true, pit_id: id };
    });
  }

  deleteAll(): JsonObject[] {
    this.sweep();
    const freed = [...this.byContext.values()].map((pit) => ({ succeeded: true, pit_id: pit.id }));
    this.byContext.clear();
    return freed;
  }

  list(): JsonObject[] {
    this.sweep();
    return [...this.byContext.values()].map((pit) => ({
      pit_id: pit.id,
      creation_time: pit.creationTime,
      keep_alive: pit.keepAliveMs,
    }));
  }

  clear(): void {
    this.byContext.clear();
  }

  private sweep(): void {
    const now = Date.now();
    for (const [contextId, pit] of this.byContext) if (pit.expiresAt <= now) this.byContext.delete(contextId);
  }
}

/** What a search of a lapsed point in time answers: its shard's context is gone. */
function contextMissing(cluster: ClusterState, contextId: number): OpenSearchFailure {
  const placeholder = new IndexState('_na_', new Map(), {});
  return allShardsFailed(
    [
      {
        index: placeholder,
        error: new ShardSearchError(404, {
          type: 'search_context_missing_exception',
          reason: `No search context found for id [${contextId}]`,
        }),
      },
    ],
    cluster.identity.nodeId,
  );
}

/** `POST /{index}/_search/point_in_time?keep_alive=`. */
export const createPointInTime: Handler = ({ request, params, cluster }) => {
  const raw = request.query.get('keep_alive');
  if (raw === null) throw validationFailed(['keep alive not specified']);
  const keepAliveMs = parseTimeValue(raw, 'keep_alive');
  const indices = cluster.indices.resolve(params['index']);
  const pit = cluster.pointsInTime.create(cluster, indices, keepAliveMs);
  const shards = indices.length;
  return jsonReply(200, {
    pit_id: pit.id,
    _shards: { total: shards, successful: shards, skipped: 0, failed: 0 },
    creation_time: pit.creationTime,
  });
};

/** The `pit_id` list of a delete body: a string or an array of strings. */
function pitIdsOf(body: unknown): string[] {
  if (body === undefined) return [];
  if (!isJsonObject(body)) throw illegalArgument('Malformed content, must start with an object');
  const ids: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (key !== 'pit_id') {
      throw illegalArgument(
        `Unknown parameter [${key}] in request body or parameter is of the wrong type[${tokenName(value)}] `,
      );
    }
    const values = Array.isArray(value) ? value : [value];
    for (const id of values) {
      if (typeof id !== 'string') throw illegalArgument('pit_id array element should only contain pit_id');
      ids.push(id);
    }
  }
  return ids;
}

/** `DELETE /_search/point_in_time` with `{"pit_id": [...]}`. */
export const deletePointsInTime: Handler = ({ request, cluster }) => {
  const ids = pitIdsOf(parseOptionalBody(request.body));
  if (ids.length === 0) throw validationFailed(['no pit ids specified']);
  return jsonReply(200, { pits: cluster.pointsInTime.delete(ids) });
};

/** `DELETE /_search/point_in_time/_all`. */
export const deleteAllPointsInTime: Handler = ({ cluster }) =>
  jsonReply(200, { pits: cluster.pointsInTime.deleteAll() });

/** `GET /_search/point_in_time/_all`. */
export const listPointsInTime: Handler = ({ cluster }) =>
  jsonReply(200, { pits: cluster.pointsInTime.list() });

/** The point in time a search body names, parsed: `{"id", "keep_alive"?}`. */
export function pointInTimeOf(raw: unknown): { id: string; keepAliveMs: number | undefined } {
  if (!isJsonObject(raw) || typeof raw['id'] !== 'string') {
    throw new OpenSearchFailure(400, { type: 'parsing_exception', reason: 'Required [id]' });
  }
  const keepAlive = raw['keep_alive'];
  return {
    id: raw['id'],
    keepAliveMs: typeof keepAlive === 'string' ? parseTimeValue(keepAlive, 'keep_alive') : undefined,
  };
}
