import { conflict, illegalArgument, notFound } from '../errors/opensearch-error.js';
import { ML_MODEL_GROUP_MAPPING, search, type SearchResponse } from '../query/index.js';
import { compileSchema, validateOrThrow } from '../schemas/ajv.js';
import {
  modelGroupValidationMessages,
  registerModelGroupSchema,
  updateModelGroupSchema,
} from '../schemas/model-schemas.js';
import type { SettingsService } from '../settings/settings-service.js';
import type { Store, StoredRecord, WriteOperation } from '../store/store.js';
import { toUpdateResponse, type UpdateResponse } from '../store/write-response.js';
import type { Clock } from '../util/clock.js';
import type { IdGenerator } from '../util/ids.js';
import { MODEL_GROUP_INDEX, MODEL_GROUP_NAME_INDEX, type ModelGroupRecord } from './model-group-record.js';
import { MODEL_INDEX } from './model-record.js';

interface GroupInput {
  name?: string;
  description?: string;
  tenant_id?: string;
  backend_roles?: string[];
  add_all_backend_roles?: boolean;
  access_mode?: string;
}

const validateRegister = compileSchema<GroupInput>(registerModelGroupSchema);
const validateUpdate = compileSchema<GroupInput>(updateModelGroupSchema);

export interface ModelGroupServiceDeps {
  store: Store;
  settings: SettingsService;
  clock: Clock;
  newId: IdGenerator;
}

/** Model groups: named, versioned containers of models. */
export class ModelGroupService {
  constructor(private readonly deps: ModelGroupServiceDeps) {}

  async register(body: unknown): Promise<{ model_group_id: string; status: 'CREATED' }> {
    const input = validateOrThrow(validateRegister, body, {
      what: 'model_group',
      messages: modelGroupValidationMessages,
      toError: illegalArgument,
    });
    assertNoAccessFields(input);
    const existing = await this.findByName(input.name!);
    if (existing) {
      throw illegalArgument(`The name you provided is already being used by a model group with ID: ${existing.id}.`);
    }
    const { id, writes } = this.creation(input.name!, input.description, input.tenant_id);
    await this.writeUniquely(writes, input.name!);
    return { model_group_id: id, status: 'CREATED' };
  }

  /** The writes that create a group (and reserve its name), for a caller's batch. */
  creation(name: string, description?: string, tenantId?: string): { id: string; group: ModelGroupRecord; writes: WriteOperation[] } {
    const id = this.deps.newId();
    const now = this.deps.clock.now();
    const group: ModelGroupRecord = {
      name,
      latest_version: 0,
      ...(description === undefined ? {} : { description }),
      // With model access control off, ML Commons creates every group public and ownerless.
      access: 'public',
      created_time: now,
      last_updated_time: now,
      ...(tenantId === undefined ? {} : { tenant_id: tenantId }),
    };
    return {
      id,
      group,
      writes: [
        { op: 'create', collection: MODEL_GROUP_NAME_INDEX, id: name, source: { model_group_id: id } },
        { op: 'create', collection: MODEL_GROUP_INDEX, id, source: group },
      ],
    };
  }

  async get(id: string): Promise<ModelGroupRecord> {
    return (await this.getRecord(id)).source;
  }

  async getRecord(id: string): Promise<StoredRecord<ModelGroupRecord>> {
    const record = await this.deps.store.get<ModelGroupRecord>(MODEL_GROUP_INDEX, id);
    if (!record) throw notFound(`Failed to find model group with the provided model group id: ${id}`);
    return record;
  }

  async findByName(name: string): Promise<StoredRecord<ModelGroupRecord> | undefined> {
    const reservation = await this.deps.store.get(MODEL_GROUP_NAME_INDEX, name);
    const groupId = reservation?.source['model_group_id'];
    return typeof groupId === 'string' ? this.deps.store.get<ModelGroupRecord>(MODEL_GROUP_INDEX, groupId) : undefined;
  }

  async update(id: string, body: unknown): Promise<{ status: 'Updated' }> {
    if (body === undefined) throw illegalArgument('Model group request has empty body');
    const input = validateOrThrow(validateUpdate, body, { what: 'model_group', toError: illegalArgument });
    assertNoAccessFields(input);
    const record = await this.getRecord(id);
    const renamed = input.name !== undefined && input.name.trim() !== '' && input.name !== record.source.name;
    if (renamed) {
      const holder = await this.findByName(input.name!);
      if (holder) {
        throw illegalArgument(
          `The name you provided is already being used by another model with ID: ${holder.id}. Please provide a different name`,
        );
      }
    }
    const updated: ModelGroupRecord = {
      ...record.source,
      ...(renamed ? { name: input.name! } : {}),
      ...(input.description !== undefined && input.description.trim() !== '' ? { description: input.description } : {}),
      last_updated_time: this.deps.clock.now(),
    };
    const writes: WriteOperation[] = [{ op: 'put', collection: MODEL_GROUP_INDEX, id, source: updated, ifVersion: record.version }];
    if (renamed) {
      writes.push(
        { op: 'delete', collection: MODEL_GROUP_NAME_INDEX, id: record.source.name },
        { op: 'create', collection: MODEL_GROUP_NAME_INDEX, id: input.name!, source: { model_group_id: id } },
      );
    }
    await this.writeUniquely(writes, input.name ?? record.source.name);
    return { status: 'Updated' };
  }

  /** An unknown id answers 200 with `result: not_found`, as ML Commons does without access control. */
  async delete(id: string): Promise<UpdateResponse> {
    const record = await this.deps.store.get<ModelGroupRecord>(MODEL_GROUP_INDEX, id);
    if (record) {
      const models = await this.deps.store.list(MODEL_INDEX);
      if (models.some((model) => model.source['model_group_id'] === id)) {
        throw conflict('Cannot delete the model group when it has associated model versions');
      }
    }
    const writes: WriteOperation[] = [{ op: 'delete', collection: MODEL_GROUP_INDEX, id }];
    if (record) writes.push({ op: 'delete', collection: MODEL_GROUP_NAME_INDEX, id: record.source.name });
    const [result] = await this.deps.store.write(writes);
    return toUpdateResponse(result!);
  }

  async search(body: unknown): Promise<SearchResponse> {
    return search({
      records: await this.deps.store.list(MODEL_GROUP_INDEX),
      body,
      mapping: ML_MODEL_GROUP_MAPPING,
      index: MODEL_GROUP_INDEX,
    });
  }

  /** A name reservation conflict means another request took the name between our check and write. */
  private async writeUniquely(writes: WriteOperation[], name: string): Promise<void> {
    try {
      await this.deps.store.write(writes);
    } catch (error) {
      const holder = await this.findByName(name);
      if (holder) throw illegalArgument(`The name you provided is already being used by a model group with ID: ${holder.id}.`);
      throw error;
    }
  }
}

/** Access control needs an authenticated caller; until identity is configured it is off. */
export function assertNoAccessFields(input: { backend_roles?: string[]; add_all_backend_roles?: boolean; access_mode?: string }): void {
  if ((input.backend_roles?.length ?? 0) > 0 || input.add_all_backend_roles !== undefined || input.access_mode !== undefined) {
    throw illegalArgument(
      'You cannot specify model access control parameters because the Security plugin or model access control is disabled on your cluster.',
    );
  }
}
