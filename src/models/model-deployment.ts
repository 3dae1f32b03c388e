import { illegalArgument, notFound } from '../errors/opensearch-error.js';
import { compileSchema, validateOrThrow } from '../schemas/ajv.js';
import { deployModelSchema, undeployModelsSchema } from '../schemas/model-schemas.js';
import { denials } from '../security/access/index.js';
import type { CallerIdentity } from '../security/identity/index.js';
import { DeployedModelCache, type DeployedModel } from './deployed-models.js';
import { loadModel, withRetryOnConflict, type ModelContext } from './model-context.js';
import { MODEL_INDEX, type ModelRecord } from './model-record.js';
import { unchanged, type StoredRecord } from '../store/store.js';
import type { ConnectorDefinition } from '../connectors/connector-record.js';

/** How long a deployed model checked against the store keeps serving while the store is unreachable. */
const SERVE_STALE_WHILE_UNREACHABLE_MS = 5 * 60_000;

const validateDeploy = compileSchema<{ node_ids?: string[] }>(deployModelSchema);
const validateUndeploy = compileSchema<{ model_ids?: string[]; node_ids?: string[] }>(undeployModelsSchema);

export type UndeployResponse = Record<string, { stats: Record<string, 'undeployed' | 'not_found'> }>;

/**
 * Deploy and undeploy. Deploying a remote model means decrypting its connector's credential and
 * keeping the result in memory; both complete synchronously, as in ML Commons 3.x.
 */
export class ModelDeployment {
  readonly cache: DeployedModelCache;
  /** When each entry last matched the store (for serving it while the store is unreachable). */
  private readonly lastChecked = new Map<string, number>();

  constructor(private readonly context: ModelContext) {
    this.cache = new DeployedModelCache(context.store);
  }

  /**
   * Deploys a model. A user's deploy (`caller` from the request) needs access to the model's group;
   * internal deploys (after register, predict's auto-deploy) pass no caller and are not checked.
   */
  async deploy(
    modelId: string,
    options: { body?: unknown; caller: CallerIdentity | undefined },
  ): Promise<{ task_id: string; task_type: 'DEPLOY_MODEL'; status: 'COMPLETED' }> {
    this.context.connectors.assertRemoteInferenceEnabled();
    const input = options.body === undefined ? {} : validateOrThrow(validateDeploy, options.body, { what: 'deploy', toError: illegalArgument });
    if (this.context.access.enforcedFor(options.caller) !== undefined) {
      const model = await loadModel(this.context, modelId, 'Failed to find model');
      await this.context.access.assertGroupUsable(model.source.model_group_id, options.caller, denials.modelDenied);
    }
    if (input.node_ids !== undefined && !this.context.settings.get('plugins.ml_commons.allow_custom_deployment_plan')) {
      throw illegalArgument("Don't allow custom deployment plan");
    }
    return withRetryOnConflict(async () => {
      const record = await loadModel(this.context, modelId, 'Failed to find model');
      let deployed: DeployedModel;
      try {
        const connector = record.source.connector_id === undefined ? undefined : await this.connectorOf(record.source);
        deployed = this.build(modelId, record, connector);
      } catch (error) {
        const failed = this.context.tasks.recordFinished({
          modelId, type: 'DEPLOY_MODEL', state: 'FAILED', isAsync: true, error: (error as Error).message,
        });
        const source: ModelRecord = { ...record.source, model_state: 'DEPLOY_FAILED', last_updated_time: this.context.clock.now() };
        await this.context.store.write([
          { op: 'put', collection: MODEL_INDEX, id: modelId, source, ifMatch: unchanged(record) },
          failed.write,
        ]);
        throw error;
      }
      const now = this.context.clock.now();
      const source: ModelRecord = {
        ...record.source,
        model_state: 'DEPLOYED',
        last_deployed_time: now,
        last_updated_time: now,
        auto_redeploy_retry_times: 0,
        planning_worker_node_count: 1,
        current_worker_node_count: 1,
        planning_worker_nodes: [this.context.nodeId],
        deploy_to_all_nodes: true,
      };
      const task = this.context.tasks.recordFinished({ modelId, type: 'DEPLOY_MODEL', state: 'COMPLETED', isAsync: true });
      const [written] = await this.context.store.write([
        { op: 'put', collection: MODEL_INDEX, id: modelId, source, ifMatch: unchanged(record) },
        task.write,
      ]);
      this.cache.set({ ...deployed, model: source, builtFrom: { ...deployed.builtFrom, model: written!.seqNo } }, this.cache.mark());
      this.lastChecked.set(modelId, this.context.clock.now());
      return { task_id: task.taskId, task_type: 'DEPLOY_MODEL' as const, status: 'COMPLETED' as const };
    });
  }

  /** `POST /models/{id}/_undeploy`: an unknown id is a 404 (body `model_ids` replace the path id). */
  async undeployOne(modelId: string, body: unknown, caller: CallerIdentity | undefined): Promise<UndeployResponse> {
    const ids = body === undefined ? [] : this.parseUndeploy(body).model_ids ?? [];
    if (ids.length === 0) await loadModel(this.context, modelId, 'Failed to find model');
    const targets = ids.length > 0 ? ids : [modelId];
    await this.assertMayUndeploy(targets, caller);
    return this.undeploy(targets);
  }

