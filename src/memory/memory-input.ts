/**
 * The request bodies and paging parameters of the memory API, read as ML Commons reads them
 * (CreateConversationRequest, CreateInteractionRequest, Update*Request, Get*Request): unknown
 * memory fields are skipped, unknown message fields refused, update bodies filtered to the fields
 * that may change.
 */
import { illegalArgument, OpenSearchError } from '../errors/opensearch-error.js';
import { compileSchema, validateOrThrow } from '../schemas/ajv.js';
import { isJsonObject } from '../util/json.js';
import type { MessageContent } from './memory-records.js';

/** A create or update of a memory. */
export interface MemoryInput {
  name?: string;
  application_type?: string;
  additional_info?: Record<string, string>;
}

/** A new message (or trace). */
export type MessageInput = MessageContent;

/** Where a page starts and how long it is. */
export interface PageRequest {
  readonly from: number;
  readonly size: number;
}

const stringMap = { type: 'object', additionalProperties: { type: 'string' }, description: 'String keys and values.' };

const validateMemory = compileSchema<MemoryInput>({
  type: 'object',
  properties: {
    name: { type: 'string', description: 'The memory name.' },
    application_type: { type: 'string', description: 'The application that created the memory.' },
    additional_info: stringMap,
  },
});

const MESSAGE_TEXT_FIELDS = ['input', 'prompt_template', 'response', 'origin', 'parent_message_id'] as const;
const MESSAGE_FIELDS = new Set<string>([...MESSAGE_TEXT_FIELDS, 'additional_info', 'trace_number']);
const DEFAULT_MAX_RESULTS = 10;

const parseException = (reason: string) => new OpenSearchError({ status: 400, type: 'parse_exception', reason });

/** `POST /_plugins/_ml/memory`: an empty body is a memory named "" (ML Commons' default). */
export function parseCreateMemory(body: unknown): MemoryInput {
  if (body === undefined) return {};
  return validateOrThrow(validateMemory, body, { what: 'memory', toError: parseException });
}

/** `PUT /_plugins/_ml/memory/{id}`: only `name` and `application_type` may change; other fields are dropped. */
export function parseUpdateMemory(body: unknown): Pick<MemoryInput, 'name' | 'application_type'> {
  const input = validateOrThrow(validateMemory, body ?? {}, { what: 'memory', toError: parseException });
  return {
    ...(input.name === undefined ? {} : { name: input.name }),
    ...(input.application_type === undefined ? {} : { application_type: input.application_type }),
  };
}

/** `POST /_plugins/_ml/memory/{id}/messages`: at least one of the content fields must be non-empty. */
export function parseCreateMessage(body: unknown): MessageInput {
  if (!isJsonObject(body)) throw parseException('request body is required');
  const message: MessageInput = { input: null, prompt_template: null, response: null, origin: null, additional_info: {} };
  for (const [field, value] of Object.entries(body)) {
    if (!MESSAGE_FIELDS.has(field)) throw illegalArgument(`Invalid field [${field}] found in request body`);
    if (value === null) continue;
    if (field === 'additional_info') message.additional_info = stringValues(value, field);
    else if (field === 'trace_number') message.trace_number = integerValue(value, field);
    else message[field as (typeof MESSAGE_TEXT_FIELDS)[number]] = scalarText(value, field);
  }
  const blank = (text: string | null) => text === null || text.trim() === '';
  if (blank(message.input) && blank(message.prompt_template) && blank(message.response) && blank(message.origin) && Object.keys(message.additional_info).length === 0) {
    throw illegalArgument('At least one of the following parameters must be non-empty: input, prompt_template, response, origin, additional_info');
  }
  return message;
}

/** `PUT /_plugins/_ml/memory/message/{id}`: only `additional_info` may change (merged into the stored one). */
export function parseUpdateMessage(body: unknown): { additional_info?: Record<string, string> } {
  if (!isJsonObject(body)) throw parseException('request body is required');
  const info = body['additional_info'];
  return info === undefined || info === null ? {} : { additional_info: stringValues(info, 'additional_info') };
}

/**
 * `max_results` (default 10) and the page start: the opaque `next_page_token` (ML Commons 3.x)
 * wins over the legacy integer `next_token`. `what` names the listed things in the error.
 */
export function parsePage(query: Readonly<Record<string, string | undefined>>, what: 'conversations' | 'interactions'): PageRequest {
  const size = query['max_results'] === undefined ? DEFAULT_MAX_RESULTS : parseInteger(query['max_results']);
  const pageToken = query['next_page_token'];
  const from = pageToken !== undefined ? decodePageToken(pageToken) : query['next_token'] === undefined ? 0 : parseInteger(query['next_token']);
  const problems = [
    ...(size <= 0 ? [`Can't list 0 or negative ${what}`] : []),
    ...(from < 0 ? ['The starting position must be nonnegative'] : []),
  ];
  if (problems.length > 0) {
    const reason = `Validation Failed: ${problems.map((problem, index) => `${index + 1}: ${problem};`).join('')}`;
    throw new OpenSearchError({ status: 400, type: 'action_request_validation_exception', reason });
  }
  return { from, size };
}

/** PaginationTokenUtil.encodeOffset: base64url (no padding) of the offset's decimal digits. */
export const encodePageToken = (offset: number): string => Buffer.from(String(offset), 'utf8').toString('base64url');

function decodePageToken(token: string): number {
  if (token === '') throw illegalArgument('Invalid next_page_token: token must not be empty');
  const decoded = Buffer.from(token, 'base64url').toString('utf8');
  if (!/^\d{1,9}$/.test(decoded) || encodePageToken(Number(decoded)) !== token) throw illegalArgument(`Invalid next_page_token: ${token}`);
  return Number(decoded);
}

/** Java's Integer.parseInt, with its NumberFormatException. */
function parseInteger(text: string): number {
  if (!/^[+-]?\d{1,10}$/.test(text) || Math.abs(Number(text)) > 2 ** 31 - 1) {
    throw new OpenSearchError({ status: 400, type: 'number_format_exception', reason: `For input string: "${text}"` });
  }
  return Number(text);
}

function scalarText(value: unknown, field: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw parseException(`[${field}] must be a string`);
}

function integerValue(value: unknown, field: string): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number)) throw parseException(`[${field}] must be an integer`);
  return number;
}

function stringValues(value: unknown, field: string): Record<string, string> {
  if (!isJsonObject(value)) throw parseException(`[${field}] must be an object`);
  const strings: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) strings[key] = scalarText(item, `${field}.${key}`);
  return strings;
}
