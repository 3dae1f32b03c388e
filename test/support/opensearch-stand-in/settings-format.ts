/**
 * OpenSearch keeps settings as a flat map of dotted keys to strings (or lists of strings) and
 * renders them nested unless `flat_settings=true`. These helpers flatten request bodies, nest
 * responses and filter keys by `*` patterns.
 */
import { isJsonObject, type JsonObject } from './json.js';
import { illegalArgument } from './responses.js';

/** A setting's stored value: OpenSearch stores every scalar as a string. */
export type SettingValue = string | readonly string[];

/** Flat settings: dotted key → value; `null` marks a key to reset (in updates). */
export type FlatSettings = Map<string, SettingValue | null>;

function scalarText(value: unknown, key: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw illegalArgument(`Failed to parse value for setting [${key}]: expected a scalar`);
}

/** Flattens `{"index": {"knn": true}, "a.b": 1}` into `index.knn → "true"`, `a.b → "1"`. */
export function flattenSettings(
  body: JsonObject,
  prefix = '',
  into: FlatSettings = new Map(),
): FlatSettings {
  for (const [key, value] of Object.entries(body)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (value === null) into.set(path, null);
    else if (isJsonObject(value)) flattenSettings(value, path, into);
    else if (Array.isArray(value))
      into.set(
        path,
        value.map((item) => scalarText(item, path)),
      );
    else into.set(path, scalarText(value, path));
  }
  return into;
}

/**
 * Nests flat settings for display. Where a key is both a value and a prefix (`index.knn` and
 * `index.knn.space_type`), the longer key stays dotted under the shorter one's parent, as
 * OpenSearch renders it.
 */
export function nestSettings(flat: ReadonlyMap<string, SettingValue>): JsonObject {
  const root: JsonObject = {};
  for (const key of [...flat.keys()].sort()) {
    const value = flat.get(key);
    if (value !== undefined) insert(root, key.split('.'), value);
  }
  return root;
}

function insert(node: JsonObject, segments: readonly string[], value: SettingValue): void {
  const [head, ...rest] = segments;
  if (head === undefined) return;
  if (rest.length === 0) {
    node[head] = value;
    return;
  }
  const child = node[head];
  if (child === undefined) {
    const created: JsonObject = {};
    node[head] = created;
    insert(created, rest, value);
  } else if (isJsonObject(child)) {
    insert(child, rest, value);
  } else {
    insert(node, [`${head}.${rest[0] ?? ''}`, ...rest.slice(1)], value);
  }
}

/** Renders flat settings as a plain object (for `flat_settings=true`), keys sorted. */
export function flatObject(flat: ReadonlyMap<string, SettingValue>): JsonObject {
  const out: JsonObject = {};
  for (const key of [...flat.keys()].sort()) out[key] = flat.get(key);
  return out;
}

/** True when `name` matches the `*` pattern. */
export function matchesPattern(pattern: string, name: string): boolean {
  if (!pattern.includes('*')) return pattern === name;
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`).test(name);
}

/** Keeps the keys matching any of `patterns` (all keys when `patterns` is undefined). */
export function filterSettings(
  flat: ReadonlyMap<string, SettingValue>,
  patterns: readonly string[] | undefined,
): Map<string, SettingValue> {
  const out = new Map<string, SettingValue>();
  for (const [key, value] of flat) {
    if (patterns === undefined || patterns.some((p) => matchesPattern(p, key))) out.set(key, value);
  }
  return out;
}
