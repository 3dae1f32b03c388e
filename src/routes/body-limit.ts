import type { MiddlewareHandler } from 'hono';
import { OpenSearchError } from '../errors/opensearch-error.js';
import { requestHeader } from './request-helpers.js';

declare module 'hono' {
  interface ContextVariableMap {
    /** The largest request body this service reads (`MAX_BODY_BYTES`). */
    maxBodyBytes: number;
  }
}

/** The 413 for a body over the limit. */
export const bodyTooLarge = (maxBodyBytes: number): OpenSearchError =>
  new OpenSearchError({
    status: 413,
    type: 'content_too_long_exception',
    reason: `Request body is larger than the limit of ${maxBodyBytes} bytes (MAX_BODY_BYTES)`,
  });

/**
 * Refuses a declared `Content-Length` over the limit before anything is read; bodies without one
 * are counted while they are read (`readBodyText`). Unlike hono's body-limit middleware this never
 * touches the request's body stream, which would cost a web-stream conversion on every request.
 */
export function limitBodySize(maxBodyBytes: number): MiddlewareHandler {
  return async (c, next) => {
    const declared = requestHeader(c, 'content-length');
    if (declared !== undefined && Number(declared) > maxBodyBytes) throw bodyTooLarge(maxBodyBytes);
    c.set('maxBodyBytes', maxBodyBytes);
    await next();
  };
}
