/**
 * Narrowing helpers for untrusted JSON. User-supplied keys are only ever read with `Object.hasOwn`
 * and only ever written with `Object.fromEntries` (which defines own properties), so a key such as
 * `__proto__` stays data and never reaches a prototype.
 */
import { wrongType } from './errors.js';

/** A parsed JSON object (never an array or null). */
export type JsonMap = { readonly [key: string]: unknown };

/** True for a plain JSON object (not an array, not null). */
export const isJsonMap = (value: unknown): value is JsonMap =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Own property or undefined; never walks the prototype chain. */
export const getOwn = (map: JsonMap, key: string): unknown =>
  Object.hasOwn(map, key) ? map[key] : undefined;

/** JSON type name as OpenSearch's parser reports it (`START_OBJECT`, `VALUE_STRING`, ...). */
export function tokenName(value: unknown): string {
  if (value === null) return 'VALUE_NULL';
  if (Array.isArray(value)) return 'START_ARRAY';
  switch (typeof value) {
    case 'object':
      return 'START_OBJECT';
    case 'string':
      return 'VALUE_STRING';
    case 'number':
      return 'VALUE_NUMBER';
    case 'boolean':
      return 'VALUE_BOOLEAN';
    default:
      return 'VALUE_EMBEDDED_OBJECT';
  }
}

/** Appends a child segment to a human-readable body path (`query.bool.must[0]`). */
export const childPath = (path: string, key: string | number): string =>
  typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;

/** Requires an object at `path`, or throws a 400 naming the path and what was found. */
export function expectMap(value: unknown, path: string): JsonMap {
  if (isJsonMap(value)) return value;
  throw wrongType(`[${path}] expected an object (START_OBJECT) but found [${tokenName(value)}]`);
}

/** Requires a finite number (or a numeric string, as OpenSearch coerces) at `path`. */
export function expectNumber(value: unknown, path: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n === 'number' && Number.isFinite(n)) return n;
  throw wrongType(`[${path}] expected a number but found [${tokenName(value)}]`);
}

/** Requires a non-negative integer at `path`. */
export function expectNonNegativeInt(value: unknown, path: string): number {
  const n = expectNumber(value, path);
  if (Number.isInteger(n) && n >= 0) return n;
  throw wrongType(`[${path}] expected a non-negative integer but found [${String(value)}]`);
}

/** Requires a boolean (or `"true"`/`"false"`, which OpenSearch's parser accepts) at `path`. */
export function expectBoolean(value: unknown, path: string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw wrongType(`[${path}] expected a boolean but found [${tokenName(value)}]`);
}

/** Requires a string at `path`. */
export function expectString(value: unknown, path: string): string {
  if (typeof value === 'string') return value;
  throw wrongType(`[${path}] expected a string but found [${tokenName(value)}]`);
}

/** Builds an object from entries without ever invoking a prototype setter. */
export const objectFrom = (
  entries: Iterable<readonly [string, unknown]>,
): Record<string, unknown> => Object.fromEntries(entries) as Record<string, unknown>;
