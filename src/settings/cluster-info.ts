import { randomBytes } from 'node:crypto';
import type { Store } from '../store/store.js';

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
 * Builds the root answer and this node's id (the `worker_node` of tasks). Both ids are created
 * once and kept in the store, so they survive restarts like a cluster's.
 */
export async function loadClusterInfo(
  store: Store,
  names: { clusterName: string; nodeName: string },
): Promise<{ info: ClusterInfo; nodeId: string }> {
  const existing = await store.get('settings', 'cluster');
  let uuid = existing?.source['cluster_uuid'];
  let nodeId = existing?.source['node_id'];
  if (typeof uuid !== 'string' || typeof nodeId !== 'string') {
    uuid = typeof uuid === 'string' ? uuid : newBase64Id();
    nodeId = newBase64Id();
    await store.write([{ op: 'put', collection: 'settings', id: 'cluster', source: { cluster_uuid: uuid, node_id: nodeId } }]);
  }
  return { nodeId: nodeId as string, info: {
    name: names.nodeName,
    cluster_name: names.clusterName,
    cluster_uuid: uuid as string,
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
