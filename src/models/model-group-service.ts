import { conflict, illegalArgument, notFound } from '../errors/opensearch-error.js';
import { ML_MODEL_GROUP_MAPPING, search, type SearchResponse } from '../query/index.js';
import { compileSchema, validateOrThrow } from '../schemas/ajv.js';
import {
  modelGroupValidationMessages,
  registerModelGroupSchema,
  updateModelGroupSchema,
} from '../schemas/model-schemas.js';
import {
  assertGroupUpdateAllowed,
  assertNoModelAccessFields,
  changesAccess,
  denials,
  resolveGroupRegisterAccess,
  storedAccessFields,
  updatedGroupAccess,
  type AccessFieldsInput,
} from '../security/access/index.js';
import { ownerFromIdentity, type CallerIdentity } from '../security/identity/index.js';
import type { SettingsService } from '../settings/settings-service.js';
import { unchanged, type Store, type StoredRecord, type WriteOperation } from '../store/store.js';
import { toUpdateResponse, type UpdateResponse } from '../store/write-response.js';
import type { Clock } from '../util/clock.js';
import type { IdGenerator } from '../util/ids.js';
import type { ModelAccess } from './model-access.js';
import { MODEL_GROUP_INDEX, MODEL_GROUP_NAME_INDEX, withGroupAccess, type GroupAccessFields, type ModelGroupRecord } from './model-group-record.js';
import { MODEL_INDEX } from './model-record.js';

interface GroupInput extends AccessFieldsInput {
  name?: string;
  description?: string;
  tenant_id?: string;
}

/** How old a reservation that holds nothing must be before a new group may take its name. */
const STALE_RESERVATION_MS = 60_000;

const validateRegister = compileSchema<GroupInput>(registerModelGroupSchema);
const validateUpdate = compileSchema<GroupInput>(updateModelGroupSchema);

export interface ModelGroupServiceDeps {
  store: Store;
  settings: SettingsService;
  clock: Clock;
  newId: IdGenerator;
  access: ModelAccess;
}

/** Model groups: named, versioned containers of models, and the unit of model access control. */
export class ModelGroupService {
  constructor(private readonly deps: ModelGroupServiceDeps) {}

  /** Registers a group; with access control in force the caller owns it and its access is validated. */
  async register(body: unknown, caller: CallerIdentity | undefined): Promise<{ model_group_id: string; status: 'CREATED' }> {
    const input = validateOrThrow(validateRegister, body, {
      what: 'model_group',
      messages: modelGroupValidationMessages,
      toError: illegalArgument,
    });
    const enforced = this.deps.access.enforcedFor(caller);
    if (enforced === undefined) assertNoModelAccessFields(input);
    const existing = await this.findByName(input.name!);
    if (existing) {
      throw illegalArgument(`The name you provided is already being used by a model group with ID: ${existing.id}.`);
    }
    const access = this.accessOfNewGroup(input, caller);
    const { id, writes } = this.creation(input.name!, input.description, input.tenant_id, access);
    await this.writeUniquely(writes, input.name!);
    return { model_group_id: id, status: 'CREATED' };
  }

  /**
   * The access fields of a group created by `caller` from these input fields: validated, owned by
   * the caller, with access control in force; public and ownerless otherwise (as ML Commons).
   */
  accessOfNewGroup(input: AccessFieldsInput, caller: CallerIdentity | undefined): GroupAccessFields {
    const enforced = this.deps.access.enforcedFor(caller);
    if (enforced === undefined) return { access: 'public' };
    return storedAccessFields(resolveGroupRegisterAccess(input, enforced), enforced);
  }

  /** The writes that create a group (and reserve its name), for a caller's batch. */
  creation(
    name: string,
    description: string | undefined,
    tenantId: string | undefined,
    access: GroupAccessFields,
  ): { id: string; group: ModelGroupRecord; writes: WriteOperation[] } {
    const id = this.deps.newId();
    const now = this.deps.clock.now();
    const group = withGroupAccess(
      {
        name,
        latest_version: 0,
        ...(description === undefined ? {} : { description }),
        created_time: now,
        last_updated_time: now,
        ...(tenantId === undefined ? {} : { tenant_id: tenantId }),
      },
      access,
    );
    return {
      id,
      group,
      writes: [
        { op: 'create', collection: MODEL_GROUP_NAME_INDEX, id: name, source: { model_group_id: id, reserved_at: now } },
        { op: 'create', collection: MODEL_GROUP_INDEX, id, source: group },
      ],
    };
  }

  /** The group as GET answers it; 403 for a caller who may not use it. */
  async get(id: string, caller: CallerIdentity | undefined): Promise<ModelGroupRecord> {
    const record = await this.getRecord(id);
    if (!this.deps.access.mayUseGroup(record.source, caller)) throw denials.modelGroupDenied();
    return record.source;
  }

  async getRecord(id: string): Promise<StoredRecord<ModelGroupRecord>> {
    const record = await this.deps.store.get<ModelGroupRecord>(MODEL_GROUP_INDEX, id);
    if (!record) throw notFound(`Failed to find model group with the provided model group id: ${id}`);
    return record;
  }

