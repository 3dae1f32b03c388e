import { isJsonObject } from '../../util/json.js';

/** One hit of a search response (`hits.hits[]`): `_id`, `_score`, `_source`, `fields`, ... */
export type SearchHit = Record<string, unknown>;

/** The hits of a search response, as the response holds them (rewriting one rewrites the response). */
export function searchHits(response: Readonly<Record<string, unknown>>): SearchHit[] {
  const hits = isJsonObject(response['hits']) ? response['hits']['hits'] : undefined;
  return Array.isArray(hits) ? hits.filter(isJsonObject) : [];
}

/** `hits.total.value` (or a bare number, as `rest_total_hits_as_int` prints it); undefined when untracked. */
export function totalHitCount(response: Readonly<Record<string, unknown>>): number | undefined {
  const total = isJsonObject(response['hits']) ? response['hits']['total'] : undefined;
  if (typeof total === 'number') return total;
  return isJsonObject(total) && typeof total['value'] === 'number' ? total['value'] : undefined;
}

/**
 * Java's `String.valueOf` for a JSON value, as processors print `_source` values into prompts and
 * contexts: strings as they are, lists as `[a, b]`, objects as `{k=v}`.
 */
export function javaString(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(javaString).join(', ')}]`;
  if (isJsonObject(value)) return `{${Object.entries(value).map(([key, entry]) => `${key}=${javaString(entry)}`).join(', ')}}`;
  return String(value);
}
