import { redactUrl } from '../util/redact-url.js';
import { OpenSearchError } from './opensearch-error.js';

/**
 * The errors for a cluster behind the proxy that cannot answer, the same on the rewritten path
 * (the OpenSearch client) and the pass-through (undici): 502 when it cannot be reached, 504 when it
 * does not answer in time. Both name the cluster, without the credentials a URL can embed.
 */
const TYPE = 'cluster_unavailable_exception';

/** 502: the connection was refused, reset or never made. */
export const clusterUnavailable = (clusterUrl: string, detail: string, cause: unknown): OpenSearchError =>
  new OpenSearchError({ status: 502, type: TYPE, reason: `OpenSearch cluster [${redactUrl(clusterUrl)}] is unavailable: ${detail}`, cause });

/** 504: no connection, no headers or no body within the timeout. */
export const clusterTimedOut = (clusterUrl: string, timeoutMs: number, cause: unknown): OpenSearchError =>
  new OpenSearchError({
    status: 504,
    type: TYPE,
    reason: `OpenSearch cluster [${redactUrl(clusterUrl)}] did not answer within ${timeoutMs} ms (OPENSEARCH_TIMEOUT_MS)`,
    cause,
  });
