import { illegalArgument } from '../errors/opensearch-error.js';
import { isJsonObject } from '../util/json.js';
import { screenRegex } from '../util/regex-screen.js';
import type { SettingDefinition } from './definitions.js';

/** A setting as stored and as answered by GET: OpenSearch keeps every value as a string. */
export type StoredSettingValue = string | string[];

/**
 * Turns the nested and flat forms OpenSearch accepts into one flat map:
 * `{"plugins":{"ml_commons":{"a":1}}}`, `{"plugins.ml_commons":{"a":1}}` and
 * `{"plugins.ml_commons.a":1}` all become `{"plugins.ml_commons.a": 1}`. Arrays are values.
 */
export function flattenSettings(input: Record<string, unknown>, prefix = ''): Map<string, unknown> {
  const flat = new Map<string, unknown>();
  for (const [key, value] of Object.entries(input)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isJsonObject(value)) {
      for (const [innerKey, innerValue] of flattenSettings(value, path)) flat.set(innerKey, innerValue);
    } else {
      flat.set(path, value);
    }
  }
  return flat;
}

/** Nests flat keys for responses without `flat_settings`. */
export function nestSettings(flat: ReadonlyMap<string, unknown>): Record<string, unknown> {
  const root: Record<string, unknown> = Object.create(null);
  for (const [key, value] of flat) {
    const parts = key.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      if (isJsonObject(next)) node = next;
      else node = node[part] = Object.create(null) as Record<string, unknown>;
    }
    node[parts[parts.length - 1] as string] = value;
  }
  return root;
}

/** Validates one value of a known setting against its definition, as OpenSearch parses it. */
export function normalizeSettingValue(key: string, value: unknown, definition: SettingDefinition): StoredSettingValue {
  switch (definition.type) {
    case 'boolean':
      return normalizeBoolean(value);
    case 'integer':
    case 'number':
      return normalizeNumber(key, value, definition);
    case 'string':
      return scalarText(key, value);
    case 'byte_size':
      return normalizeByteSize(key, value);
    case 'list':
      return normalizeList(key, value, definition.regexList === true);
  }
}

function normalizeBoolean(value: unknown): string {
  if (value === true || value === 'true') return 'true';
  if (value === false || value === 'false') return 'false';
  throw illegalArgument(`Failed to parse value [${display(value)}] as only [true] or [false] are allowed.`);
}

function normalizeNumber(key: string, value: unknown, definition: SettingDefinition): string {
  const text = typeof value === 'number' || typeof value === 'string' ? String(value).trim() : '';
  const number = text === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(number) || (definition.type === 'integer' && !Number.isInteger(number))) {
    throw illegalArgument(`Failed to parse value [${display(value)}] for setting [${key}]`);
  }
  if (definition.min !== undefined && number < definition.min) {
    throw illegalArgument(`Failed to parse value [${text}] for setting [${key}] must be >= ${definition.min}`);
  }
  if (definition.max !== undefined && number > definition.max) {
    throw illegalArgument(`Failed to parse value [${text}] for setting [${key}] must be <= ${definition.max}`);
  }
  return String(number);
}

function normalizeList(key: string, value: unknown, mustBeRegex: boolean): string[] {
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => {
    const text = scalarText(key, item);
    if (mustBeRegex) {
      try {
        new RegExp(text);
      } catch (error) {
        throw illegalArgument(`Failed to parse value [${text}] for setting [${key}]: ${(error as Error).message}`);
      }
      const unsafe = screenRegex(text);
      if (unsafe !== undefined) throw illegalArgument(`Failed to parse value [${text}] for setting [${key}]: ${unsafe}`);
    }
    return text;
  });
}

const BYTE_SIZE = /^(?:-1|0|\d+(?:\.\d+)?\s*(?:b|kb?|mb?|gb?|tb?|pb?))$/;

/** OpenSearch's `ByteSizeValue.parseBytesSizeValue`: a number with a unit (`5gb`, `512mb`), or `0` / `-1`. */
function normalizeByteSize(key: string, value: unknown): string {
  const text = scalarText(key, value).trim();
  if (!BYTE_SIZE.test(text.toLowerCase())) {
    throw illegalArgument(`failed to parse setting [${key}] with value [${text}] as a size in bytes: unit is missing or unrecognized`);
  }
  return text;
}

function scalarText(key: string, value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw illegalArgument(`Failed to parse value [${display(value)}] for setting [${key}]`);
}

const display = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value) ?? 'undefined');