  /** The group holding `name`. A reservation whose group is gone or renamed (a crash mid-batch) holds nothing. */
  async findByName(name: string): Promise<StoredRecord<ModelGroupRecord> | undefined> {
    const reservation = await this.deps.store.get(MODEL_GROUP_NAME_INDEX, name);
    const groupId = reservation?.source['model_group_id'];
    if (typeof groupId !== 'string') return undefined;
    const group = await this.deps.store.get<ModelGroupRecord>(MODEL_GROUP_INDEX, groupId);
    return group?.source.name === name ? group : undefined;
  }

  /** Renames, describes or (owner and admin only, access control in force) changes access. */
  async update(id: string, body: unknown, caller: CallerIdentity | undefined): Promise<{ status: 'Updated' }> {
    if (body === undefined) throw illegalArgument('Model group request has empty body');
    const input = validateOrThrow(validateUpdate, body, { what: 'model_group', toError: illegalArgument });
    const enforced = this.deps.access.enforcedFor(caller);
    if (enforced === undefined) assertNoModelAccessFields(input);
    const record = await this.getRecord(id);
    if (enforced !== undefined) assertGroupUpdateAllowed(input, enforced, record.source);
    const renamed = input.name !== undefined && input.name.trim() !== '' && input.name !== record.source.name;
    if (renamed) {
      const holder = await this.findByName(input.name!);
      if (holder) {
        throw illegalArgument(
          `The name you provided is already being used by another model with ID: ${holder.id}. Please provide a different name`,
        );
      }
    }
    let updated: ModelGroupRecord = {
      ...record.source,
      ...(renamed ? { name: input.name! } : {}),
      ...(input.description !== undefined && input.description.trim() !== '' ? { description: input.description } : {}),
      last_updated_time: this.deps.clock.now(),
    };
    if (enforced !== undefined && changesAccess(input)) {
      const access = updatedGroupAccess(record.source, input, enforced);
      // A group created while access control was off has no owner and stays open to all whatever its
      // access says; the admin who gives it an access mode becomes its owner, so the mode holds.
      const owner = record.source.owner ?? ownerFromIdentity(enforced);
      updated = withGroupAccess(updated, { ...(access.backend_roles.length > 0 ? { backend_roles: [...access.backend_roles] } : {}), owner, access: access.access });
    }
    // Reserve the new name first and free the old one last: a crash between two writes leaves
    // at most a reservation that holds nothing (see findByName), never two groups with one name.
    const writes: WriteOperation[] = [
      ...(renamed
        ? [{ op: 'create' as const, collection: MODEL_GROUP_NAME_INDEX, id: input.name!, source: { model_group_id: id, reserved_at: this.deps.clock.now() } }]
        : []),
      { op: 'put', collection: MODEL_GROUP_INDEX, id, source: updated, ifMatch: unchanged(record) },
      ...(renamed ? [{ op: 'delete' as const, collection: MODEL_GROUP_NAME_INDEX, id: record.source.name }] : []),
    ];
    await this.writeUniquely(writes, input.name ?? record.source.name);
    return { status: 'Updated' };
  }

  /**
   * Deletes a group without models. An unknown id answers 200 with `result: not_found`, as ML
   * Commons does when it does not check access (access control off, or an admin).
   */
  async delete(id: string, caller: CallerIdentity | undefined): Promise<UpdateResponse> {
    const record = await this.deps.store.get<ModelGroupRecord>(MODEL_GROUP_INDEX, id);
    const enforced = this.deps.access.enforcedFor(caller);
    if (enforced !== undefined && !enforced.isAdmin) {
      if (!record) throw denials.modelGroupMissing();
      if (!this.deps.access.mayUseGroup(record.source, caller)) throw denials.modelGroupDeleteDenied();
    }
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

  /** `_search` over the groups the caller may use; hit counts count only those. */
  async search(body: unknown, caller: CallerIdentity | undefined): Promise<SearchResponse> {
    const filter = this.deps.access.groupSearchFilter(caller);
    return search({
      records: await this.deps.store.list(MODEL_GROUP_INDEX),
      body,
      mapping: ML_MODEL_GROUP_MAPPING,
      index: MODEL_GROUP_INDEX,
      now: this.deps.clock.now(),
      ...(filter === undefined ? {} : { filter }),
    });
  }

  /**
   * A name reservation conflict means another request took the name between our check and write;
   * a reservation that holds nothing (left by a crash) is released and the write tried once more.
   */
  private async writeUniquely(writes: WriteOperation[], name: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.deps.store.write(writes);
        return;
      } catch (error) {
        const holder = await this.findByName(name);
        if (holder) throw illegalArgument(`The name you provided is already being used by a model group with ID: ${holder.id}.`);
        if (attempt > 1 || !(await this.releaseStaleReservation(name))) throw error;
      }
    }
  }

  /**
   * Deletes the reservation of `name` if it holds nothing and is old enough that no batch that
   * made it can still be running (a younger one may be a registration halfway through its writes).
   */
  async releaseStaleReservation(name: string): Promise<boolean> {
    const reservation = await this.deps.store.get(MODEL_GROUP_NAME_INDEX, name);
    if (reservation === undefined || (await this.findByName(name)) !== undefined) return false;
    const reservedAt = Number(reservation.source['reserved_at'] ?? 0);
    if (this.deps.clock.now() - reservedAt < STALE_RESERVATION_MS) return false;
    await this.deps.store.write([{ op: 'delete', collection: MODEL_GROUP_NAME_INDEX, id: name, ifMatch: unchanged(reservation) }]);
    return true;
  }
}
