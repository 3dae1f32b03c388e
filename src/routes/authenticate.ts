/**
 * The Hono middleware that authenticates every request but the health checks (`GET /`, the
 * `/_sidecar/` probes) and makes the caller available to routes as `c.get('identity')`.
 */
import type { MiddlewareHandler } from 'hono';
import { runAsCaller, type Authenticator, type CallerIdentity, type HeaderReader } from '../security/identity/index.js';
import { PROBE_PATHS } from './probes.js';
import { requestHeader } from './request-helpers.js';

declare module 'hono' {
  interface ContextVariableMap {
    /** The authenticated caller; `undefined` when security is off (or on the open health check). */
    identity: CallerIdentity | undefined;
  }
}

/** Whether a request may skip authentication: the root and the probes, for load balancers and orchestrators. */
export const isOpenRequest = (method: string, path: string): boolean =>
  (method === 'GET' || method === 'HEAD') && (path === '/' || PROBE_PATHS.includes(path));

/**
 * Authenticates each request; failures propagate to the app's error handler (401 with the Basic
 * challenge). The rest of the request runs as the caller, so work without a caller parameter (the
 * pipelines' predictor) is checked against the same caller.
 */
export function authenticateRequests(authenticator: Authenticator): MiddlewareHandler {
  // Read from node's parsed headers: `c.req.raw.headers` would build a web Request per request.
  return async (c, next) => {
    if (authenticator.kind === 'none') {
      // Everyone is anonymous: no caller to carry, so no async context (it taxes every promise).
      c.set('identity', undefined);
      return next();
    }
    const headers: HeaderReader = { get: (name) => requestHeader(c, name.toLowerCase()) };
    const identity = isOpenRequest(c.req.method, c.req.path) ? undefined : await authenticator.authenticate(headers);
    c.set('identity', identity);
    await runAsCaller(identity, next);
  };
}
