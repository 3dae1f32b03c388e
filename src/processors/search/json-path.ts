import { JSONPath } from 'jsonpath-plus';
import { illegalArgument } from '../../errors/opensearch-error.js';
import { isJsonObject } from '../../util/json.js';

/** What a path lookup found. `found` is false for a missing path and for a null value (Jayway's SUPPRESS_EXCEPTIONS null). */
export interface PathLookup {
  readonly found: boolean;
  readonly value: unknown;
}

const NOT_FOUND: PathLookup = { found: false, value: undefined };

// Jayway calls a path "indefinite" when it can match several nodes; only those answer a list.
const INDEFINITE_PATH = /\.\.|\*|\[\s*\?|\[[^\]]*[,:][^\]]*\]/;
const PLAIN_DOT_PATH = /^[^$[\]*?@()]+$/;

/** Jayway prefixes a path that does not start at the root with `$.`; so does this. */
export function toJsonPath(path: string): string {
  if (path.startsWith('$')) return path;
  return path.startsWith('[') ? `$${path}` : `$.${path}`;
}

/**
 * Reads `path` from `root` the way ML Commons' processors do: a plain dot path first (list
 * indices allowed: `hits.0.title`), then JSONPath (`$.a[*].b`, `a.b`). An indefinite path answers
 * the list of its matches and counts as found when that list is not empty.
 */
export function readPath(root: unknown, path: string): PathLookup {
  if (PLAIN_DOT_PATH.test(path)) {
    const plain = readDotPath(root, path);
    if (plain.found) return plain;
  }
  const matches = evaluate(root, path, 'value');
  if (INDEFINITE_PATH.test(path)) return matches.length === 0 ? NOT_FOUND : { found: true, value: matches };
  const value = matches[0];
  return value === undefined || value === null ? NOT_FOUND : { found: true, value };
}

/** A dot path through objects and lists (`a.list.1.b`); `found` is false for a missing or null value. */
export function readDotPath(root: unknown, path: string): PathLookup {
  let current = root;
  for (const segment of path.split('.')) {
    if (Array.isArray(current) && /^\d+$/.test(segment)) current = current[Number(segment)];
    else if (isJsonObject(current) && Object.hasOwn(current, segment)) current = current[segment];
    else return NOT_FOUND;
  }
  return current === undefined || current === null ? NOT_FOUND : { found: true, value: current };
}

/**
 * Sets `value` at every existing location `path` names (JSONPath or dot path). Answers how many
 * locations were written; a path that names nothing writes nothing.
 */
export function setExistingPath(root: Record<string, unknown>, path: string, value: unknown): number {
  const pointers = PLAIN_DOT_PATH.test(path) && readDotPath(root, path).found ? [dotPathPointer(path)] : evaluate(root, path, 'pointer');
  let written = 0;
  for (const pointer of pointers) {
    if (typeof pointer !== 'string' || pointer === '') continue;
    setAtPointer(root, pointer, structuredClone(value));
    written += 1;
  }
  return written;
}

/**
 * Sets `value` at a dot path (`ext.ml_inference.answer`, also with a leading `$.`), creating the
 * objects on the way, as ML Commons' prepareNestedStructures does for search extensions.
 */
export function setCreatingPath(root: Record<string, unknown>, path: string, value: unknown): void {
  const segments = (path.startsWith('$.') ? path.slice(2) : path).split('.');
  let container: Record<string, unknown> = root;
  for (const segment of segments.slice(0, -1)) {
    assertSafeSegment(segment, path);
    const next = container[segment];
    if (!isJsonObject(next)) container[segment] = {};
    container = container[segment] as Record<string, unknown>;
  }
  const last = segments[segments.length - 1] ?? '';
  assertSafeSegment(last, path);
  container[last] = structuredClone(value);
}

function evaluate(root: unknown, path: string, resultType: 'value' | 'pointer'): unknown[] {
  // jsonpath-plus matches nothing in a null document; Jayway would too for any non-root path.
  if (root === null || root === undefined) return [];
  try {
    const found: unknown = JSONPath({ path: toJsonPath(path), json: root as object, wrap: true, resultType });
    return Array.isArray(found) ? found : [];
  } catch {
    // An expression jsonpath-plus cannot evaluate matches nothing, as SUPPRESS_EXCEPTIONS reads do.
    return [];
  }
}

function dotPathPointer(path: string): string {
  return `/${path.split('.').map((segment) => segment.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;
}

function setAtPointer(root: Record<string, unknown>, pointer: string, value: unknown): void {
  const segments = pointer.slice(1).split('/').map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'));
  let container: unknown = root;
  for (const segment of segments.slice(0, -1)) {
    container = Array.isArray(container) ? container[Number(segment)] : (container as Record<string, unknown>)[segment];
  }
  const last = segments[segments.length - 1] ?? '';
  assertSafeSegment(last, pointer);
  if (Array.isArray(container)) container[Number(last)] = value;
  else if (isJsonObject(container)) container[last] = value;
}

function assertSafeSegment(segment: string, path: string): void {
  // Writing `__proto__` into a plain object would replace its prototype instead of adding a key.
  if (segment === '__proto__') throw illegalArgument(`Illegal key [${segment}] in path [${path}]`);
}
