import type { PassThrough, PassThroughRequest } from '../http/pass-through.js';
import { handleBulk } from './bulk-handler.js';
import { getClusterSettings, putClusterSettings } from './cluster-settings-handler.js';
import { handleDocumentWrite, type DocumentWrite } from './document-handler.js';
import { handleMultiSearch } from './msearch-handler.js';
import type { ProxiedRequest, ProxyAnswer, ProxyContext, StreamedProxyAnswer } from './proxy-context.js';
import { handleStreamableSearch, parseSearchBody } from './search-handler.js';

/** `PUT /{index}`, `DELETE /{index}`, `PUT /{index}/_settings`: requests that may change an index's pipelines. */
const SETTINGS_CHANGE = /^\/([^/_?][^/?]*)(?:\/_settings)?\/?(?:\?.*)?$/;

/** The request as the route module hands it over. */
export interface IncomingProxyRequest extends ProxiedRequest {
  readonly pathAndQuery: string;
  readonly headers: Headers;
  /** The body text (read once; also what is streamed when the cluster handles the request unchanged). */
  readonly text: string;
}

/**
 * The proxy in front of a cluster: ingest on writes, search pipelines and the neural rewrite on
 * searches, the settings split; anything it does not change goes through unchanged.
 */
export class ProxyService {
  constructor(
    private readonly context: ProxyContext,
    private readonly passThrough: PassThrough,
  ) {}

  /** Streams a request the sidecar does not change; index settings changes clear the cached settings. */
  async forward(request: PassThroughRequest): Promise<Response> {
    const response = await this.passThrough.forward(request);
    const changedIndex = SETTINGS_CHANGE.exec(request.pathAndQuery);
    if (changedIndex && request.method !== 'GET' && request.method !== 'HEAD') {
      this.context.indexSettings.invalidate(decodeURIComponent(changedIndex[1]!));
    }
    return response;
  }

  async bulk(request: IncomingProxyRequest, pathIndex: string | undefined): Promise<ProxyAnswer> {
    return handleBulk(this.context, { ...request, pathIndex });
  }

  async documentWrite(request: IncomingProxyRequest, target: Pick<DocumentWrite, 'index' | 'id' | 'endpoint'>): Promise<ProxyAnswer | Response> {
    return (await handleDocumentWrite(this.context, { ...request, ...target })) ?? this.forwardRead(request);
  }

  async search(request: IncomingProxyRequest, index: string | undefined): Promise<ProxyAnswer | StreamedProxyAnswer | Response> {
    const answer = await handleStreamableSearch(this.context, { ...request, index, body: parseSearchBody(request.text) });
    return answer ?? this.forwardRead(request);
  }

  async multiSearch(request: IncomingProxyRequest, pathIndex: string | undefined): Promise<ProxyAnswer | Response> {
    return (await handleMultiSearch(this.context, { ...request, pathIndex })) ?? this.forwardRead(request);
  }

  getSettings(request: ProxiedRequest): Promise<ProxyAnswer> {
    return getClusterSettings(this.context, request);
  }

  putSettings(request: ProxiedRequest & { body: unknown }): Promise<ProxyAnswer> {
    return putClusterSettings(this.context, request);
  }

  /** Forwards a request whose body was already read. */
  private forwardRead(request: IncomingProxyRequest): Promise<Response> {
    return this.passThrough.forward({ method: request.method, pathAndQuery: request.pathAndQuery, headers: request.headers, body: request.text });
  }
}
