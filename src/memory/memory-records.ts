/**
 * Conversation memory as ML Commons stores it (ConversationMeta, Interaction): a memory names a
 * conversation; its messages are question/answer pairs, and traces are messages that record the
 * steps behind another message (`parent_message_id`, `trace_number`). Times are ISO-8601 strings,
 * as ML Commons' `Instant` fields serialise.
 */
import type { FieldDefinition, FieldMapping } from '../query/index.js';
import type { JsonObject, StoredRecord } from '../store/store.js';

/** ML Commons' index names, also the collections and the `_index` of search hits. */
export const MEMORY_INDEX = '.plugins-ml-memory-meta';
export const MESSAGE_INDEX = '.plugins-ml-memory-message';

/** A memory (ConversationMeta) as stored. `user` is its creator when security is on. */
export interface MemoryRecord extends JsonObject {
  name: string;
  create_time: string;
  updated_time: string;
  user: string | null;
  application_type: string | null;
  additional_info?: Record<string, string>;
}

/** What a message says (a new message's fields). */
export interface MessageContent {
  input: string | null;
  prompt_template: string | null;
  response: string | null;
  origin: string | null;
  additional_info: Record<string, string>;
  parent_message_id?: string;
  trace_number?: number;
}

/** A message (Interaction) as stored. */
export interface MessageRecord extends JsonObject, MessageContent {
  memory_id: string;
  create_time: string;
  updated_time: string;
}

/** ConversationMeta.toXContent: `user` and `additional_info` only when set. */
export function memoryView(record: StoredRecord<MemoryRecord>): Record<string, unknown> {
  const memory = record.source;
  return {
    memory_id: record.id,
    create_time: memory.create_time,
    updated_time: memory.updated_time,
    name: memory.name,
    ...(memory.user === null || memory.user === undefined ? {} : { user: memory.user }),
    ...(memory.additional_info === undefined ? {} : { additional_info: memory.additional_info }),
  };
}

/** Interaction.toXContent: the trace fields only on traces. */
export function messageView(record: StoredRecord<MessageRecord>): Record<string, unknown> {
  const message = record.source;
  return {
    memory_id: message.memory_id,
    message_id: record.id,
    create_time: message.create_time,
    updated_time: message.updated_time,
    input: message.input,
    prompt_template: message.prompt_template,
    response: message.response,
    origin: message.origin,
    additional_info: message.additional_info,
    ...(message.parent_message_id === undefined ? {} : { parent_message_id: message.parent_message_id }),
    ...(message.trace_number === undefined ? {} : { trace_number: message.trace_number }),
  };
}

/** Whether a message is a trace of another one (listed by `/traces`, never among the messages). */
export const isTrace = (message: MessageRecord): boolean => message.trace_number !== undefined && message.trace_number !== null;

const date: FieldDefinition = { type: 'date', format: 'strict_date_time||epoch_millis' };
const keyword: FieldDefinition = { type: 'keyword' };
const text: FieldDefinition = { type: 'text' };

/** index-mappings/ml-memory-meta.json (schema 2). */
export const MEMORY_MAPPING: FieldMapping = {
  properties: { name: text, create_time: date, updated_time: date, user: keyword, application_type: keyword, additional_info: { type: 'flat_object' } },
};

/** index-mappings/ml_memory_message.json (schema 2). */
export const MESSAGE_MAPPING: FieldMapping = {
  properties: {
    memory_id: keyword,
    create_time: date,
    updated_time: date,
    input: text,
    prompt_template: text,
    response: text,
    origin: keyword,
    additional_info: { type: 'flat_object' },
    parent_message_id: keyword,
    trace_number: { type: 'long' },
  },
};
