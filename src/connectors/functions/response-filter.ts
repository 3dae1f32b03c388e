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
  const found: unknown = JSONPath({ path, json: response, wrap: true });
  const matches = Array.isArray(found) ? found : [];
  if (indefinite) return matches;
  return matches.length === 0 ? undefined : matches[0];
}

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
  const lowerPath = path.toLowerCase();
  return DATA_TYPES.find((type) => lowerPath.includes(`.${type.toLowerCase()}`)) ?? 'FLOAT32';
}
