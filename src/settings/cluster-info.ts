import { randomBytes } from 'node:crypto';
import { unchanged, type Store } from '../store/store.js';

/** The version this service reports: the ML Commons / OpenSearch line whose API it follows. */
export const OPENSEARCH_COMPAT_VERSION = '3.3.0';
const LUCENE_VERSION = '10.3.1';

/** What `GET /` answers, shaped like OpenSearch's root endpoint so clients accept the service. */
export interface ClusterInfo {
  name: string;
  cluster_name: string;
  cluster_uuid: string;
  version: Record<string, string | boolean>;
  tagline: string;
}

/**
 * Builds the root answer and this node's id (the `worker_node` of tasks). The cluster uuid is
 * created once and kept in the store (the first replica to start wins the race); the node id too
 * with the embedded store, while replicas sharing a cluster store each pass their own.
 */
export async function loadClusterInfo(
  store: Store,
  names: { clusterName: string; nodeName: string; nodeId?: string | undefined },
): Promise<{ info: ClusterInfo; nodeId: string }> {
  let existing = await store.get('settings', 'cluster');
  if (typeof existing?.source['cluster_uuid'] !== 'string' || typeof existing.source['node_id'] !== 'string') {
    const source = { cluster_uuid: newBase64Id(), node_id: newBase64Id() };
    const write = existing === undefined
      ? store.write([{ op: 'create', collection: 'settings', id: 'cluster', source }])
      : store.write([{ op: 'put', collection: 'settings', id: 'cluster', source, ifMatch: unchanged(existing) }]);
    // Another replica starting at the same moment may win: its ids are as good as ours.
    await write.catch((error: unknown) => {
      if ((error as { status?: number }).status !== 409) throw error;
    });
    existing = await store.get('settings', 'cluster');
  }
  const uuid = existing!.source['cluster_uuid'] as string;
  const nodeId = names.nodeId ?? (existing!.source['node_id'] as string);
  return { nodeId, info: {
    name: names.nodeName,
    cluster_name: names.clusterName,
    cluster_uuid: uuid,
    version: {
      distribution: 'opensearch',
      number: OPENSEARCH_COMPAT_VERSION,
      build_type: 'tar',
      build_hash: 'opensearch-ml-sidecar',
      build_date: '2026-01-01T00:00:00.000Z',
      build_snapshot: false,
      lucene_version: LUCENE_VERSION,
      minimum_wire_compatibility_version: '2.19.0',
      minimum_index_compatibility_version: '2.0.0',
    },
    tagline: 'The OpenSearch Project: https://opensearch.org/',
  } };
}

/** 22 url-safe characters, the shape of OpenSearch's cluster and node ids. */
const newBase64Id = () => randomBytes(16).toString('base64url').slice(0, 22);
