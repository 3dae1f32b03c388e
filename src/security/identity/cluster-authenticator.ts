/**
 * Identity delegated to the cluster: the caller's `Authorization` header is sent to the security
 * plugin's authinfo endpoint, which answers with the user's name, backend roles and roles.
 * Successes are cached briefly; failures are not, but concurrent checks of one header share a
 * single lookup, so an unknown user costs at most one cluster call per attempt.
 */
import { isOpenSearchError } from '../../errors/opensearch-error.js';
import type { Clock } from '../../util/clock.js';
import { clusterProblem, unauthorized } from './auth-errors.js';
import { identityFromAuthInfo } from './auth-info.js';
import { readCredentials } from './authorization-header.js';
import { createIdentityCache } from './identity-cache.js';
import type { Authenticator, CallerIdentity } from './identity.js';

/**
 * Calls `GET /_plugins/_security/authinfo` with `authorization` as the `Authorization` header (none
 * when it is empty) and resolves with the cluster's status and parsed JSON body; rejects only when
 * the cluster could not be reached or did not answer.
 */
export type FetchAuthInfo = (authorization: string) => Promise<{ status: number; body: unknown }>;

/** Options of the cluster-delegated authenticator. */
export interface ClusterAuthenticatorOptions {
  readonly fetchAuthInfo: FetchAuthInfo;
  readonly clock: Clock;
  /** How long a successful check is reused (default 60 s). */
  readonly ttlMillis?: number;
  /** Most cached callers (default 10,000). */
  readonly maxEntries?: number;
}

/** Creates the authenticator that asks the cluster who is calling. */
export function createClusterAuthenticator(options: ClusterAuthenticatorOptions): Authenticator {
  const cache = createIdentityCache({
    clock: options.clock,
    ttlMillis: options.ttlMillis ?? 60_000,
    maxEntries: options.maxEntries ?? 10_000,
  });
  // Lookups in progress, under the cache's key: waiters share the answer, success or failure.
  const inFlight = new Map<string, Promise<CallerIdentity>>();

  const lookUp = async (header: string, key: string): Promise<CallerIdentity> => {
    const identity = identityFromAnswer(await ask(options.fetchAuthInfo, header));
    cache.set(key, identity);
    return identity;
  };

  return {
    kind: 'cluster',
    async authenticate(headers) {
      const { header } = readCredentials(headers);
      const key = cache.keyFor(header);
      const cached = cache.get(key);
      if (cached !== undefined) return cached;
      let pending = inFlight.get(key);
      if (pending === undefined) {
        pending = lookUp(header, key).finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
      }
      return pending;
    },
  };
}

async function ask(
  fetchAuthInfo: FetchAuthInfo,
  header: string,
): Promise<{ status: number; body: unknown }> {
  try {
    return await fetchAuthInfo(header);
  } catch (error) {
    if (isOpenSearchError(error) && error.status < 500) {
      throw clusterProblem(502, `the cluster call failed (${error.status})`, error);
    }
    throw clusterProblem(503, `the cluster is unreachable (${describeFailure(error)})`, error);
  }
}

function identityFromAnswer(answer: { status: number; body: unknown }): CallerIdentity {
  const { status } = answer;
  if (status === 200) return identityFromAuthInfo(answer.body);
  if (status === 401 || status === 403) throw unauthorized();
  if (status === 400 || status === 404) {
    throw clusterProblem(
      502,
      `it answered [${status}] to authinfo: is the security plugin installed?`,
    );
  }
  if (status === 429 || status === 503) {
    throw clusterProblem(503, `it answered [${status}] (overloaded or unavailable)`);
  }
  throw clusterProblem(502, `it answered [${status}] to authinfo`);
}

/**
 * Names a transport failure by its code (`ECONNREFUSED`, `UND_ERR_CONNECT_TIMEOUT`, ...) or error
 * name; the message is left out, as a client's message could quote request details.
 */
function describeFailure(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z0-9_]{2,64}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  const name = error instanceof Error ? error.name : typeof error;
  return /^[A-Za-z]{1,64}$/.test(name) ? name : 'unknown error';
}
