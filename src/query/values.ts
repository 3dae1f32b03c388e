/**
 * Reads values out of a JSON source the way OpenSearch indexes them: arrays are flattened (an
 * array matches if any element matches), `null` is absent, and a dotted key (`{"a.b": 1}`) is the
 * same field as a nested object (`{"a": {"b": 1}}`).
 */
import { isJsonMap } from './json.js';

/** All non-null values at `path`, arrays flattened; objects are returned as values. */
export function collectValues(
  node: unknown,
  path: readonly string[],
  start = 0,
  out: unknown[] = [],
): unknown[] {
  if (Array.isArray(node)) {
    for (const element of node) collectValues(element, path, start, out);
    return out;
  }
  if (node === null || node === undefined) return out;
  if (start === path.length) {
    out.push(node);
    return out;
  }
  if (!isJsonMap(node)) return out;
  let key = '';
  for (let end = start; end < path.length; end++) {
    key = end === start ? (path[end] ?? '') : `${key}.${path[end] ?? ''}`;
    if (Object.hasOwn(node, key)) collectValues(node[key], path, end + 1, out);
  }
  return out;
}

/** Every scalar leaf under `value` with its dotted path relative to `value` (flat_object keys). */
export function flattenLeaves(
  value: unknown,
  prefix = '',
  out: Array<[string, string | number | boolean]> = [],
) {
  if (Array.isArray(value)) {
    for (const element of value) flattenLeaves(element, prefix, out);
  } else if (isJsonMap(value)) {
    for (const [key, child] of Object.entries(value))
      flattenLeaves(child, prefix === '' ? key : `${prefix}.${key}`, out);
  } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    out.push([prefix, value]);
  }
  return out;
}

/** True when `value` is, or contains, at least one non-null scalar (what `exists` asks). */
export function hasScalar(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasScalar);
  if (isJsonMap(value)) return Object.values(value).some(hasScalar);
  return value !== null && value !== undefined;
}
