/**
 * What readiness checks: the store answers (`ping`: the embedded database is open; the cluster
 * store reads its generation documents with the sidecar's account), and, in front of a cluster,
 * the cluster's root endpoint answers. Any answer below 500 counts for the cluster: a secured
 * cluster's 401 to a call without credentials proves it is up, which is all the proxy needs.
 */
import type { ClusterClient } from '../cluster/cluster-client.js';
import type { Store } from '../store/store.js';
import { redactUrl } from '../util/redact-url.js';
import type { ReadinessCheck } from './readiness-check.js';

/** How long the readiness client waits for the cluster (beyond the probe's own wait). */
export const CLUSTER_CHECK_TIMEOUT_MS = 5_000;

/**
 * The checks of a service on `store`, in front of the cluster `cluster` answers for (a client of
 * its own, so probes never queue behind the proxy's traffic).
 */
export function dependencyChecks(store: Store, cluster: ClusterClient | undefined): ReadinessCheck[] {
  return [storeCheck(store), ...(cluster === undefined ? [] : [clusterCheck(cluster)])];
}

const storeCheck = (store: Store): ReadinessCheck => ({
  name: 'store',
  run: () => store.ping(),
});

const clusterCheck = (client: ClusterClient): ReadinessCheck => ({
  name: 'cluster',
  run: async () => {
    const answer = await client.call({ method: 'GET', path: '/' });
    if (answer.status >= 500) throw new Error(`OpenSearch cluster [${redactUrl(client.url)}] answered HTTP ${answer.status}`);
  },
});
