import { statusException, type OpenSearchError } from '../../errors/opensearch-error.js';

/** A 2xx answer without a body. */
export const emptyResponseError = (): OpenSearchError => statusException(502, 'Remote service returned empty response body');
