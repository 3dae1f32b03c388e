/**
 * Queries registered by plugins the stand-in does not have: the neural-search plugin's
 * `neural`, `neural_sparse` and `hybrid`. OpenSearch without that plugin answers them as unknown
 * queries, and so does the stand-in, so a test can prove a proxy rewrote them before forwarding.
 */
import { isJsonObject } from './json.js';
import { OpenSearchFailure } from './responses.js';

/** Query names only the neural-search plugin registers. */
export const PLUGIN_QUERIES: ReadonlySet<string> = new Set(['neural', 'neural_sparse', 'hybrid']);

/** 400 `parsing_exception` for a query no installed plugin registers. */
export const unknownQuery = (name: string): OpenSearchFailure =>
  new OpenSearchFailure(
    400,
    {
      type: 'parsing_exception',
      reason: `unknown query [${name}]`,
      caused_by: { type: 'named_object_not_found_exception', reason: `unknown field [${name}]` },
    },
    [{ type: 'parsing_exception', reason: `unknown query [${name}]` }],
  );

/** Fails on neural-search queries anywhere in `query` (for bodies no knn can appear in). */
export function refusePluginQueries(query: unknown): void {
  if (Array.isArray(query)) query.forEach(refusePluginQueries);
  if (!isJsonObject(query)) return;
  for (const [key, value] of Object.entries(query)) {
    if (PLUGIN_QUERIES.has(key) && isJsonObject(value)) throw unknownQuery(key);
    refusePluginQueries(value);
  }
}