  /** `POST /models/_undeploy`: unknown ids are reported `not_found`. */
  async undeployMany(body: unknown, caller: CallerIdentity | undefined): Promise<UndeployResponse> {
    const ids = body === undefined ? [] : this.parseUndeploy(body).model_ids ?? [];
    if (ids.length === 0) throw illegalArgument('Must set specific model ids to undeploy');
    await this.assertMayUndeploy(ids, caller);
    return this.undeploy(ids);
  }

  /**
   * With model access control on (the setting alone, as in ML Commons), one model per request, and
   * the caller must be able to use its group.
   */
  private async assertMayUndeploy(modelIds: readonly string[], caller: CallerIdentity | undefined): Promise<void> {
    if (!this.context.access.enabled) return;
    if (modelIds.length !== 1) throw denials.undeployOneModelOnly();
    const modelId = modelIds[0]!;
    const model = await loadModel(this.context, modelId, 'Failed to find model');
    await this.context.access.assertGroupUsable(model.source.model_group_id, caller, () => denials.undeployDenied(modelId));
  }

  /**
   * The deployed model to call: from memory while nothing changed, otherwise re-read (model and
   * connector) and rebuilt only if they moved. Undefined when the model is not deployed. While the
   * store cannot be reached, an entry checked in the last few minutes keeps serving: nothing can
   * change a model while its state is unreachable for everyone.
   */
  async current(modelId: string): Promise<DeployedModel | undefined> {
    const cached = this.cache.get(modelId);
    if (cached !== undefined && this.cache.isCurrent(modelId)) return cached;
    const mark = this.cache.mark();
    try {
      const record = await this.context.store.get<ModelRecord>(MODEL_INDEX, modelId);
      if (record?.source.model_state !== 'DEPLOYED') {
        this.cache.delete(modelId);
        return undefined;
      }
      const connector = record.source.connector_id === undefined ? undefined : await this.connectorOf(record.source);
      if (cached !== undefined && cached.builtFrom.model === record.seqNo && cached.builtFrom.connector === connector?.seqNo) {
        this.cache.set(cached, mark);
        this.lastChecked.set(modelId, this.context.clock.now());
        return cached;
      }
      const deployed = this.build(modelId, record, connector);
      this.cache.set(deployed, mark);
      this.lastChecked.set(modelId, this.context.clock.now());
      return deployed;
    } catch (error) {
      const checked = this.lastChecked.get(modelId);
      const unreachable = (error as { status?: number }).status === 503;
      if (cached !== undefined && unreachable && checked !== undefined && this.context.clock.now() - checked < SERVE_STALE_WHILE_UNREACHABLE_MS) {
        return cached;
      }
      throw error;
    }
  }

  private parseUndeploy(body: unknown): { model_ids?: string[] } {
    const input = validateOrThrow(validateUndeploy, body, { what: 'undeploy', toError: illegalArgument });
    if (input.node_ids !== undefined && !this.context.settings.get('plugins.ml_commons.allow_custom_deployment_plan')) {
      throw illegalArgument("Don't allow custom deployment plan");
    }
    return input;
  }

  private async undeploy(modelIds: readonly string[]): Promise<UndeployResponse> {
    const stats: Record<string, 'undeployed' | 'not_found'> = {};
    for (const modelId of new Set(modelIds)) {
      const record = await this.context.store.get<ModelRecord>(MODEL_INDEX, modelId);
      const wasDeployed = record?.source.model_state === 'DEPLOYED' || this.cache.get(modelId) !== undefined;
      this.cache.delete(modelId);
      stats[modelId] = wasDeployed ? 'undeployed' : 'not_found';
      if (!record) continue;
      const source: ModelRecord = {
        ...record.source,
        model_state: 'UNDEPLOYED',
        planning_worker_node_count: 0,
        current_worker_node_count: 0,
        planning_worker_nodes: [],
      };
      await this.context.store.write([{ op: 'put', collection: MODEL_INDEX, id: modelId, source }]);
    }
    return { [this.context.nodeId]: { stats } };
  }

  private async connectorOf(model: ModelRecord): Promise<StoredRecord<ConnectorDefinition>> {
    return this.context.connectors.getRecord(model.connector_id!).catch((error: unknown) => {
      if ((error as { status?: number }).status === 404) throw notFound(`Failed to find connector:${model.connector_id}`);
      throw error;
    });
  }

  private build(modelId: string, record: StoredRecord<ModelRecord>, connector: StoredRecord<ConnectorDefinition> | undefined): DeployedModel {
    const model = record.source;
    if (model.connector) {
      return {
        modelId,
        model,
        poolKey: `model:${modelId}`,
        connector: model.connector,
        ...this.credentialsOf(model.connector, modelId),
        builtFrom: { model: record.seqNo },
      };
    }
    if (connector === undefined) throw illegalArgument(`Model ${modelId} has neither a connector nor a connector_id`);
    return {
      modelId,
      model,
      poolKey: `connector:${connector.id}`,
      connector: connector.source,
      ...this.credentialsOf(connector.source, connector.id),
      builtFrom: { model: record.seqNo, connector: connector.seqNo },
    };
  }

  private credentialsOf(connector: ConnectorDefinition, recordId: string): Pick<DeployedModel, 'credential' | 'previousCredential'> {
    const previousCredential = this.context.connectors.decryptPreviousCredential(connector, recordId);
    return {
      credential: this.context.connectors.decryptCredential(connector, recordId),
      ...(previousCredential === undefined ? {} : { previousCredential }),
    };
  }
}
