import { OpenSearchError } from '../errors/opensearch-error.js';
import { search, type SearchResponse } from '../query/index.js';
import type { CallerIdentity } from '../security/identity/index.js';
import { withRetryOnConflict } from '../store/retry-on-conflict.js';
import { unchanged, type StoredRecord } from '../store/store.js';
import type { UpdateResponse } from '../store/write-response.js';
import { parseCreateMessage, parseUpdateMessage, type MessageInput, type PageRequest } from './memory-input.js';
import { isTrace, MESSAGE_INDEX, MESSAGE_MAPPING, messageView, type MessageRecord } from './memory-records.js';
import { compareTimes, forcedRefresh, type MemoryDeps, type MemoryService } from './memory-service.js';
import { pageOf, type Page } from './paging.js';

type MessageList = Array<Record<string, unknown>>;

/** The messages of memories (`/_plugins/_ml/memory/{id}/messages`, `/memory/message/{id}`): visible to whoever may see their memory. */
export class MessageService {
  constructor(
    private readonly deps: MemoryDeps,
    private readonly memories: MemoryService,
  ) {}

  async create(memoryId: string, body: unknown, caller: CallerIdentity | undefined): Promise<{ message_id: string }> {
    const input = parseCreateMessage(body);
    return { message_id: await this.add(memoryId, input, caller) };
  }

  /** Adds a message (or, with `trace_number`, a trace) to a memory the caller may see, and marks the memory updated. */
  async add(memoryId: string, input: MessageInput, caller: CallerIdentity | undefined): Promise<string> {
    await this.memories.accessible(memoryId, caller);
    const now = this.memories.timestamp();
    const message: MessageRecord = { memory_id: memoryId, create_time: now, updated_time: now, ...input };
    const id = this.deps.newId();
    await this.deps.store.write([{ op: 'create', collection: MESSAGE_INDEX, id, source: message }]);
    await this.memories.touch(memoryId);
    return id;
  }

  /** A memory's messages (traces excluded), oldest first, a page at a time. */
  async list(memoryId: string, page: PageRequest, caller: CallerIdentity | undefined): Promise<{ messages: MessageList } & Page> {
    await this.memories.accessible(memoryId, caller);
    const { items, next } = pageOf(await this.interactions(memoryId), page);
    return { messages: items.map(messageView), ...next };
  }

  /** The last `count` messages of a memory, oldest first: the conversation a RAG prompt carries. */
  async recent(memoryId: string, count: number, caller: CallerIdentity | undefined): Promise<MessageRecord[]> {
    await this.memories.accessible(memoryId, caller);
    return (await this.interactions(memoryId)).slice(-count).map((record) => record.source);
  }

  async get(messageId: string, caller: CallerIdentity | undefined): Promise<Record<string, unknown>> {
    return messageView(await this.accessible(messageId, caller));
  }

  /** Merges `additional_info` into the message (the only field that may change). */
  async update(messageId: string, body: unknown, caller: CallerIdentity | undefined): Promise<UpdateResponse & { forced_refresh: true }> {
    const changes = parseUpdateMessage(body);
    const result = await withRetryOnConflict(async () => {
      const record = await this.accessible(messageId, caller);
      const additionalInfo = { ...record.source.additional_info, ...changes.additional_info };
      const source: MessageRecord = { ...record.source, additional_info: additionalInfo, updated_time: this.memories.timestamp() };
      const [written] = await this.deps.store.write([{ op: 'put', collection: MESSAGE_INDEX, id: messageId, source, ifMatch: unchanged(record) }]);
      return written!;
    });
    return forcedRefresh(result);
  }

  /** The traces of a message, by `trace_number`, a page at a time. */
  async traces(messageId: string, page: PageRequest, caller: CallerIdentity | undefined): Promise<{ traces: MessageList } & Page> {
    await this.accessible(messageId, caller);
    const traces = (await this.deps.store.list<MessageRecord>(MESSAGE_INDEX))
      .filter((record) => record.source.parent_message_id === messageId && isTrace(record.source))
      .sort((a, b) => (a.source.trace_number ?? 0) - (b.source.trace_number ?? 0));
    const { items, next } = pageOf(traces, page);
    return { traces: items.map(messageView), ...next };
  }

  /** `_search` over one memory's messages (traces included, as in ML Commons). */
  async search(memoryId: string, body: unknown, caller: CallerIdentity | undefined): Promise<SearchResponse> {
    await this.memories.accessible(memoryId, caller);
    return search({
      records: await this.deps.store.list(MESSAGE_INDEX),
      body,
      mapping: MESSAGE_MAPPING,
      index: MESSAGE_INDEX,
      now: this.deps.clock.now(),
      filter: (record) => record.source['memory_id'] === memoryId,
    });
  }

  private async accessible(messageId: string, caller: CallerIdentity | undefined): Promise<StoredRecord<MessageRecord>> {
    this.memories.assertEnabled();
    const record = await this.deps.store.get<MessageRecord>(MESSAGE_INDEX, messageId);
    if (record === undefined) throw new OpenSearchError({ status: 404, type: 'resource_not_found_exception', reason: `Interaction [${messageId}] not found` });
    await this.memories.accessible(record.source.memory_id, caller);
    return record;
  }

  private async interactions(memoryId: string): Promise<Array<StoredRecord<MessageRecord>>> {
    return (await this.deps.store.list<MessageRecord>(MESSAGE_INDEX))
      .map((record, order) => ({ record, order }))
      .filter(({ record }) => record.source.memory_id === memoryId && !isTrace(record.source))
      .sort(compareTimes)
      .map(({ record }) => record);
  }
}
