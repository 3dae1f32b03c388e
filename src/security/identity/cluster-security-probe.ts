/**
 * Whether the cluster behind `OPENSEARCH_URL` runs the security plugin, asked once at start with
 * an authinfo call that carries no credentials (so a failed-login counter is never touched):
 * 401/403 (or 200 with anonymous access) means it does; OpenSearch's "no handler" 400 (or a 404)
 * means it does not.
 */
import { clusterProblem } from './auth-errors.js';
import type { FetchAuthInfo } from './cluster-authenticator.js';

/** What the probe found. */
export type ClusterSecurity = 'enabled' | 'disabled';

/** Asks the cluster; an unreachable or failing cluster is a 503/502 that says so. */
export async function detectClusterSecurity(
  fetchAuthInfo: FetchAuthInfo,
): Promise<ClusterSecurity> {
  let status: number;
  try {
    ({ status } = await fetchAuthInfo(''));
  } catch (error) {
    throw clusterProblem(503, 'the cluster did not answer the security probe at start', error);
  }
  if (status === 200 || status === 401 || status === 403) return 'enabled';
  if (status === 400 || status === 404) return 'disabled';
  throw clusterProblem(502, `it answered [${status}] to the security probe at start`);
}
