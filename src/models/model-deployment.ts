import { illegalArgument, notFound } from '../errors/opensearch-error.js';
import { compileSchema, validateOrThrow } from '../schemas/ajv.js';
import { deployModelSchema, undeployModelsSchema } from '../schemas/model-schemas.js';
import { denials } from '../security/access/index.js';
import type { CallerIdentity } from '../security/identity/index.js';
import { DeployedModelCache, type DeployedModel } from './deployed-models.js';
import { loadModel, withRetryOnConflict, type ModelContext } from './model-context.js';
import { MODEL_INDEX, type ModelRecord } from './model-record.js';

const validateDeploy = compileSchema<{ node_ids?: string[] }>(deployModelSchema);
const validateUndeploy = compileSchema<{ model_ids?: string[]; node_ids?: string[] }>(undeployModelsSchema);

export type UndeployResponse = Record<string, { stats: Record<string, 'undeployed' | 'not_found'> }>;

/**
 * Deploy and undeploy. Deploying a remote model means decrypting its connector's credential and
 * keeping the result in memory; both complete synchronously, as in ML Commons 3.x.
 */
export class ModelDeployment {
  readonly cache = new DeployedModelCache();

  constructor(private readonly context: ModelContext) {}

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
        deployed = await this.build(modelId, record.source);
      } catch (error) {
        const failed = this.context.tasks.recordFinished({
          modelId, type: 'DEPLOY_MODEL', state: 'FAILED', isAsync: true, error: (error as Error).message,
        });
        const source: ModelRecord = { ...record.source, model_state: 'DEPLOY_FAILED', last_updated_time: this.context.clock.now() };
        await this.context.store.write([
          { op: 'put', collection: MODEL_INDEX, id: modelId, source, ifVersion: record.version },
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
      await this.context.store.write([
        { op: 'put', collection: MODEL_INDEX, id: modelId, source, ifVersion: record.version },
        task.write,
      ]);
      this.cache.set({ ...deployed, model: source });
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

  /** The deployed model to call, rebuilding the in-memory side after a restart. */
  async resolve(modelId: string, record: ModelRecord): Promise<DeployedModel> {
    const cached = this.cache.get(modelId);
    if (cached) return cached;
    const deployed = await this.build(modelId, record);
    this.cache.set(deployed);
    return deployed;
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

  private async build(modelId: string, model: ModelRecord): Promise<DeployedModel> {
    if (model.connector) {
      return {
        modelId,
        model,
        poolKey: `model:${modelId}`,
        connector: model.connector,
        credential: this.context.connectors.decryptCredential(model.connector, modelId),
      };
    }
    if (model.connector_id === undefined) throw illegalArgument(`Model ${modelId} has neither a connector nor a connector_id`);
    const connector = await this.context.connectors.getRecord(model.connector_id).catch(() => {
      throw notFound(`Failed to find connector:${model.connector_id}`);
    });
    return {
      modelId,
      model,
      poolKey: `connector:${connector.id}`,
      connector: connector.source,
      credential: this.context.connectors.decryptCredential(connector.source, connector.id),
    };
  }
}
