import { illegalArgument, notFound } from '../errors/opensearch-error.js';
import { assertNoModelAccessFields, denials } from '../security/access/index.js';
import type { CallerIdentity } from '../security/identity/index.js';
import { unchanged, type StoredRecord, type WriteOperation } from '../store/store.js';
import type { ModelGroupRecord } from './model-group-record.js';
import { MODEL_GROUP_INDEX } from './model-group-record.js';
import { parseModelInput, type ModelInput } from './model-input.js';
import { withRetryOnConflict, type ModelContext } from './model-context.js';
import { MODEL_INDEX, type ModelRecord } from './model-record.js';

export interface RegisterResult {
  task_id: string;
  status: 'CREATED';
  model_id: string;
}

/**
 * Registers a remote model. The model, its group's new `latest_version` (or a new group) and the
 * COMPLETED register task are written in one batch; a concurrent registration into the same group
 * loses the version race with a 409 and is retried. With model access control in force the caller
 * must be able to use the group (ML Commons checks it before the connector), and a group created
 * here gets the body's access fields; with connector access control, the caller must be able to
 * use the `connector_id`.
 */
export async function registerModel(context: ModelContext, body: unknown, caller: CallerIdentity | undefined): Promise<RegisterResult> {
  context.connectors.assertRemoteInferenceEnabled();
  if (body === undefined) throw illegalArgument('request body is required');
  const input = parseModelInput(body, 'register');
  if (context.access.enforcedFor(caller) === undefined) assertNoModelAccessFields(input);
  const modelId = context.newId();
  await existingGroup(context, input, caller);
  const connectorFields = await resolveConnector(context, input, modelId, caller);
  return withRetryOnConflict(async () => {
    const { groupId, version, groupWrites } = await reserveVersion(context, input, caller);
    const now = context.clock.now();
    const model: ModelRecord = {
      name: input.name!,
      model_group_id: groupId,
      algorithm: 'REMOTE',
      model_version: String(version),
      ...(input.description === undefined ? {} : { description: input.description }),
      model_state: 'REGISTERED',
      ...optional(input, ['model_config', 'deploy_setting', 'is_enabled', 'rate_limiter', 'batch_inference_config', 'price_per_1k_tokens']),
      created_time: now,
      last_updated_time: now,
      is_hidden: false,
      ...connectorFields,
      ...optional(input, ['guardrails', 'interface', 'tenant_id']),
    };
    const task = context.tasks.recordFinished({ modelId, type: 'REGISTER_MODEL', state: 'COMPLETED', isAsync: false });
    await context.store.write([...groupWrites, { op: 'create', collection: MODEL_INDEX, id: modelId, source: model }, task.write]);
    return { task_id: task.taskId, status: 'CREATED' as const, model_id: modelId };
  });
}

async function resolveConnector(
  context: ModelContext,
  input: ModelInput,
  modelId: string,
  caller: CallerIdentity | undefined,
): Promise<Partial<ModelRecord>> {
  if (input.connector_id !== undefined) {
    await context.connectors.usableRecord(input.connector_id, caller, denials.connectorUseDenied);
    return { connector_id: input.connector_id };
  }
  if (input.connector === undefined) {
    throw illegalArgument('You must provide connector content when creating a remote model without connector id!');
  }
  const actions = input.connector['actions'];
  const hasPredictUrl =
    Array.isArray(actions) &&
    actions.some(
      (action: unknown) =>
        typeof action === 'object' && action !== null &&
        String((action as Record<string, unknown>)['action_type']).toLowerCase() === 'predict' &&
        typeof (action as Record<string, unknown>)['url'] === 'string',
    );
  if (!hasPredictUrl) throw illegalArgument('Connector endpoint is required when creating a remote model without connector id!');
  return { connector: context.connectors.buildInlineDefinition(input.connector, modelId) };
}

/**
 * The existing group a register goes into: the given `model_group_id` (404 when unknown), or the
 * group named like the model. Refused when the caller may not use it, in ML Commons' words.
 */
async function existingGroup(
  context: ModelContext,
  input: ModelInput,
  caller: CallerIdentity | undefined,
): Promise<StoredRecord<ModelGroupRecord> | undefined> {
  if (input.model_group_id !== undefined) {
    const group = await context.store.get<ModelGroupRecord>(MODEL_GROUP_INDEX, input.model_group_id);
    if (!group) throw notFound(`Failed to find model group with the provided model group id: ${input.model_group_id}`);
    if (!context.access.mayUseGroup(group.source, caller)) throw denials.registerIntoGroupDenied();
    return group;
  }
  const group = await context.groups.findByName(input.name!);
  if (group && !context.access.mayUseGroup(group.source, caller)) throw denials.groupNameUnavailable(input.name!, group.id);
  return group;
}

/** The group the model goes in and its next version, with the writes that record them. */
async function reserveVersion(
  context: ModelContext,
  input: ModelInput,
  caller: CallerIdentity | undefined,
): Promise<{ groupId: string; version: number; groupWrites: WriteOperation[] }> {
  const group = await existingGroup(context, input, caller);
  if (!group) {
    await context.groups.releaseStaleReservation(input.name!);
    // Access fields only shape a group created here; with an existing group ML Commons ignores them.
    const access = context.groups.accessOfNewGroup(input, caller);
    const created = context.groups.creation(input.name!, input.description, input.tenant_id, access);
    const source = { ...created.group, latest_version: 1 };
    const writes = created.writes.map((write) => (write.collection === MODEL_GROUP_INDEX && write.op === 'create' ? { ...write, source } : write));
    return { groupId: created.id, version: 1, groupWrites: writes };
  }
  const version = group.source.latest_version + 1;
  const source = { ...group.source, latest_version: version, last_updated_time: context.clock.now() };
  return {
    groupId: group.id,
    version,
    groupWrites: [{ op: 'put', collection: MODEL_GROUP_INDEX, id: group.id, source, ifMatch: unchanged(group) }],
  };
}

function optional<K extends keyof ModelInput>(input: ModelInput, keys: readonly K[]): Partial<Pick<ModelInput, K>> {
  const picked: Partial<Pick<ModelInput, K>> = {};
  for (const key of keys) if (input[key] !== undefined) picked[key] = input[key];
  return picked;
}
