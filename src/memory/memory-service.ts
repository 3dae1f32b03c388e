import { illegalArgument } from '../errors/opensearch-error.js';
import { search, type SearchResponse } from '../query/index.js';
import type { CallerIdentity } from '../security/identity/index.js';
import type { SettingsService } from '../settings/settings-service.js';
import { withRetryOnConflict } from '../store/retry-on-conflict.js';
import { unchanged, type Store, type StoredRecord, type WriteOperation, type WriteResult } from '../store/store.js';
import { toUpdateResponse, type UpdateResponse } from '../store/write-response.js';
import type { Clock } from '../util/clock.js';
import type { IdGenerator } from '../util/ids.js';
import { accessibleMemory, memoryFilter, mayAccessMemory } from './memory-access.js';
import { parseCreateMemory, parseUpdateMemory, type PageRequest } from './memory-input.js';
import { MEMORY_INDEX, MEMORY_MAPPING, MESSAGE_INDEX, memoryView, type MemoryRecord } from './memory-records.js';
import { pageOf, type Page } from './paging.js';

export const MEMORY_DISABLED_MESSAGE =
  'The Conversation Memory feature is not enabled. To enable, please update the setting plugins.ml_commons.memory_feature_enabled';

export interface MemoryDeps {
  readonly store: Store;
  readonly settings: SettingsService;
  readonly clock: Clock;
  readonly newId: IdGenerator;
}

/**
 * Conversation memories (ML Commons' `/_plugins/_ml/memory`): private to their creator when
 * security is on (admins see all), and only while `plugins.ml_commons.memory_feature_enabled`.
 */
export class MemoryService {
  constructor(private readonly deps: MemoryDeps) {}

  /** ML Commons answers a disabled feature with a 500; it is the caller's setting to change, so a 400 here. */
  assertEnabled(): void {
    if (!this.deps.settings.get('plugins.ml_commons.memory_feature_enabled')) throw illegalArgument(MEMORY_DISABLED_MESSAGE);
  }

  /** Now, as ML Commons' `Instant` renders. */
  timestamp(): string {
    return new Date(this.deps.clock.now()).toISOString();
  }

  async create(body: unknown, caller: CallerIdentity | undefined): Promise<{ memory_id: string }> {
    this.assertEnabled();
    const input = parseCreateMemory(body);
    const now = this.timestamp();
    const memory: MemoryRecord = {
      name: input.name ?? '',
      create_time: now,
      updated_time: now,
      user: caller?.name ?? null,
      application_type: input.application_type ?? null,
      ...(input.additional_info === undefined ? {} : { additional_info: input.additional_info }),
    };
    const id = this.deps.newId();
    await this.deps.store.write([{ op: 'create', collection: MEMORY_INDEX, id, source: memory }]);
    return { memory_id: id };
  }

  /** The memory if the caller may see it; else ML Commons' 404 or a 403. */
  async accessible(id: string, caller: CallerIdentity | undefined): Promise<StoredRecord<MemoryRecord>> {
    this.assertEnabled();
    return accessibleMemory(id, await this.deps.store.get<MemoryRecord>(MEMORY_INDEX, id), caller);
  }

  async get(id: string, caller: CallerIdentity | undefined): Promise<Record<string, unknown>> {
    return memoryView(await this.accessible(id, caller));
  }

  /** Renames (or retypes) a memory; other fields of the body are ignored, as in ML Commons. */
  async update(id: string, body: unknown, caller: CallerIdentity | undefined): Promise<UpdateResponse & { forced_refresh: true }> {
    const changes = parseUpdateMemory(body);
    const result = await withRetryOnConflict(async () => {
      const record = await this.accessible(id, caller);
      return this.replace(record, { ...record.source, ...changes, updated_time: this.timestamp() });
    });
    return forcedRefresh(result);
  }

  /** Deletes a memory and every message in it (messages first, so a crash leaves no orphan). */
  async delete(id: string, caller: CallerIdentity | undefined): Promise<{ success: true }> {
    await this.accessible(id, caller);
    const messages = (await this.deps.store.list(MESSAGE_INDEX)).filter((message) => message.source['memory_id'] === id);
    const writes: WriteOperation[] = messages.map((message) => ({ op: 'delete', collection: MESSAGE_INDEX, id: message.id }));
    writes.push({ op: 'delete', collection: MEMORY_INDEX, id });
    await this.deps.store.write(writes);
    return { success: true };
  }

  /** The caller's memories, newest first, a page at a time (`next_token` when more follow). */
  async list(page: PageRequest, caller: CallerIdentity | undefined): Promise<{ memories: Array<Record<string, unknown>> } & Page> {
    this.assertEnabled();
    const visible = (await this.deps.store.list<MemoryRecord>(MEMORY_INDEX)).filter((record) => mayAccessMemory(record.source, caller));
    const newestFirst = visible.map((record, order) => ({ record, order })).sort((a, b) => compareTimes(b, a)).map(({ record }) => record);
    const { items, next } = pageOf(newestFirst, page);
    return { memories: items.map(memoryView), ...next };
  }

  /** `_search` over the caller's memories; totals and paging count only those. */
  async search(body: unknown, caller: CallerIdentity | undefined): Promise<SearchResponse> {
    this.assertEnabled();
    const filter = memoryFilter(caller);
    return search({
      records: await this.deps.store.list(MEMORY_INDEX),
      body,
      mapping: MEMORY_MAPPING,
      index: MEMORY_INDEX,
      now: this.deps.clock.now(),
      ...(filter === undefined ? {} : { filter }),
    });
  }

  /** Marks a memory as updated now (a message was added), as ML Commons does; a memory gone meanwhile is left alone. */
  async touch(id: string): Promise<void> {
    await withRetryOnConflict(async () => {
      const record = await this.deps.store.get<MemoryRecord>(MEMORY_INDEX, id);
      if (record !== undefined) await this.replace(record, { ...record.source, updated_time: this.timestamp() });
    });
  }

  private async replace(record: StoredRecord<MemoryRecord>, source: MemoryRecord): Promise<WriteResult> {
    const [result] = await this.deps.store.write([{ op: 'put', collection: MEMORY_INDEX, id: record.id, source, ifMatch: unchanged(record) }]);
    return result!;
  }
}

/** Orders records by `create_time`, then by write order (records made within one millisecond). */
export function compareTimes(
  a: { record: StoredRecord; order: number },
  b: { record: StoredRecord; order: number },
): number {
  const byTime = String(a.record.source['create_time']).localeCompare(String(b.record.source['create_time']));
  return byTime !== 0 ? byTime : a.order - b.order;
}

/** An update as ML Commons answers it (its update requests refresh immediately). */
export function forcedRefresh(result: WriteResult): UpdateResponse & { forced_refresh: true } {
  const { _index, _id, _version, result: outcome, ...rest } = toUpdateResponse(result);
  return { _index, _id, _version, result: outcome, forced_refresh: true, ...rest };
}
