/**
 * Starts the OpenSearch stand-in: a loopback HTTP server (node:http) answering the part of
 * OpenSearch's REST API proxy tests use, with OpenSearch's response shapes. It records every
 * request it receives, lets tests read its indices directly, and can simulate an outage:
 * `down` (listener closed: connections refused), `5xx` (503 `cluster_block_exception`),
 * `hang` (requests are read, logged and never answered), `stall-body` (the status line and headers
 * are sent, then nothing) or `stall-mid-body` (headers and half the body, then nothing): what a
 * node in a long GC pause or behind a broken link looks like from outside. It can also play a busy
 * cluster on `_bulk` (`rejectBulks`, `rejectShards`, see `write-pressure.ts`).
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { STAND_IN_VERSION } from './cluster-info.js';
import { ClusterState } from './cluster-state.js';
import {
  inspectClusterSettings,
  inspectIndices,
  type IndicesInspector,
  type InspectedClusterSettings,
} from './inspector.js';
import { checkContentType, readRequest } from './read-request.js';
import { illegalArgument, OpenSearchFailure, type Reply } from './responses.js';
import { Router } from './router.js';
import { ROUTES } from './routes.js';
import { authenticate, unauthorized, type StandInUser } from './security.js';
import type { BulkRejection, ShardRejection } from './write-pressure.js';

/** How to start the stand-in. */
export interface OpenSearchStandInOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  readonly port?: number;
  /**
   * When set, every request needs HTTP Basic credentials of one of these users; a user with
   * `permissions` may only call what they grant (the security plugin's 403 otherwise).
   */
  readonly security?: { readonly users: readonly StandInUser[] };
  /** `cluster_name` the root endpoint reports (default `opensearch-stand-in`). */
  readonly clusterName?: string;
  /**
   * The OpenSearch version to play (default `STAND_IN_VERSION`): the root endpoint reports it,
   * and before 2.8 the `_primary`/`_replica` search preferences are unknown.
   */
  readonly version?: string;
}

/** An outage to simulate. */
export type FailureMode = 'down' | '5xx' | 'hang' | 'stall-body' | 'stall-mid-body';

/** One request as received (recorded before authentication, failure modes and routing). */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A running stand-in. */
export interface StandIn {
  /** `http://127.0.0.1:<port>`, stable across `fail('down')` / `recover()`. */
  readonly url: string;
  readonly port: number;
  /** Every request received since start (or the last `reset()`), oldest first. */
  readonly requests: readonly RecordedRequest[];
  /** Direct read access to indices and documents. */
  readonly indices: IndicesInspector;
  /** The cluster settings stored by `PUT /_cluster/settings` (flat keys). */
  clusterSettings(): InspectedClusterSettings;
  /** Simulates an outage until `recover()`. */
  fail(mode: FailureMode): Promise<void>;
  /** Turns the next `times` bulks away as a whole (429 indexing pressure, or 503 cluster block). */
  rejectBulks(rejection: BulkRejection): void;
  /** Fails, in the next `times` bulks with items for `index`, those items with a 429 each (a full write queue). */
  rejectShards(rejection: ShardRejection): void;
  /** Ends the outage (re-listening on the same port after `down`; dropping hung requests) and the rejections. */
  recover(): Promise<void>;
  /** Forgets indices, cluster settings and recorded requests, and recovers. */
  reset(): Promise<void>;
  /** Stops the server for good. */
  close(): Promise<void>;
}

const CLUSTER_BLOCK = new OpenSearchFailure(503, {
  type: 'cluster_block_exception',
  reason: 'blocked by: [SERVICE_UNAVAILABLE/1/state not recovered / initialized];',
});

/** Writes a reply; `stallAfter` bytes of its body are sent and the rest never is (a stalled node). */
function send(response: ServerResponse, reply: Reply, method: string, stallAfter?: 'headers' | 'half'): void {
  const headers: Record<string, string> = { ...reply.headers };
  let payload = '';
  if (reply.json !== undefined) {
    payload = JSON.stringify(reply.json);
    headers['Content-Type'] = 'application/json; charset=UTF-8';
  } else if (reply.text !== undefined) {
    payload = reply.text;
    headers['Content-Type'] = 'text/plain; charset=UTF-8';
  }
  headers['Content-Length'] = String(Buffer.byteLength(payload));
  response.writeHead(reply.status, headers);
  if (stallAfter === 'headers') return void response.flushHeaders();
  if (stallAfter === 'half') return void response.write(payload.slice(0, Math.floor(payload.length / 2)));
  response.end(method === 'HEAD' ? undefined : payload);
}

/** Starts a stand-in; resolves once it listens. */
export async function startOpenSearchStandIn(
  options: OpenSearchStandInOptions = {},
): Promise<StandIn> {
  const cluster = new ClusterState(
    options.clusterName ?? 'opensearch-stand-in',
    options.security?.users ?? null,
    options.version ?? STAND_IN_VERSION,
  );
  const router = new Router(ROUTES);
  const requests: RecordedRequest[] = [];
  const hung = new Set<ServerResponse>();
  let mode: FailureMode | null = null;
  let closed = false;

  const server = createServer((message, response) => {
    void (async () => {
      let request;
      try {
        request = await readRequest(message);
      } catch {
        send(response, illegalArgument('failed to decompress the request body').toReply(), 'POST');
        return;
      }
      requests.push({
        method: request.method,
        path: request.path,
        query: Object.fromEntries(request.query),
        headers: request.headers,
        body: request.body,
      });
      if (mode === 'hang' || mode === 'stall-body' || mode === 'stall-mid-body') {
        hung.add(response);
        response.on('close', () => hung.delete(response));
        if (mode === 'hang') return;
      }
      if (mode === '5xx') return send(response, CLUSTER_BLOCK.toReply(), request.method);
      const stallAfter = mode === 'stall-body' ? 'headers' : mode === 'stall-mid-body' ? 'half' : undefined;
      const user = cluster.users === null ? null : authenticate(request.headers, cluster.users);
      if (cluster.users !== null && user === null)
        return send(response, unauthorized(), request.method, stallAfter);
      const badContentType = checkContentType(request);
      if (badContentType !== null) return send(response, badContentType, request.method, stallAfter);
      send(response, router.dispatch(request, cluster, user), request.method, stallAfter);
    })();
  });

  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  const stopListening = (): Promise<void> =>
    new Promise((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  const dropHung = (): void => {
    for (const response of hung) response.socket?.destroy();
    hung.clear();
  };

  const port = await listen(options.port ?? 0);

  const recover = async (): Promise<void> => {
    if (closed) return;
    cluster.writePressure.clear();
    dropHung();
    if (mode === 'down') await listen(port);
    mode = null;
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    indices: inspectIndices(cluster),
    clusterSettings: () => inspectClusterSettings(cluster),
    async fail(next) {
      if (closed) throw new Error('the OpenSearch stand-in is closed');
      if (mode === 'down' && next !== 'down') await listen(port);
      if (next === 'down' || next === '5xx') dropHung();
      mode = next;
      if (next === 'down') await stopListening();
    },
    rejectBulks: (rejection) => cluster.writePressure.rejectBulks(rejection),
    rejectShards: (rejection) => cluster.writePressure.rejectShards(rejection),
    recover,
    async reset() {
      await recover();
      cluster.reset();
      requests.length = 0;
    },
    async close() {
      closed = true;
      dropHung();
      await stopListening();
    },
  };
}
