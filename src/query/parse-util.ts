/**
 * Shared parsing for clause bodies: the single-field shape (`{"term": {"field": ...}}`), option
 * objects with a fixed key set, `boost` and `_name`. Error wording follows OpenSearch's
 * parsers, with the body path appended so a deep mistake is easy to find.
 */
import { badValue, parsingException } from './errors.js';
import {
  childPath,
  expectBoolean,
  expectMap,
  expectNumber,
  expectString,
  isJsonMap,
  type JsonMap,
} from './json.js';

/** Keys every query clause accepts. */
export const COMMON_KEYS = ['boost', '_name'] as const;

/** The one `{field: value}` pair of a single-field clause. */
export interface SingleField {
  readonly field: string;
  readonly value: unknown;
  readonly path: string;
}

/**
 * Reads `{"<clause>": {"<field>": value}}`. OpenSearch rejects more than one field with
 * "[term] query doesn't support multiple fields, found [a] and [b]".
 */
export function singleField(
  clause: string,
  body: unknown,
  path: string,
  options: { allowArray?: boolean } = {},
): SingleField {
  const map = expectMap(body, path);
  const keys = Object.keys(map);
  const [field, second] = keys;
  if (field === undefined || field === '')
    throw badValue(`[${clause}] field name is null or empty at [${path}]`);
  if (second !== undefined) {
    throw parsingException(
      `[${clause}] query doesn't support multiple fields, found [${field}] and [${second}] at [${path}]`,
    );
  }
  const value = map[field];
  if (Array.isArray(value) && options.allowArray !== true) {
    throw parsingException(
      `[${clause}] query does not support array of values at [${childPath(path, field)}]`,
    );
  }
  return { field, value, path: childPath(path, field) };
}

/** Rejects keys outside `allowed` with OpenSearch's "[clause] query does not support [key]". */
export function checkKeys(
  clause: string,
  map: JsonMap,
  allowed: readonly string[],
  path: string,
): void {
  for (const key of Object.keys(map)) {
    if (!allowed.includes(key) && !(COMMON_KEYS as readonly string[]).includes(key)) {
      throw parsingException(
        `[${clause}] query does not support [${key}] at [${childPath(path, key)}]`,
      );
    }
  }
}

/** Own value of `key` in `map`, or undefined. */
export const option = (map: JsonMap, key: string): unknown =>
  Object.hasOwn(map, key) ? map[key] : undefined;

/** `boost` (default 1); negative boosts are rejected as OpenSearch does. */
export function readBoost(map: JsonMap, path: string): number {
  const raw = option(map, 'boost');
  if (raw === undefined) return 1;
  const boost = expectNumber(raw, childPath(path, 'boost'));
  if (boost < 0)
    throw badValue(`negative [boost] are not allowed. at [${childPath(path, 'boost')}]`);
  return boost;
}

/** Validates `_name` (accepted; named-query reporting is not implemented). */
export function readName(map: JsonMap, path: string): void {
  const raw = option(map, '_name');
  if (raw !== undefined) expectString(raw, childPath(path, '_name'));
}

/**
 * Splits a single-field clause value into its value and options: a scalar is the short form,
 * an object the long form whose value sits under `valueKey` (`value` or `query`).
 */
export function longForm(
  clause: string,
  entry: SingleField,
  valueKey: string,
  allowed: readonly string[],
): { value: unknown; options: JsonMap; boost: number } {
  if (!isJsonMap(entry.value)) return { value: entry.value, options: {}, boost: 1 };
  const options = entry.value;
  checkKeys(clause, options, [valueKey, ...allowed], entry.path);
  readName(options, entry.path);
  if (!Object.hasOwn(options, valueKey)) {
    throw parsingException(`[${clause}] requires [${valueKey}] at [${entry.path}]`);
  }
  return { value: options[valueKey], options, boost: readBoost(options, entry.path) };
}

/** `case_insensitive` of a term-level clause's long form (default false). */
export function readCaseInsensitive(options: JsonMap, path: string): boolean {
  const raw = option(options, 'case_insensitive');
  return raw === undefined ? false : expectBoolean(raw, childPath(path, 'case_insensitive'));
}
