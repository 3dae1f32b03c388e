/**
 * How the cluster store reaches the cluster: JSON requests with the sidecar's own credentials
 * (never a caller's). Implemented over the official client in `src/cluster/` and injected, so the
 * store does not depend on the HTTP stack and tests can hand it any transport.
 */
export interface ClusterRequest {
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD';
  readonly path: string;
  readonly querystring?: Record<string, string>;
  /** A JSON body, or NDJSON text with `ndjson`. */
  readonly body?: unknown;
  readonly ndjson?: boolean;
}

/** Any answer the cluster gave, 2xx or not. */
export interface ClusterResponse {
  readonly status: number;
  readonly body: unknown;
}

export interface ClusterTransport {
  /** The cluster's URL without credentials, for messages. */
  readonly displayUrl: string;
  /** Resolves with the cluster's answer; rejects only when no answer came (refused, timed out). */
  request(request: ClusterRequest): Promise<ClusterResponse>;
}
