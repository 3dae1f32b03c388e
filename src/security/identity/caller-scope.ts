/**
 * The caller of the request being served, for work that runs deep inside it without a caller
 * parameter: the model predictor that ingest and search pipelines call (pipelines are compiled once
 * and shared, so they cannot hold a caller). Set by the authentication middleware for every
 * request, the proxy's included; outside any request there is none, and such work acts as a trusted
 * internal caller (as ML Commons does for a request without a user).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { CallerIdentity } from './identity.js';

const scope = new AsyncLocalStorage<CallerIdentity | undefined>();

/** Runs `work` (and everything it awaits or schedules) as `caller`. */
export function runAsCaller<T>(caller: CallerIdentity | undefined, work: () => T): T {
  return scope.run(caller, work);
}

/** The caller of the request being served, or `undefined` (security off, or no request). */
export function currentCaller(): CallerIdentity | undefined {
  return scope.getStore();
}
