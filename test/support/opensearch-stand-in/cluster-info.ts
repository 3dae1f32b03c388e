/**
 * Read-only cluster views: the root endpoint (`GET|HEAD /`, OpenSearch 3.3.0), `_cluster/health`
 * and `_cat/indices` (text columns, or JSON with `?format=json`).
 */
import type { ClusterState } from './cluster-state.js';
import { booleanParam, indicesOptions, type Handler } from './handler.js';
import type { IndexState } from './indices.js';
import { settingText } from './index-settings.js';
import { jsonReply } from './responses.js';

/** The OpenSearch version the stand-in plays unless told otherwise. */
export const STAND_IN_VERSION = '3.3.0';

/** The build hash the root endpoint and deprecation warnings name. */
export const BUILD_HASH = '0000000000000000000000000000000000000000';

/** A deprecation `Warning` header as OpenSearch sends it (code 299, agent, quoted text). */
export const deprecationWarning = (cluster: ClusterState, message: string): string =>
  `299 OpenSearch-${cluster.version}-${BUILD_HASH} "${message.replace(/["\\]/g, '\\$&')}"`;

/** `GET /`. */
export const rootInfo: Handler = ({ cluster }) =>
  jsonReply(200, {
    name: cluster.identity.nodeName,
    cluster_name: cluster.identity.clusterName,
    cluster_uuid: cluster.identity.clusterUuid,
    version: {
      distribution: 'opensearch',
      number: cluster.version,
      build_type: 'tar',
      build_hash: BUILD_HASH,
      build_date: '2025-10-01T00:00:00.000000Z',
      build_snapshot: false,
      lucene_version: '10.3.1',
      minimum_wire_compatibility_version: '2.19.0',
      minimum_index_compatibility_version: '2.0.0',
    },
    tagline: 'The OpenSearch Project: https://opensearch.org/',
  });

const replicasOf = (index: IndexState): number =>
  Number(settingText(index.settings, 'index.number_of_replicas') ?? '1');

function clusterStatus(cluster: ClusterState): 'green' | 'yellow' {
  return cluster.indices.all().some((index) => replicasOf(index) > 0) ? 'yellow' : 'green';
}

/** `GET /_cluster/health`: one node; replicas never assign, so any index with replicas is yellow. */
export const clusterHealth: Handler = ({ cluster }) => {
  const indices = cluster.indices.all();
  const unassigned = indices.reduce((sum, index) => sum + replicasOf(index), 0);
  return jsonReply(200, {
    cluster_name: cluster.identity.clusterName,
    status: clusterStatus(cluster),
    timed_out: false,
    number_of_nodes: 1,
    number_of_data_nodes: 1,
    discovered_master: true,
    discovered_cluster_manager: true,
    active_primary_shards: indices.length,
    active_shards: indices.length,
    relocating_shards: 0,
    initializing_shards: 0,
    unassigned_shards: unassigned,
    delayed_unassigned_shards: 0,
    number_of_pending_tasks: 0,
    number_of_in_flight_fetch: 0,
    task_max_waiting_in_queue_millis: 0,
    active_shards_percent_as_number:
      indices.length === 0 ? 100 : (100 * indices.length) / (indices.length + unassigned),
  });
};

function indexRow(index: IndexState): Record<string, string> {
  const bytes = `${Buffer.byteLength(JSON.stringify([...index.live.values()].map((d) => d.source)))}b`;
  return {
    health: replicasOf(index) > 0 ? 'yellow' : 'green',
    status: 'open',
    index: index.name,
    uuid: index.uuid,
    pri: settingText(index.settings, 'index.number_of_shards') ?? '1',
    rep: String(replicasOf(index)),
    'docs.count': String(index.searchable.size),
    'docs.deleted': '0',
    'store.size': bytes,
    'pri.store.size': bytes,
  };
}

/** `GET /_cat/indices[/{index}]`: `?format=json` for JSON, `?v` for a header row. */
export const catIndices: Handler = ({ request, params, cluster }) => {
  const indices = cluster.indices.resolve(params['index'], indicesOptions(request.query));
  const rows = indices.map(indexRow);
  if (request.query.get('format') === 'json') return jsonReply(200, rows);
  const columns = [
    'health',
    'status',
    'index',
    'uuid',
    'pri',
    'rep',
    'docs.count',
    'docs.deleted',
    'store.size',
    'pri.store.size',
  ];
  const table = booleanParam(request.query, 'v')
    ? [columns, ...rows.map((row) => columns.map((c) => row[c] ?? ''))]
    : rows.map((row) => columns.map((c) => row[c] ?? ''));
  const widths = columns.map((_, i) => Math.max(0, ...table.map((line) => (line[i] ?? '').length)));
  const text = table
    .map((line) =>
      line
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join(' ')
        .trimEnd(),
    )
    .join('\n');
  return { status: 200, text: table.length === 0 ? '' : `${text}\n` };
};
