/**
 * Merging per-index search responses into one, as the coordinating node reduces shard results:
 * hits ordered by score (or by the request's `sort` values), then paged with `from`/`size`;
 * totals summed, `max_score` the best, `_shards` added up.
 */
import type { SearchHit, SearchResponse } from '../../../src/query/index.js';
import { isJsonObject, type JsonObject } from './json.js';

interface SortOrder {
  readonly descending: boolean;
}

function sortOrders(sort: unknown): SortOrder[] {
  const keys = Array.isArray(sort) ? sort : [sort];
  return keys.map((key) => {
    if (typeof key === 'string') return { descending: key === '_score' };
    if (!isJsonObject(key)) return { descending: false };
    const [field, options] = Object.entries(key)[0] ?? ['', undefined];
    const order =
      typeof options === 'string' ? options : isJsonObject(options) ? options['order'] : undefined;
    return { descending: order === undefined ? field === '_score' : order === 'desc' };
  });
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}

function hitComparator(sort: unknown): (a: SearchHit, b: SearchHit) => number {
  if (sort === undefined) return (a, b) => (b._score ?? 0) - (a._score ?? 0);
  const orders = sortOrders(sort);
  return (a, b) => {
    for (let i = 0; i < orders.length; i += 1) {
      const left = a.sort?.[i];
      const right = b.sort?.[i];
      const nullOrder = compareValues(left, right);
      const missing = left === null || left === undefined || right === null || right === undefined;
      const c = missing ? nullOrder : orders[i]?.descending === true ? -nullOrder : nullOrder;
      if (c !== 0) return c;
    }
    return 0;
  };
}

/** Merges responses that each hold the first `from + size` hits of one index. */
export function mergeResponses(
  responses: readonly SearchResponse[],
  body: JsonObject,
): SearchResponse {
  const from = typeof body['from'] === 'number' ? body['from'] : 0;
  const size = typeof body['size'] === 'number' ? body['size'] : 10;
  const hits = responses.flatMap((r) => r.hits.hits).sort(hitComparator(body['sort']));
  const scores = responses.map((r) => r.hits.max_score).filter((s): s is number => s !== null);
  const totals = responses.map((r) => r.hits.total).filter((t) => t !== undefined);
  const merged: SearchResponse = {
    took: Math.max(0, ...responses.map((r) => r.took)),
    timed_out: false,
    _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
    hits: {
      max_score: scores.length === 0 ? null : Math.max(...scores),
      hits: hits.slice(from, from + size),
    },
  };
  if (totals.length > 0) {
    merged.hits = {
      total: {
        value: totals.reduce((sum, t) => sum + t.value, 0),
        relation: totals.some((t) => t.relation === 'gte') ? 'gte' : 'eq',
      },
      ...merged.hits,
    };
  }
  return merged;
}
