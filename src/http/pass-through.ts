import { once } from 'node:events';
import { Readable } from 'node:stream';
import { Agent, request, type Dispatcher } from 'undici';
import { clusterTimedOut, clusterUnavailable } from '../errors/cluster-errors.js';
import type { OpenSearchError } from '../errors/opensearch-error.js';
import { clusterCallTimer, NO_CLUSTER_CALL_EVENTS, type ClusterCallEvents } from '../cluster/cluster-call-events.js';

/** undici's codes for a connection, headers or body that did not arrive within its timeout. */
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** Hop-by-hop headers never forwarded in either direction (RFC 9110 §7.6.1), plus host. */
const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host',
]);

/** A request as the proxy received it. */
export interface PassThroughRequest {
  readonly method: string;
  /** Path and query string, as received. */
  readonly pathAndQuery: string;
  readonly headers: Headers;
  /** The body as a stream, or as text when the proxy already read it. */
  readonly body: ReadableStream<Uint8Array> | string | null;
}

/**
 * Streams requests the sidecar does not change to the cluster and streams the answer back:
 * method, path, query, body, status and headers unchanged (the caller's credentials included).
 * A cluster that cannot be reached is a 502 and one that does not answer in time a 504, as on the
 * rewritten path. The status goes out with the answer's first body bytes, so a cluster that sends
 * its headers and then stalls is a 504 too; one that stalls in the middle of a body already under
 * way gets the connection closed, as the status has been sent.
 */
export class PassThrough {
  private readonly dispatcher: Dispatcher;
  private readonly timeoutMs: number;
  private readonly events: ClusterCallEvents;

  constructor(private readonly clusterUrl: string, options: { dispatcher?: Dispatcher; timeoutMs: number; events?: ClusterCallEvents }) {
    this.timeoutMs = options.timeoutMs;
    this.events = options.events ?? NO_CLUSTER_CALL_EVENTS;
    this.dispatcher = options.dispatcher ?? new Agent({ connections: 128, headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs });
  }

  /** Forwards one request; the events hear it once the answer's status is known (its body may still be streaming). */
  async forward(incoming: PassThroughRequest): Promise<Response> {
    const report = clusterCallTimer(this.events, 'pass_through', incoming.method, incoming.pathAndQuery);
    try {
      const response = await this.send(incoming);
      report(response.status);
      return response;
    } catch (error) {
      report(undefined, (error as OpenSearchError).status === 504 ? 'timeout' : 'unavailable');
      throw error;
    }
  }

  private async send(incoming: PassThroughRequest): Promise<Response> {
    const headers: Record<string, string> = {};
    incoming.headers.forEach((value, name) => {
      if (!HOP_BY_HOP.has(name.toLowerCase())) headers[name] = value;
    });
    const hasBody = incoming.body !== null && incoming.method !== 'GET' && incoming.method !== 'HEAD';
    let answer: Dispatcher.ResponseData;
    try {
      answer = await request(this.clusterUrl + incoming.pathAndQuery, {
        method: incoming.method as Dispatcher.HttpMethod,
        headers,
        body: !hasBody ? null : typeof incoming.body === 'string' ? incoming.body : Readable.fromWeb(incoming.body as import('node:stream/web').ReadableStream),
        dispatcher: this.dispatcher,
      });
    } catch (error) {
      throw this.unavailable(error);
    }
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value === undefined || HOP_BY_HOP.has(name.toLowerCase())) continue;
      for (const item of Array.isArray(value) ? value : [value]) responseHeaders.append(name, item);
    }
    const bodyless = incoming.method === 'HEAD' || answer.statusCode === 204 || answer.statusCode === 304;
    if (bodyless) {
      answer.body.resume();
      return new Response(null, { status: answer.statusCode, headers: responseHeaders });
    }
    try {
      await firstBodyBytes(answer.body);
    } catch (error) {
      throw this.unavailable(error);
    }
    return new Response(Readable.toWeb(answer.body) as ReadableStream<Uint8Array>, { status: answer.statusCode, headers: responseHeaders });
  }

  close(): Promise<void> {
    return this.dispatcher.close();
  }

  private unavailable(error: unknown): OpenSearchError {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && TIMEOUT_CODES.has(code)) return clusterTimedOut(this.clusterUrl, this.timeoutMs, error);
    return clusterUnavailable(this.clusterUrl, (error as Error).message, error);
  }
}

/** Resolves once the body has bytes buffered or has ended; rejects with the error that ends it early. */
async function firstBodyBytes(body: Readable): Promise<void> {
  if (body.readableLength > 0 || body.readableEnded) return;
  await once(body, 'readable');
}
