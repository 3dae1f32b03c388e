import { Client, errors } from '@opensearch-project/opensearch';
import { clusterTimedOut, clusterUnavailable } from '../errors/cluster-errors.js';
import type { OpenSearchError } from '../errors/opensearch-error.js';
import { clusterCallTimer, NO_CLUSTER_CALL_EVENTS, type ClusterCallEvents, type ClusterClientName } from './cluster-call-events.js';

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
 * cluster becomes a 502/504 naming the cluster, as on the pass-through.
 */
export class ClusterClient {
  private readonly client: Client;
  private readonly requestTimeoutMs: number;
  private readonly events: ClusterCallEvents;
  private readonly name: ClusterClientName;

  /** `name` says which of the sidecar's clients this is in the events (`proxy` unless given). */
  constructor(readonly url: string, options: { requestTimeoutMs: number; events?: ClusterCallEvents; name?: ClusterClientName }) {
    this.requestTimeoutMs = options.requestTimeoutMs;
    this.events = options.events ?? NO_CLUSTER_CALL_EVENTS;
    this.name = options.name ?? 'proxy';
    this.client = new Client({ node: url, requestTimeout: options.requestTimeoutMs, maxRetries: 0 });
  }

  /**
   * One call, answered within `requestTimeoutMs` in all. The client's own `requestTimeout` stops
   * counting once the answer's headers arrive, so a cluster that sends them and then stalls would
   * hold the call forever; the deadline aborts it instead.
   */
  async call(call: ClusterCall): Promise<ClusterAnswer> {
    const pending = this.client.transport.request(
      {
        method: call.method,
        path: call.path,
        querystring: call.querystring ?? {},
        ...(call.body === undefined ? {} : call.ndjson ? { bulkBody: call.body as string } : { body: call.body as Record<string, unknown> }),
      },
      { headers: call.authorization === undefined ? {} : { authorization: call.authorization } },
    );
    let pastDeadline = false;
    const deadline = setTimeout(() => {
      pastDeadline = true;
      pending.abort();
    }, this.requestTimeoutMs);
    const report = clusterCallTimer(this.events, this.name, call.method, call.path);
    try {
      const response = await pending;
      const status = response.statusCode ?? 200;
      report(status);
      return { status, body: response.body };
    } catch (error) {
      if (error instanceof errors.ResponseError) {
        const status = error.meta.statusCode ?? 500;
        report(status);
        return { status, body: error.meta.body };
      }
      const unavailable = this.unavailable(error, pastDeadline);
      report(undefined, unavailable.status === 504 ? 'timeout' : 'unavailable');
      throw unavailable;
    } finally {
      clearTimeout(deadline);
    }
  }

  close(): Promise<void> {
    return this.client.close();
  }

  private unavailable(error: unknown, pastDeadline: boolean): OpenSearchError {
    if (pastDeadline || error instanceof errors.TimeoutError) return clusterTimedOut(this.url, this.requestTimeoutMs, error);
    return clusterUnavailable(this.url, (error as Error).message, error);
  }
}
