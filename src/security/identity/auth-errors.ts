/**
 * The errors identity checks throw. Reasons never quote the header, a password, a key or a hash:
 * they name what is wrong, not what was sent.
 */
import { OpenSearchError } from '../../errors/opensearch-error.js';

/** The challenge OpenSearch's security plugin sends with every 401. */
export const BASIC_CHALLENGE = 'Basic realm="OpenSearch Security"';

const challenge = { 'WWW-Authenticate': BASIC_CHALLENGE };

/** 401 for a request without an `Authorization` header. */
export const missingCredentials = (): OpenSearchError =>
  new OpenSearchError({
    status: 401,
    type: 'security_exception',
    reason: 'missing authentication credentials for REST request',
    headers: challenge,
  });

/** 401 for credentials that are malformed, unknown or wrong (one reason for all, so nothing is revealed). */
export const unauthorized = (): OpenSearchError =>
  new OpenSearchError({
    status: 401,
    type: 'security_exception',
    reason: 'Unauthorized',
    headers: challenge,
  });

/**
 * 502/503 when the cluster cannot vouch for a caller: the request is neither allowed nor blamed on
 * the caller. `detail` names the problem (an error code or a status), never the credentials.
 */
export const clusterProblem = (
  status: 502 | 503,
  detail: string,
  cause?: unknown,
): OpenSearchError =>
  new OpenSearchError({
    status,
    type: 'status_exception',
    reason: `Cannot check credentials with the OpenSearch cluster (OPENSEARCH_URL): ${detail}`,
    cause,
  });
