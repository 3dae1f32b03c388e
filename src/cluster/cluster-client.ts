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
  /** At most this long (never longer than `OPENSEARCH_TIMEOUT_MS`): what is left of a retried call's time. */
  readonly timeoutMs?: number;
}

export interface ClusterAnswer {
  readonly status: number;
  readonly body: unknown;
  /** The answer's headers, names in lower case (`retry-after`, ...). */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The cluster behind the proxy, through the official OpenSearch client. Requests the sidecar
 * rewrites go through here; requests it does not change are streamed by the pass-through instead.
 * Any answer from the cluster (2xx or an error status) is returned as is; an unreachable or hanging
 * cluster becomes a 502/504 naming the cluster, as on the pass-through.
 */
export class ClusterClient {
  private readonly client: Client;
  /** `OPENSEARCH_TIMEOUT_MS`: the longest any call takes. */
  readonly requestTimeoutMs: number;
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
   * One call, answered within its timeout in all: `requestTimeoutMs`, or less for a retry (the 504
   * still names `OPENSEARCH_TIMEOUT_MS`, which the retried exchange has then spent). The client's
   * own `requestTimeout` stops counting once the answer's headers arrive, so a cluster that sends
   * them and then stalls would hold the call forever; the deadline aborts it instead.
   */
  async call(call: ClusterCall): Promise<ClusterAnswer> {
    const timeoutMs = Math.min(call.timeoutMs ?? this.requestTimeoutMs, this.requestTimeoutMs);
    const pending = this.client.transport.request(
      {
        method: call.method,
        path: call.path,
        querystring: call.querystring ?? {},
        ...(call.body === undefined ? {} : call.ndjson ? { bulkBody: call.body as string } : { body: call.body as Record<string, unknown> }),
      },
      { headers: call.authorization === undefined ? {} : { authorization: call.authorization }, requestTimeout: timeoutMs },
    );
    let pastDeadline = false;
    const deadline = setTimeout(() => {
      pastDeadline = true;
      pending.abort();
    }, timeoutMs);
    const report = clusterCallTimer(this.events, this.name, call.method, call.path);
    try {
      const response = await pending;
      const status = response.statusCode ?? 200;
      report(status);
      return { status, body: response.body, headers: headersOf(response.headers) };
    } catch (error) {
      if (error instanceof errors.ResponseError) {
        const status = error.meta.statusCode ?? 500;
        report(status);
        return { status, body: error.meta.body, headers: headersOf(error.meta.headers) };
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

function headersOf(headers: Record<string, unknown> | null | undefined): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined && value !== null) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return flat;
}
