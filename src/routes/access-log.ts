import type { MiddlewareHandler } from 'hono';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../util/logger.js';
import { requestHeader } from './request-helpers.js';

/**
 * One log line per request: id, method, matched route, status and duration. Bodies, query strings
 * and headers are never logged, so neither credentials nor Authorization values can leak here.
 */
export function accessLog(logger: Logger): MiddlewareHandler {
  return async (c, next) => {
    // Below `info` nothing is logged: skip the id and the clock.
    if (!logger.isLevelEnabled('info')) return next();
    const started = performance.now();
    const requestId = requestHeader(c, 'x-opaque-id') ?? randomUUID();
    await next();
    logger.info({
      request_id: requestId,
      method: c.req.method,
      route: c.req.routePath,
      status: c.res.status,
      duration_ms: Math.round((performance.now() - started) * 1000) / 1000,
    });
  };
}
