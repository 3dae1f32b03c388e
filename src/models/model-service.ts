import { illegalArgument, notFound, statusException } from '../errors/opensearch-error.js';
import { ML_MODEL_MAPPING, search, type SearchResponse } from '../query/index.js';
import { DerivedCache } from '../store/cached-reads.js';
import { unchanged, type StoredRecord, type WriteOperation } from '../store/store.js';
import { toUpdateResponse, type UpdateResponse } from '../store/write-response.js';
import { denials } from '../security/access/index.js';
import type { CallerIdentity } from '../security/identity/index.js';
import { MODEL_GROUP_INDEX, type ModelGroupRecord } from './model-group-record.js';
import { loadModel, withRetryOnConflict, type ModelContext } from './model-context.js';
import { ModelDeployment } from './model-deployment.js';
import { parseModelInput, type ModelInput } from './model-input.js';
import { SECRET_CONNECTOR_FIELDS } from '../connectors/connector-record.js';
import { ACTIVE_STATES, MODEL_INDEX, publicModel, type ModelRecord } from './model-record.js';
import { registerModel, type RegisterResult } from './model-registration.js';

/** Remote models: register, read, update, delete, search, and (through `deployment`) deploy. */
export class ModelService {
  readonly deployment: ModelDeployment;
  /** Pipelines resolve `name:` references per document batch: from memory, not a search each time. */
  private readonly newestByName: DerivedCache<Map<string, string>>;

  constructor(private readonly context: ModelContext) {
    this.deployment = new ModelDeployment(context);
    this.newestByName = new DerivedCache(context.store, [MODEL_INDEX], async () => newestModelByName(await context.store.list<ModelRecord>(MODEL_INDEX)));
  }

  /** Registers (and with `deploy`, deploys as ML Commons does after registering: no second check). */
  async register(body: unknown, options: { deploy: boolean; caller: CallerIdentity | undefined }): Promise<RegisterResult> {
    const result = await registerModel(this.context, body, options.caller);
    if (options.deploy) await this.deployment.deploy(result.model_id, { caller: undefined });
    return result;
  }

  /** The model as GET answers it; 403 for a caller who may not use its group. */
  async get(id: string, caller: CallerIdentity | undefined): Promise<Record<string, unknown>> {
    const record = await loadModel(this.context, id);
    await this.context.access.assertGroupUsable(record.source.model_group_id, caller, denials.modelDenied);
    return publicModel(record.source);
  }

  /** Partial update; the caller must be able to use the model's group, a new connector and a new group. */
  async update(id: string, body: unknown, caller: CallerIdentity | undefined): Promise<UpdateResponse> {
    if (body === undefined) throw illegalArgument('Update model request has empty body');
    const input = parseModelInput(body, 'update');
    return withRetryOnConflict(async () => {
      const record = await loadModel(this.context, id, `Failed to find model to update with the provided model id: ${id}`);
      const current = record.source;
      if (current.model_state === 'DEPLOYING') {
        throw statusException(409, `Model is deploying. Please wait for the model to complete deployment. model ID ${id}`);
      }
      await this.context.access.assertGroupUsable(current.model_group_id, caller, () => denials.modelUpdateDenied(id));
      const writes: WriteOperation[] = [];
      const updated: ModelRecord = { ...current, ...pick(input), last_updated_time: this.context.clock.now() };
      if (input.rate_limiter !== undefined) updated.rate_limiter = { ...current.rate_limiter, ...input.rate_limiter };
      await this.applyConnectorChange(id, current, input, updated, caller);
      if (input.model_group_id !== undefined && input.model_group_id !== '' && input.model_group_id !== current.model_group_id) {
        const group = await this.context.store.get<ModelGroupRecord>(MODEL_GROUP_INDEX, input.model_group_id);
        if (!group) {
          throw notFound(
            `Failed to find the model group with the provided model group id in the update model input, MODEL_GROUP_ID: ${input.model_group_id}`,
          );
        }
        if (!this.context.access.mayUseGroup(group.source, caller)) throw denials.modelRelinkDenied(group.id);
        const version = group.source.latest_version + 1;
        updated.model_group_id = group.id;
        updated.model_version = String(version);
        writes.push({
          op: 'put',
          collection: MODEL_GROUP_INDEX,
          id: group.id,
          source: { ...group.source, latest_version: version, last_updated_time: this.context.clock.now() },
          ifMatch: unchanged(group),
        });
      }
      writes.push({ op: 'put', collection: MODEL_INDEX, id, source: updated, ifMatch: unchanged(record) });
      const results = await this.context.store.write(writes);
      // A deployed model picks the change up on its next call.
      this.deployment.cache.delete(id);
      return toUpdateResponse(results.at(-1)!);
    });
  }

