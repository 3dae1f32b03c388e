import { ConnectorService } from './connectors/connector-service.js';
import type { Deps } from './deps.js';
import { storedConnectorReferences } from './models/connector-references.js';
import { ModelAccess } from './models/model-access.js';
import { ModelGroupService } from './models/model-group-service.js';
import { ModelService } from './models/model-service.js';
import { MasterKeyRotation } from './models/master-key-rotation.js';
import { PredictService } from './models/predict-service.js';
import { compilePainlessCached } from './painless/index.js';
import type { PipelineBuildDeps } from './pipeline/build-ingest-pipeline.js';
import { SearchPipelineService } from './pipeline/search/search-pipeline-service.js';
import { IndexSettingsCache } from './cluster/index-settings-cache.js';
import { MemoryService } from './memory/memory-service.js';
import { MessageService } from './memory/message-service.js';
import { ProxyService } from './proxy/proxy-service.js';
import { IngestPipelineService } from './pipeline/ingest-pipeline-service.js';
import { TaskService } from './tasks/task-service.js';
import { loadClusterInfo, type ClusterInfo } from './settings/cluster-info.js';
import { SettingsService } from './settings/settings-service.js';
import { currentCaller } from './security/identity/index.js';
import { singleReplica } from './replicas/replica-membership.js';
import { allOf } from './models/predict-events.js';
import { MlProfileService } from './models/stats/ml-profile.js';
import { MlStatsService } from './models/stats/ml-stats.js';
import { PredictStats } from './models/stats/predict-stats.js';
import { UsageMeter } from './usage/usage-meter.js';
import { UsageReport } from './usage/usage-report.js';

/** The service layer the routes call. */
export interface Services {
  readonly clusterInfo: ClusterInfo;
  readonly settings: SettingsService;
  readonly connectors: ConnectorService;
  readonly modelGroups: ModelGroupService;
  readonly models: ModelService;
  readonly tasks: TaskService;
  readonly predict: PredictService;
  readonly ingestPipelines: IngestPipelineService;
  readonly searchPipelines: SearchPipelineService;
  readonly memories: MemoryService;
  readonly messages: MessageService;
  /** Present when a cluster is configured. */
  readonly proxy: ProxyService | undefined;
  /** Re-encrypts stored credentials under the current master key (a background duty). */
  readonly keyRotation: MasterKeyRotation;
  /** ML Commons' stats and profile APIs. */
  readonly stats: MlStatsService;
  readonly profile: MlProfileService;
  /** Billable usage: the meter (start it, close it at shutdown) and the report. */
  readonly usage: { readonly meter: UsageMeter; readonly report: UsageReport };
}

/** Builds every service over the injected I/O. */
export async function createServices(deps: Deps): Promise<Services> {
  // Replicas sharing the cluster store share transient settings too, as a cluster's nodes do.
  const settings = await SettingsService.load(deps.store, { storeTransient: deps.store.kind === 'cluster' });
  const { info: clusterInfo, nodeId } = await loadClusterInfo(deps.store, deps);
  const connectors = new ConnectorService({
    store: deps.store,
    settings,
    cipher: deps.cipher,
    clock: deps.clock,
    newId: deps.newId,
    scripts: deps.scripts,
    references: storedConnectorReferences(deps.store),
  });
  const tasks = new TaskService({ store: deps.store, clock: deps.clock, newId: deps.newId, nodeId });
  const modelAccess = new ModelAccess({ store: deps.store, settings });
  const modelGroups = new ModelGroupService({ store: deps.store, settings, clock: deps.clock, newId: deps.newId, access: modelAccess });
  const modelContext = {
    store: deps.store,
    settings,
    clock: deps.clock,
    newId: deps.newId,
    nodeId,
    connectors,
    groups: modelGroups,
    tasks,
    access: modelAccess,
    replicas: deps.replicas ?? singleReplica,
  };
  const models = new ModelService(modelContext);
  const counters = new PredictStats(() => settings.get('plugins.ml_commons.monitoring_request_count'));
  const meter = new UsageMeter({ store: deps.store, clock: deps.clock, writer: nodeId, logger: deps.logger });
  const memoryDeps = { store: deps.store, settings, clock: deps.clock, newId: deps.newId };
  const memories = new MemoryService(memoryDeps);
  const messages = new MessageService(memoryDeps, memories);
  const predict = new PredictService(modelContext, models.deployment, {
    http: deps.http,
    scripts: deps.scripts,
    events: allOf(counters, meter, deps.telemetry?.predict ?? {}),
  });
  const processorDeps: PipelineBuildDeps = {
    // Pipelines may name a model (`name:<model name>`) instead of giving its id. Pipelines are
    // compiled once and shared, so the caller is the one of the request running them (the proxy's
    // too); outside a request there is none and the call is a trusted internal one.
    predictor: {
      predict: async (reference, input, options) => predict.predict(await models.resolveReference(reference), input, currentCaller(), options),
      predictStream: async (reference, input, options) => predict.predictStream(await models.resolveReference(reference), input, currentCaller(), options),
      isCircuitOpen: async (reference) => predict.isCircuitOpen(await models.resolveReference(reference)),
    },
    compileScript: (source) => compilePainlessCached(source),
    clock: deps.clock,
    // RAG reads and writes memories as the caller of the search, like the predictor above.
    conversations: {
      recentTurns: async (memoryId, count) =>
        (await messages.recent(memoryId, count, currentCaller())).map(({ input, response }) => ({ input, response })),
      saveTurn: (memoryId, turn) =>
        messages.add(
          memoryId,
          { input: turn.input, prompt_template: turn.promptTemplate, response: turn.response, origin: turn.origin, additional_info: { ...turn.additionalInfo } },
          currentCaller(),
        ),
    },
  };
  const ingestPipelines = new IngestPipelineService({
    store: deps.store,
    clock: deps.clock,
    build: processorDeps,
    files: deps.pipelineFiles.ingest,
    ...(deps.telemetry === undefined ? {} : { events: deps.telemetry.pipelines }),
  });
  await ingestPipelines.load();
  const searchPipelines = new SearchPipelineService({
    store: deps.store,
    build: processorDeps,
    files: deps.pipelineFiles.search,
    ...(deps.telemetry === undefined ? {} : { events: deps.telemetry.pipelines }),
  });
  await searchPipelines.load();
  const proxy = deps.cluster
    ? new ProxyService(
        {
          cluster: deps.cluster.client,
          indexSettings: new IndexSettingsCache(deps.cluster.client, deps.clock),
          ingestPipelines,
          searchPipelines,
          settings,
          clock: deps.clock,
          newId: deps.newId,
        },
        deps.cluster.passThrough,
      )
    : undefined;
  const keyRotation = new MasterKeyRotation({
    store: deps.store,
    cipher: deps.cipher,
    clock: deps.clock,
    logger: deps.logger,
    ...(deps.liveReplicaKeyIds === undefined ? {} : { liveReplicaKeyIds: deps.liveReplicaKeyIds }),
  });
  const node = { id: nodeId, name: deps.nodeName };
  return {
    clusterInfo,
    settings,
    connectors,
    modelGroups,
    models,
    tasks,
    predict,
    ingestPipelines,
    searchPipelines,
    memories,
    messages,
    proxy,
    keyRotation,
    stats: new MlStatsService({ store: deps.store, counters, node }),
    profile: new MlProfileService({ store: deps.store, counters, node }),
    usage: { meter, report: new UsageReport({ store: deps.store, meter, access: modelAccess, clock: deps.clock }) },
  };
}
