/**
 * What the cluster store makes of the cluster's failures. A cluster that cannot be reached, is
 * overloaded or refuses the sidecar's account makes ML API calls answer 503 naming the cluster
 * (never the account's credentials); a failed write condition is OpenSearch's own 409.
 */
import { OpenSearchError, versionConflict } from '../../errors/opensearch-error.js';
import { isJsonObject } from '../../util/json.js';
import type { ClusterResponse } from './cluster-transport.js';

/** The cluster's own reason for a failed call (`error.reason`, else its type, else the status). */
export function clusterReason(response: ClusterResponse): string {
  const error = isJsonObject(response.body) ? response.body['error'] : undefined;
  if (isJsonObject(error)) {
    const reason = error['reason'] ?? error['type'];
    if (typeof reason === 'string') return reason;
  }
  if (typeof response.body === 'string' && response.body.length > 0 && response.body.length < 200) return response.body;
  return `status ${response.status}`;
}

/** 503: the state cannot be read or written now; the replica recovers by itself when the cluster does. */
export function stateUnavailable(displayUrl: string, why: string, cause?: unknown): OpenSearchError {
  return new OpenSearchError({
    status: 503,
    type: 'cluster_unavailable_exception',
    reason: `The sidecar's state in OpenSearch cluster [${displayUrl}] is unavailable: ${why}`,
    cause,
  });
}

/** Turns a non-2xx answer to a state call into the error the API caller gets. */
export function stateCallFailed(displayUrl: string, response: ClusterResponse, what: string): OpenSearchError {
  const reason = clusterReason(response);
  if (response.status === 401 || response.status === 403) {
    return stateUnavailable(displayUrl, `the cluster refused the sidecar's account to ${what} (${response.status}: ${reason})`);
  }
  return stateUnavailable(displayUrl, `${what} failed (${response.status}: ${reason})`);
}

/** OpenSearch's 409 for a write condition, worded with the record id rather than the document id. */
export function conditionFailed(response: ClusterResponse, documentId: string, recordId: string, collection: string): OpenSearchError {
  return versionConflict(clusterReason(response).split(`[${documentId}]`).join(`[${recordId}]`), collection);
}
