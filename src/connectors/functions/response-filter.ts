/**
 * The JSONPath step ML Commons runs before a built-in post-process function
 * (ConnectorUtils.processOutput: `JsonPath.read(modelResponse, responseFilter)`, Jayway).
 */
import { JSONPath } from 'jsonpath-plus';
import type { DataType } from './types.js';

// Jayway calls a path "indefinite" when it can match several nodes: a deep scan (`..`), a wildcard,
// a filter, or a bracket with several indexes / names or a slice. Only those return a list.
const INDEFINITE_PATH = /\.\.|\*|\[\s*\?|\[[^\]]*[,:][^\]]*\]/;

/**
 * Reads `path` from a parsed response with Jayway's result shape: an indefinite path (`$.data[*].embedding`)
 * gives the list of matches, a definite one (`$.embedding`) gives the value itself, and a definite
 * path that matches nothing gives `undefined` (where Jayway throws PathNotFoundException).
 */
export function applyResponseFilter(response: unknown, path: string): unknown {
  const indefinite = INDEFINITE_PATH.test(path);
  // jsonpath-plus matches nothing in a null document, not even `$`; Jayway would give null back.
  if (response === null || response === undefined) return indefinite ? [] : undefined;
  const matches = simplePath(path)?.(response) ?? jsonPathMatches(path, response);
  if (indefinite) return matches;
  return matches.length === 0 ? undefined : matches[0];
}

function jsonPathMatches(path: string, response: NonNullable<unknown>): unknown[] {
  const found: unknown = JSONPath({ path, json: response, wrap: true });
  return Array.isArray(found) ? found : [];
}

/** `$` followed by `.name` and `[*]` steps only: the built-in functions' default paths (`$.data[*].embedding`). */
const SIMPLE_PATH = /^\$((?:\.[A-Za-z_][\w]*|\[\*\])*)$/;
const STEP = /\.([A-Za-z_]\w*)|\[\*\]/g;
const MAX_COMPILED_PATHS = 256;
const compiledPaths = new Map<string, ((response: unknown) => unknown[]) | undefined>();

/**
 * A direct evaluator for simple paths, matching jsonpath-plus's results (a name step reads an
 * object's own property, a wildcard lists an array's items or an object's values, nothing else
 * matches); undefined for anything else, and for `.length`, which jsonpath-plus treats specially.
 */
function simplePath(path: string): ((response: unknown) => unknown[]) | undefined {
  if (compiledPaths.has(path)) return compiledPaths.get(path);
  const steps = SIMPLE_PATH.test(path) ? [...path.matchAll(STEP)].map((match) => match[1]) : undefined;
  const evaluate = steps === undefined || steps.includes('length') ? undefined : (response: unknown) => walk([response], steps);
  if (compiledPaths.size >= MAX_COMPILED_PATHS) compiledPaths.clear();
  compiledPaths.set(path, evaluate);
  return evaluate;
}

function walk(nodes: unknown[], steps: ReadonlyArray<string | undefined>): unknown[] {
  let current = nodes;
  for (const name of steps) {
    const next: unknown[] = [];
    for (const node of current) {
      if (typeof node !== 'object' || node === null) continue;
      if (name === undefined) next.push(...(Array.isArray(node) ? node : Object.values(node)));
      else if (!Array.isArray(node) && Object.hasOwn(node, name)) next.push((node as Record<string, unknown>)[name]);
    }
    current = next;
  }
  return current;
}

const dataTypes = new Map<string, DataType>();

/** Every tensor data type, in MLResultDataType's enum order (the order the filter match tries them). */
export const DATA_TYPES: readonly DataType[] = [
  'FLOAT32', 'FLOAT64', 'FLOAT16', 'UINT8', 'INT32', 'INT8', 'INT64', 'BOOLEAN', 'UNKNOWN', 'STRING', 'BINARY', 'UBINARY',
];

/**
 * The tensor data type a response filter names (ConnectorUtils.parseMLResultDataTypeFromResponseFilter):
 * the first enum name that appears after a dot, case-insensitively (`$.embeddings.int8` → INT8).
 * ML Commons returns null when none matches and every function then uses FLOAT32, so this does too.
 */
export function dataTypeFromFilter(path: string): DataType {
  let type = dataTypes.get(path);
  if (type === undefined) {
    const lowerPath = path.toLowerCase();
    type = DATA_TYPES.find((candidate) => lowerPath.includes(`.${candidate.toLowerCase()}`)) ?? 'FLOAT32';
    if (dataTypes.size >= MAX_COMPILED_PATHS) dataTypes.clear();
    dataTypes.set(path, type);
  }
  return type;
}
