/**
 * The Hono middleware that authenticates every request but the health checks (`GET /`, the
 * `/_sidecar/` probes) and makes the caller available to routes as `c.get('identity')`.
 */
import type { MiddlewareHandler } from 'hono';
import { runAsCaller, type Authenticator, type CallerIdentity } from '../security/identity/index.js';
import { PROBE_PATHS } from './probes.js';

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
  return async (c, next) => {
    const identity = isOpenRequest(c.req.method, c.req.path) ? undefined : await authenticator.authenticate(c.req.raw.headers);
    c.set('identity', identity);
    await runAsCaller(identity, next);
  };
}
