import { illegalArgument } from '../../errors/opensearch-error.js';
import { isJsonObject } from '../../util/json.js';
import type { TokenUsage } from '../usage/token-usage.js';

/** What a provider stream carries, decoded: answer text as it comes, the end, or a failure in the middle. */
export type StreamDelta = { readonly text: string } | { readonly done: true } | { readonly error: string };

/**
 * A provider stream's events: the answer's deltas and, before the end when the provider reports
 * it, the tokens the answer consumed (the predict path records them; callers never see them).
 */
export type ProviderStreamEvent = StreamDelta | { readonly usage: TokenUsage };

/** A rendered predict request, before signing. */
export interface StreamableRequest {
  readonly url: string;
  readonly body: string | undefined;
}

/** One provider's streaming API: how the connector's predict request asks for a stream, and how the answer reads. */
export interface StreamFormat {
  /** The streaming variant of the connector's rendered predict request. */
  streamingRequest(request: StreamableRequest): StreamableRequest;
  /** The provider's bytes, decoded incrementally into deltas (and the usage it reports). */
  deltas(body: AsyncIterable<Uint8Array>): AsyncIterable<ProviderStreamEvent>;
}

/** The JSON body with `stream: true` added (OpenAI and Cohere stream when asked in the body). */
export function withStreamFlag(request: StreamableRequest, what: string): StreamableRequest {
  const body = parseObject(request.body, what);
  return { url: request.url, body: JSON.stringify({ ...body, stream: true }) };
}

/** A URL whose last path segment is replaced (Bedrock's streaming operations live next to the plain ones). */
export function withOperation(request: StreamableRequest, from: RegExp, to: string, what: string): StreamableRequest {
  const url = new URL(request.url);
  if (!from.test(url.pathname)) throw illegalArgument(`${what} streams need a connector whose predict URL path ends in ${from.source.replace(/[\\$()?]/g, '')}`);
  url.pathname = url.pathname.replace(from, to);
  return { url: url.toString(), body: request.body };
}

/** A JSON object, or undefined when the text is not one (providers' malformed events are skipped, as ML Commons skips them). */
export function jsonObjectOrUndefined(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function parseObject(body: string | undefined, what: string): Record<string, unknown> {
  const parsed = body === undefined ? undefined : jsonObjectOrUndefined(body);
  if (parsed === undefined) throw illegalArgument(`${what} streams need a connector whose predict request body is a JSON object`);
  return parsed;
}
