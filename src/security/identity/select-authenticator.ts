/**
 * Picks the identity source at start, the first that is configured: the cluster (when
 * `OPENSEARCH_URL` is set and the cluster runs the security plugin), then `USERS_FILE`, then none.
 */
import { systemClock, type Clock } from '../../util/clock.js';
import { createAuthInfoFetcher } from './auth-info-fetcher.js';
import { createClusterAuthenticator, type FetchAuthInfo } from './cluster-authenticator.js';
import { detectClusterSecurity } from './cluster-security-probe.js';
import type { Authenticator } from './identity.js';
import { createNoAuthenticator } from './no-authenticator.js';
import { createUsersFileAuthenticator, type ReloadLogger } from './users-file-authenticator.js';

/** What the choice depends on (from the config) and what the chosen source needs. */
export interface SelectAuthenticatorOptions {
  readonly opensearchUrl?: string | undefined;
  readonly usersFile?: string | undefined;
  /** How the cluster is asked (default: `createAuthInfoFetcher` over the global `fetch`). */
  readonly fetchAuthInfo?: FetchAuthInfo;
  readonly clock?: Clock;
  readonly logger?: ReloadLogger;
}

/** The authenticator to use; a cluster that cannot be probed stops the start (502/503 error). */
export async function selectAuthenticator(
  options: SelectAuthenticatorOptions,
): Promise<Authenticator> {
  const clock = options.clock ?? systemClock;
  if (options.opensearchUrl !== undefined) {
    const fetchAuthInfo =
      options.fetchAuthInfo ?? createAuthInfoFetcher({ opensearchUrl: options.opensearchUrl });
    if ((await detectClusterSecurity(fetchAuthInfo)) === 'enabled')
      return createClusterAuthenticator({ fetchAuthInfo, clock });
  }
  if (options.usersFile !== undefined) {
    return createUsersFileAuthenticator({
      file: options.usersFile,
      clock,
      ...(options.logger ? { logger: options.logger } : {}),
    });
  }
  return createNoAuthenticator();
}
