import type { MiddlewareHandler } from 'hono';
import { OpenSearchError } from '../errors/opensearch-error.js';
import { requestHeader } from './request-helpers.js';
import type { BodyBudget, BodyReservation } from './body-budget.js';

/** How much of its body a request may hold: its own limit, and its share of the budget of all requests. */
export interface BodyLimits {
  /** The largest request body this service reads (`MAX_BODY_BYTES`). */
  readonly maxBodyBytes: number;
  readonly reservation: BodyReservation;
}

declare module 'hono' {
  interface ContextVariableMap {
    bodyLimits: BodyLimits;
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
 * are counted while they are read (`readBody`). Whatever the request came to hold of the budget is
 * released once it is answered. Unlike hono's body-limit middleware this never touches the
 * request's body stream, which would cost a web-stream conversion on every request.
 */
export function limitBodySize(options: { maxBodyBytes: number; budget: BodyBudget }): MiddlewareHandler {
  const { maxBodyBytes, budget } = options;
  return async (c, next) => {
    const declared = requestHeader(c, 'content-length');
    if (declared !== undefined && Number(declared) > maxBodyBytes) throw bodyTooLarge(maxBodyBytes);
    const reservation = budget.open();
    c.set('bodyLimits', { maxBodyBytes, reservation });
    try {
      await next();
    } finally {
      reservation.release();
    }
  };
}
