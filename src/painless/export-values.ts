/**
 * Turning interpreter values back into plain JSON-compatible JS values when they leave a run:
 * `JavaDouble` becomes its number, a StringBuilder its text, a map entry a one-key map, an
 * exception its Java string form.
 */
import { javaToString } from './java-to-string.js';
import {
  JavaDouble,
  JavaException,
  JavaStringBuilder,
  MapEntry,
  entryValue,
  isMap,
  mapSet,
  newMap,
} from './java-values.js';

function exportScalar(value: unknown): { replaced: boolean; value: unknown } {
  if (value === undefined) return { replaced: true, value: null };
  if (value instanceof JavaDouble) return { replaced: true, value: value.value };
  if (value instanceof JavaStringBuilder || value instanceof JavaException)
    return { replaced: true, value: javaToString(value) };
  if (value instanceof MapEntry) {
    const map = newMap();
    mapSet(map, value.key, entryValue(value));
    return { replaced: true, value: map };
  }
  return { replaced: false, value };
}

/**
 * Converts a value for the caller after a run, rewriting containers in place so that documents
 * the caller passed in (and the script mutated) hold plain values too. Cycles are left as they are.
 */
export function exportInPlace(value: unknown, visited = new Set<object>()): unknown {
  const scalar = exportScalar(value);
  if (scalar.replaced)
    return scalar.value instanceof Object ? exportInPlace(scalar.value, visited) : scalar.value;
  if (Array.isArray(value)) {
    if (visited.has(value)) return value;
    visited.add(value);
    for (let index = 0; index < value.length; index++) {
      const element: unknown = value[index];
      const exported = exportInPlace(element, visited);
      if (exported !== element) value[index] = exported;
    }
    return value;
  }
  if (isMap(value)) {
    if (visited.has(value)) return value;
    visited.add(value);
    for (const key of Object.keys(value)) {
      const element = value[key];
      const exported = exportInPlace(element, visited);
      if (exported !== element) mapSet(value, key, exported);
    }
  }
  return value;
}

/** A deep plain copy for builtins: they get JSON-like values and cannot mutate the script's own. */
export function plainCopy(value: unknown, copies = new Map<object, unknown>()): unknown {
  const scalar = exportScalar(value);
  if (scalar.replaced)
    return scalar.value instanceof Object ? plainCopy(scalar.value, copies) : scalar.value;
  if (Array.isArray(value)) {
    const existing = copies.get(value);
    if (existing !== undefined) return existing;
    const copy: unknown[] = [];
    copies.set(value, copy);
    for (const element of value) copy.push(plainCopy(element, copies));
    return copy;
  }
  if (isMap(value)) {
    const existing = copies.get(value);
    if (existing !== undefined) return existing;
    const copy = newMap();
    copies.set(value, copy);
    for (const key of Object.keys(value)) mapSet(copy, key, plainCopy(value[key], copies));
    return copy;
  }
  return value;
}
