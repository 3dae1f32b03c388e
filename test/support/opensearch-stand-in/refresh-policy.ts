/**
 * The `refresh` parameter of writes: `true` (or empty) refreshes now and says so
 * (`forced_refresh`), `wait_for` returns once a refresh made the write visible (the stand-in has
 * no periodic refresh, so it refreshes now too, silently), `false` leaves it invisible to search.
 */
import type { IndexState } from './indices.js';
import { illegalArgument } from './responses.js';

/** A parsed `refresh` parameter. */
export type RefreshPolicy = 'none' | 'immediate' | 'wait_for';

/** Parses `?refresh=`; an unknown value is OpenSearch's 400. */
export function parseRefresh(query: URLSearchParams): RefreshPolicy {
  const raw = query.get('refresh');
  if (raw === null || raw === 'false') return 'none';
  if (raw === '' || raw === 'true') return 'immediate';
  if (raw === 'wait_for') return 'wait_for';
  throw illegalArgument(`Unknown value for refresh: [${raw}].`);
}

/** Applies the policy to the written indices; true when the response carries `forced_refresh`. */
export function applyRefresh(policy: RefreshPolicy, indices: Iterable<IndexState>): boolean {
  if (policy === 'none') return false;
  for (const index of indices) index.refresh();
  return policy === 'immediate';
}
