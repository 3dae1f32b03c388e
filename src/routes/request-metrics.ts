import type { MiddlewareHandler } from 'hono';

/** Receives each request served: the matched route pattern, never the raw path (ids would make it unbounded). */
export interface RequestEvents {
  served(method: string, route: string, status: number, seconds: number): void;
}

/** Hears nothing. */
export const NO_REQUEST_EVENTS: RequestEvents = { served: () => {} };

/** Reports every request once it is answered (errors included: the app's error handler has set the status by then). */
export function countRequests(events: RequestEvents): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    events.served(c.req.method, c.req.routePath, c.res.status, (performance.now() - started) / 1000);
  };
}
