import { illegalArgument } from '../../errors/opensearch-error.js';
import { isJsonObject } from '../../util/json.js';

/** How a hybrid search orders its results: by combined score (the default) or by fields. */
export type HybridOrder =
  | { readonly kind: 'score'; readonly ascending: boolean; readonly withSortValues: boolean }
  | { readonly kind: 'fields'; readonly descending: readonly boolean[] };

interface SortKey {
  readonly field: string;
  readonly descending: boolean;
}

/**
 * Reads a hybrid search's `sort` with neural-search's rules (HybridCollectorManager): `_score`
 * cannot be mixed with fields, and `track_scores` is refused with either.
 */
export function hybridOrder(sort: unknown, trackScores: boolean): HybridOrder {
  const keys = sortKeys(sort);
  if (keys.length === 0) return { kind: 'score', ascending: false, withSortValues: false };
  const byScore = keys.filter((key) => key.field === '_score');
  if (byScore.length > 0 && byScore.length < keys.length) {
    throw illegalArgument('_score sort criteria cannot be applied with any other criteria. Please select one sort criteria out of them.');
  }
  if (trackScores && byScore.length === 0) {
    throw illegalArgument('Hybrid search results when sorted by any field, docId or _id, track_scores must be set to false.');
  }
  if (trackScores) throw illegalArgument('Hybrid search results are by default sorted by _score, track_scores must be set to false.');
  if (byScore.length > 0) return { kind: 'score', ascending: !byScore[0]!.descending, withSortValues: true };
  return { kind: 'fields', descending: keys.map((key) => key.descending) };
}

/** Compares two hits' `sort` values key by key: missing values last, as OpenSearch's default `_last`. */
export function compareSortValues(order: readonly boolean[], left: readonly unknown[], right: readonly unknown[]): number {
  for (let index = 0; index < order.length; index += 1) {
    const a = left[index];
    const b = right[index];
    const aMissing = a === null || a === undefined;
    const bMissing = b === null || b === undefined;
    if (aMissing || bMissing) {
      if (aMissing !== bMissing) return aMissing ? 1 : -1;
      continue;
    }
    const compared = typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
    if (compared !== 0) return order[index] ? -compared : compared;
  }
  return 0;
}

function sortKeys(sort: unknown): SortKey[] {
  if (sort === undefined || sort === null) return [];
  const entries = Array.isArray(sort) ? sort : [sort];
  return entries.flatMap((entry): SortKey[] => {
    if (typeof entry === 'string') return [{ field: entry, descending: entry === '_score' }];
    if (!isJsonObject(entry)) return [];
    return Object.entries(entry).map(([field, options]) => {
      const order = typeof options === 'string' ? options : isJsonObject(options) ? options['order'] : undefined;
      return { field, descending: order === undefined ? field === '_score' : order === 'desc' };
    });
  });
}
