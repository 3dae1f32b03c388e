/**
 * The errors the transport throws. None of them quotes request headers or bodies (they may carry
 * credentials); redirect targets are shown without query string or user info for the same reason.
 */
import { illegalArgument, OpenSearchError, statusException } from '../errors/opensearch-error.js';
import type { TransportOptions } from './transport-options.js';

const PREFIX = 'Error communicating with remote model: ';

/** 500: a transport failure, no HTTP status came back (DNS, connect, reset, timeout). */
export const transportError = (cause: unknown, description: string = describeCause(cause)): OpenSearchError =>
  new OpenSearchError({ status: 500, type: 'status_exception', reason: `${PREFIX}${description}`, cause });

function describeCause(cause: unknown): string {
  const error = cause as { code?: string; message?: string } | undefined;
  return [error?.code, error?.message].filter(Boolean).join(' ') || 'unknown error';
}

/** 429 (ML Commons 3.8): no pooled connection became free within the acquire timeout. */
export const acquireTimeoutError = (timeoutMillis: number): OpenSearchError =>
  statusException(429, `${PREFIX}Acquire operation took longer than the configured maximum time (${timeoutMillis} ms)`);

/** 429: too many calls already wait for this connector's connections. */
export const queueFullError = (maxQueued: number): OpenSearchError =>
  statusException(429, `${PREFIX}Maximum pending connection acquisitions exceeded (${maxQueued} waiting)`);

/** 502: connectors never follow redirects (they could lead anywhere, past every address check). */
export function redirectError(status: number, location: string | undefined): OpenSearchError {
  const target = location === undefined ? 'no Location' : `Location: ${safeLocation(location)}`;
  return statusException(502, `Remote service answered a redirect (${status}, ${target}); connectors never follow redirects`);
}

/** Origin and path only: a signed or tokenised redirect URL must not end up in an error message. */
function safeLocation(location: string): string {
  try {
    const url = new URL(location, 'http://relative.invalid');
    return url.origin === 'http://relative.invalid' ? url.pathname : `${url.origin}${url.pathname}`;
  } catch {
    return '(unparseable)';
  }
}

/** Maps whatever an attempt threw to the `OpenSearchError` the caller sees. */
export function toOpenSearchError(error: unknown, config: TransportOptions, signal?: AbortSignal): OpenSearchError {
  if (error instanceof OpenSearchError) return error;
  // The signal's reason (any value, e.g. a TimeoutError) is what undici rejects with.
  if (signal?.aborted === true) return transportError(error, 'the call was cancelled');
  const { code, name } = error as { code?: unknown; name?: unknown };
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return transportError(error, `connect timed out after ${seconds(config.connectTimeoutMillis)} (client_config.connection_timeout)`);
    case 'UND_ERR_HEADERS_TIMEOUT':
      return transportError(error, `read timed out after ${seconds(config.readTimeoutMillis)} waiting for the response headers (client_config.read_timeout)`);
    case 'UND_ERR_BODY_TIMEOUT':
      return transportError(error, `read timed out after ${seconds(config.readTimeoutMillis)} waiting for the response body (client_config.read_timeout)`);
    case 'UND_ERR_INVALID_ARG':
    case 'UND_ERR_NOT_SUPPORTED':
      return illegalArgument(`Invalid outbound request: ${(error as Error).message}`, error);
  }
  if (name === 'AbortError' || code === 'UND_ERR_ABORTED' || code === 'ABORT_ERR') return transportError(error, 'the call was cancelled');
  return transportError(error);
}

const seconds = (milliseconds: number): string => `${milliseconds / 1000} s`;
