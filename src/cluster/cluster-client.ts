import { Client, errors } from '@opensearch-project/opensearch';
import { OpenSearchError } from '../errors/opensearch-error.js';
import { displayUrl } from '../util/display-url.js';

/** A JSON call to the cluster, carrying the caller's credentials. */
export interface ClusterCall {
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD';
  readonly path: string;
  readonly querystring?: Record<string, string>;
  /** A JSON body, or NDJSON text for `_bulk` / `_msearch`. */
  readonly body?: unknown;
  readonly ndjson?: boolean;
  /** The caller's `Authorization` header, passed through so the cluster checks the caller. */
  readonly authorization?: string | undefined;
}

export interface ClusterAnswer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * The cluster behind the proxy, through the official OpenSearch client. Requests the sidecar
 * rewrites go through here; requests it does not change are streamed by the pass-through instead.
 * Any answer from the cluster (2xx or an error status) is returned as is; an unreachable or hanging
 * cluster becomes a 502/504 naming the cluster.
 */
export class ClusterClient {
  private readonly client: Client;

  constructor(readonly url: string, options: { requestTimeoutMs: number }) {
    this.client = new Client({ node: url, requestTimeout: options.requestTimeoutMs, maxRetries: 0 });
  }

  async call(call: ClusterCall): Promise<ClusterAnswer> {
    try {
      const response = await this.client.transport.request(
        {
          method: call.method,
          path: call.path,
          querystring: call.querystring ?? {},
          ...(call.body === undefined ? {} : call.ndjson ? { bulkBody: call.body as string } : { body: call.body as Record<string, unknown> }),
        },
        { headers: call.authorization === undefined ? {} : { authorization: call.authorization } },
      );
      return { status: response.statusCode ?? 200, body: response.body };
    } catch (error) {
      if (error instanceof errors.ResponseError) return { status: error.meta.statusCode ?? 500, body: error.meta.body };
      throw this.unavailable(error);
    }
  }

  close(): Promise<void> {
    return this.client.close();
  }

  private unavailable(error: unknown): OpenSearchError {
    const timedOut = error instanceof errors.TimeoutError;
    const reason = timedOut ? 'did not answer in time' : `is unavailable: ${(error as Error).message}`;
    return new OpenSearchError({
      status: timedOut ? 504 : 502,
      type: 'cluster_unavailable_exception',
      reason: `OpenSearch cluster [${displayUrl(this.url)}] ${reason}`,
      cause: error,
    });
  }
}
