import { statusException, type OpenSearchError } from '../../errors/opensearch-error.js';
import { MAX_JSON_NESTING_DEPTH } from '../../util/json.js';

/** A 2xx answer without a body. */
export const emptyResponseError = (): OpenSearchError => statusException(502, 'Remote service returned empty response body');

/** A 2xx answer nested deeper than any JSON body the sidecar takes (its walkers recurse). */
export const tooDeepResponseError = (): OpenSearchError =>
  statusException(502, `Remote service returned a response nested deeper than ${MAX_JSON_NESTING_DEPTH} levels`);
