/**
 * JSON helpers: narrowing `unknown`, parsing request bodies with OpenSearch's errors, and the
 * dotted-path reads and writes documents and settings need.
 */
import { bodyRequired, jsonParseException } from './responses.js';

/** A JSON object. */
export type JsonObject = Record<string, unknown>;

/** True for a plain JSON object (not an array, not null). */
export const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Parses `text` as JSON; a syntax error is OpenSearch's 400 `json_parse_exception`. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw jsonParseException(error instanceof Error ? error.message : String(error));
  }
}

/** Parses an optional body: undefined when empty. */
export function parseOptionalBody(text: string): unknown {
  return text.trim() === '' ? undefined : parseJson(text);
}

/** Parses a required body: empty is OpenSearch's `request body is required`. */
export function parseRequiredBody(text: string): unknown {
  if (text.trim() === '') throw bodyRequired();
  return parseJson(text);
}

/** The value at a dotted path, following objects (and literal dotted keys, as OpenSearch does). */
export function readPath(source: JsonObject, path: string): unknown {
  if (Object.hasOwn(source, path)) return source[path];
  for (let at = path.indexOf('.'); at !== -1; at = path.indexOf('.', at + 1)) {
    const head = path.slice(0, at);
    const child = Object.hasOwn(source, head) ? source[head] : undefined;
    if (!isJsonObject(child)) continue;
    const found = readPath(child, path.slice(at + 1));
    if (found !== undefined) return found;
  }
  return undefined;
}

/** True when two JSON values are structurally equal. */
export function jsonEquals(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (Array.isArray(left) || Array.isArray(right)) {
    if (!Array.isArray(left) || !Array.isArray(right) || left.length !== right.length) return false;
    return left.every((item, i) => jsonEquals(item, right[i]));
  }
  if (!isJsonObject(left) || !isJsonObject(right)) return false;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every((key) => Object.hasOwn(right, key) && jsonEquals(left[key], right[key]));
}

/** Merges `patch` into `target` the way a partial update (`doc`) does: objects merge, the rest replaces. */
export function mergeJson(target: JsonObject, patch: JsonObject): JsonObject {
  const merged: JsonObject = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    const current = merged[key];
    merged[key] = isJsonObject(current) && isJsonObject(value) ? mergeJson(current, value) : value;
  }
  return merged;
}

/** The Jackson token name OpenSearch quotes for a JSON value (`VALUE_STRING`, `START_ARRAY`...). */
export function tokenName(value: unknown): string {
  if (value === null) return 'VALUE_NULL';
  if (Array.isArray(value)) return 'START_ARRAY';
  switch (typeof value) {
    case 'string':
      return 'VALUE_STRING';
    case 'number':
      return 'VALUE_NUMBER';
    case 'boolean':
      return 'VALUE_BOOLEAN';
    case 'object':
      return 'START_OBJECT';
    default:
      return 'VALUE_EMBEDDED_OBJECT';
  }
}
