/**
 * ML Commons' stats API (`GET /_plugins/_ml/stats`, `/_plugins/_ml/{nodeId}/stats`,
 * `/stats/{stat}`, `/{nodeId}/stats/{stat}`), in `RestMLStatsAction`'s shape: cluster-level
 * figures at the top, this replica's figures under `nodes.<node id>` with the `algorithms` and
 * per-model breakdowns. Each replica answers for itself (its counters are its own), as one node
 * of a cluster would when asked for `_local`.
 */
import { getHeapStatistics } from 'node:v8';
import { CONNECTOR_INDEX } from '../../connectors/connector-record.js';
import { illegalArgument } from '../../errors/opensearch-error.js';
import type { Store } from '../../store/store.js';
import { TASK_INDEX } from '../../tasks/task-service.js';
import { MODEL_INDEX, type ModelRecord } from '../model-record.js';
import type { PredictStats } from './predict-stats.js';

/** ML Commons' `MLNodeLevelStat`, in its order. */
export const NODE_LEVEL_STATS = [
  'ml_jvm_heap_usage',
  'ml_executing_task_count',
  'ml_request_count',
  'ml_failure_count',
  'ml_deployed_model_count',
  'ml_circuit_breaker_trigger_count',
] as const;

/** ML Commons' `MLClusterLevelStat`, in its order. */
export const CLUSTER_LEVEL_STATS = [
  'ml_model_index_status',
  'ml_connector_index_status',
  'ml_config_index_status',
  'ml_task_index_status',
  'ml_controller_index_status',
  'ml_model_count',
  'ml_connector_count',
] as const;

type NodeStat = (typeof NODE_LEVEL_STATS)[number];
type ClusterStat = (typeof CLUSTER_LEVEL_STATS)[number];

/** What a stats request asks for: node ids and stat names from the path (comma lists). */
export interface StatsRequest {
  readonly nodeIds?: readonly string[];
  readonly stats?: readonly string[];
}

/** Every predict is a predict of a remote model here. */
const ALGORITHM = 'remote';

/** Builds the stats answer of this replica. */
export class MlStatsService {
  constructor(
    private readonly deps: {
      readonly store: Store;
      readonly counters: PredictStats;
      /** This replica's node id and name (`_local` and `_all` name it too). */
      readonly node: { readonly id: string; readonly name: string };
    },
  ) {}

  async stats(request: StatsRequest = {}): Promise<Record<string, unknown>> {
    const asked = parseStatNames(request.stats ?? []);
    const all = asked === undefined;
    const clusterStats = all ? CLUSTER_LEVEL_STATS : asked.cluster;
    const answer: Record<string, unknown> = clusterStats.length > 0 ? await this.clusterStats(clusterStats) : {};
    const onlyCluster = !all && asked.node.length === 0;
    if (onlyCluster || !this.isAsked(request.nodeIds)) return answer;
    answer['nodes'] = { [this.deps.node.id]: await this.nodeStats(all ? NODE_LEVEL_STATS : asked.node, all) };
    return answer;
  }

  private isAsked(nodeIds: readonly string[] | undefined): boolean {
    if (nodeIds === undefined || nodeIds.length === 0) return true;
    const { id, name } = this.deps.node;
    return nodeIds.some((nodeId) => nodeId === id || nodeId === name || nodeId === '_local' || nodeId === '_all' || nodeId === '*');
  }

  private async clusterStats(names: readonly ClusterStat[]): Promise<Record<string, unknown>> {
    const [models, connectors, tasks] = await Promise.all([
      this.deps.store.list(MODEL_INDEX),
      this.deps.store.list(CONNECTOR_INDEX),
      names.includes('ml_task_index_status') ? this.deps.store.list(TASK_INDEX) : Promise.resolve([]),
    ]);
    // ML Commons reports an index's health, or `non-existent` before its first document.
    const status = (count: number) => (count > 0 ? 'green' : 'non-existent');
    const values: Record<ClusterStat, unknown> = {
      ml_model_index_status: status(models.length),
      ml_connector_index_status: status(connectors.length),
      ml_config_index_status: 'green', // the service's own configuration always exists
      ml_task_index_status: status(tasks.length),
      ml_controller_index_status: 'non-existent', // model controllers are not implemented
      ml_model_count: models.length,
      ml_connector_count: connectors.length,
    };
    return Object.fromEntries(names.map((name) => [name, values[name]]));
  }

  private async nodeStats(names: readonly NodeStat[], withActionStats: boolean): Promise<Record<string, unknown>> {
    const { counters } = this.deps;
    const deployed = names.includes('ml_deployed_model_count')
      ? (await this.deps.store.list<ModelRecord>(MODEL_INDEX)).filter((model) => model.source.model_state === 'DEPLOYED').length
      : 0;
    const values: Record<NodeStat, number> = {
      ml_jvm_heap_usage: heapUsedPercent(),
      ml_executing_task_count: counters.node.executing,
      ml_request_count: counters.node.requests,
      ml_failure_count: counters.node.failures,
      ml_deployed_model_count: deployed,
      // ML Commons' breakers guard JVM and native memory; the sidecar has none (its queue limits answer 429 instead).
      ml_circuit_breaker_trigger_count: 0,
    };
    const node: Record<string, unknown> = Object.fromEntries(names.map((name) => [name, values[name]]));
    // ML Commons always writes both breakdowns; filled only when every level is asked for.
    const algorithms: Record<string, unknown> = {};
    const models: Record<string, unknown> = {};
    if (withActionStats) {
      if (counters.node.requests > 0) algorithms[ALGORITHM] = { predict: actionStats(counters.node.requests, counters.node.failures) };
      for (const [modelId, model] of counters.entries()) models[modelId] = { predict: actionStats(model.requests, model.failures) };
    }
    node['algorithms'] = algorithms;
    node['models'] = models;
    return node;
  }
}

/** ML Commons creates the failure counter at the first failure: before that the key is absent. */
function actionStats(requests: number, failures: number): Record<string, number> {
  return failures > 0 ? { ml_action_request_count: requests, ml_action_failure_count: failures } : { ml_action_request_count: requests };
}

/** Node and cluster stat names from the path, or undefined for all; ML Commons' message for an unknown one. */
function parseStatNames(names: readonly string[]): { node: NodeStat[]; cluster: ClusterStat[] } | undefined {
  if (names.length === 0) return undefined;
  const node: NodeStat[] = [];
  const cluster: ClusterStat[] = [];
  for (const raw of names) {
    const name = raw.toLowerCase();
    if ((NODE_LEVEL_STATS as readonly string[]).includes(name)) node.push(name as NodeStat);
    else if ((CLUSTER_LEVEL_STATS as readonly string[]).includes(name)) cluster.push(name as ClusterStat);
    else throw illegalArgument('Wrong ML cluster level stat');
  }
  return { node, cluster };
}

/** The V8 heap in use, as a percentage of its limit (ML Commons reports the JVM heap's). */
function heapUsedPercent(): number {
  const heap = getHeapStatistics();
  return Math.round((heap.used_heap_size / heap.heap_size_limit) * 100);
}