  /** Deletes an undeployed model; 403 for a caller who may not use its group. */
  async delete(id: string, caller: CallerIdentity | undefined): Promise<UpdateResponse> {
    const record = await loadModel(this.context, id, 'Failed to find model');
    await this.context.access.assertGroupUsable(record.source.model_group_id, caller, denials.modelDenied);
    if (ACTIVE_STATES.has(record.source.model_state)) {
      throw illegalArgument('Model cannot be deleted in deploying or deployed state. Try undeploy model first then delete');
    }
    const [result] = await this.context.store.write([{ op: 'delete', collection: MODEL_INDEX, id, mustExist: true }]);
    this.deployment.cache.delete(id);
    return toUpdateResponse(result!);
  }

  /** `_search` over the models in groups the caller may use; hit counts count only those. */
  async search(body: unknown, caller: CallerIdentity | undefined): Promise<SearchResponse> {
    const filter = await this.context.access.modelSearchFilter(caller);
    return search({
      records: await this.context.store.list(MODEL_INDEX),
      body,
      mapping: ML_MODEL_MAPPING,
      index: MODEL_INDEX,
      excludeSourceFields: SECRET_CONNECTOR_FIELDS.map((field) => `connector.${field}`),
      now: this.context.clock.now(),
      ...(filter === undefined ? {} : { filter }),
    });
  }

  /**
   * A model reference as pipelines may write it: a model id, or `name:<model name>` for the newest
   * version of the model with that name (so a pipeline file can name a model registered later).
   */
  async resolveReference(reference: string): Promise<string> {
    if (!reference.startsWith(MODEL_NAME_PREFIX)) return reference;
    const name = reference.slice(MODEL_NAME_PREFIX.length);
    const id = (await this.newestByName.get()).get(name);
    if (id === undefined) throw notFound(`Failed to find a model named [${name}]`);
    return id;
  }

  private async applyConnectorChange(
    id: string,
    current: ModelRecord,
    input: ModelInput,
    updated: ModelRecord,
    caller: CallerIdentity | undefined,
  ): Promise<void> {
    if (input.connector_id !== undefined) {
      if (current.connector) {
        throw illegalArgument('This remote does not have a connector_id field, maybe it uses an internal connector.');
      }
      await this.context.connectors.usableRecord(input.connector_id, caller, denials.modelConnectorUpdateDenied);
      updated.connector_id = input.connector_id;
    }
    if (input.connector !== undefined) {
      if (!current.connector) {
        throw illegalArgument(
          'Cannot update connector settings for this model. The model was created with a connector_id and does not have an inline connector.',
        );
      }
      updated.connector = this.context.connectors.mergeInlineDefinition(current.connector, input.connector, id);
    }
  }
}

const MODEL_NAME_PREFIX = 'name:';

/** For each model name, the model a `name:` reference means: deployed first, then newest version, then newest. */
function newestModelByName(models: ReadonlyArray<StoredRecord<ModelRecord>>): Map<string, string> {
  const rank = (model: ModelRecord) => [model.model_state === 'DEPLOYED' ? 1 : 0, Number(model.model_version), model.created_time];
  const best = new Map<string, StoredRecord<ModelRecord>>();
  for (const model of models) {
    const current = best.get(model.source.name);
    if (current === undefined || compareTuples(rank(model.source), rank(current.source)) > 0) best.set(model.source.name, model);
  }
  return new Map([...best].map(([name, model]) => [name, model.id]));
}

function compareTuples(left: number[], right: number[]): number {
  for (let index = 0; index < left.length; index++) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** The plain fields an update replaces. */
function pick(input: ModelInput): Partial<ModelRecord> {
  const fields: Partial<ModelRecord> = {};
  if (input.name !== undefined && input.name.trim() !== '') fields.name = input.name;
  if (input.description !== undefined) fields.description = input.description;
  if (input.is_enabled !== undefined) fields.is_enabled = input.is_enabled;
  if (input.interface !== undefined) fields.interface = input.interface;
  if (input.model_config !== undefined) fields.model_config = input.model_config;
  if (input.deploy_setting !== undefined) fields.deploy_setting = input.deploy_setting;
  if (input.batch_inference_config !== undefined) fields.batch_inference_config = input.batch_inference_config;
  if (input.price_per_1k_tokens !== undefined) fields.price_per_1k_tokens = input.price_per_1k_tokens;
  if (input.guardrails !== undefined) fields.guardrails = input.guardrails;
  return fields;
}

