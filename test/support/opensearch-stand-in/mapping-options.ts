/**
 * The mapping parameters that decide what gets indexed, read and rendered as OpenSearch's
 * mapper does: `dynamic` (`true`, `false`, `strict`, or their string forms; rendered as a
 * string), `enabled` on objects (a boolean; only `false` is rendered), and an object's `type`
 * and `properties` (the type rendered only without properties, empty properties never).
 * Unknown `dynamic` values are the mapper's 400.
 */
import type { DynamicMapping } from '../../../src/query/index.js';
import { isJsonObject, type JsonObject } from './json.js';
import { OpenSearchFailure } from './responses.js';

const DYNAMIC_VALUES = new Set([
  'true',
  'false',
  'strict',
  'strict_allow_templates',
  'false_allow_templates',
]);

/** 400 `mapper_parsing_exception` for the `_doc` mapping, with its cause as OpenSearch nests it. */
export function mappingFailure(inner: string): OpenSearchFailure {
  const cause = { type: 'mapper_parsing_exception', reason: inner };
  return new OpenSearchFailure(
    400,
    {
      type: 'mapper_parsing_exception',
      reason: `Failed to parse mapping [_doc]: ${inner}`,
      caused_by: cause,
    },
    [cause],
  );
}

function booleanOption(value: unknown, name: string): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw mappingFailure(`Could not convert [${name}] to boolean`);
}

/** `dynamic` as OpenSearch renders it: a lower-case string. */
function dynamicText(value: unknown, path: string): string {
  const text = String(value).toLowerCase();
  if (typeof value === 'object' || !DYNAMIC_VALUES.has(text))
    throw mappingFailure(`Could not convert [${path}.dynamic] to boolean`);
  return text;
}

/** Normalises an object-like definition (the root or an object field) in place. */
function normaliseObject(definition: JsonObject, path: string, isRoot: boolean): void {
  if (definition['dynamic'] !== undefined)
    definition['dynamic'] = dynamicText(definition['dynamic'], path);
  if (definition['enabled'] !== undefined) {
    if (booleanOption(definition['enabled'], `${path}.enabled`)) delete definition['enabled'];
    else definition['enabled'] = false;
  }
  const properties = definition['properties'];
  if (isJsonObject(properties)) {
    for (const [name, child] of Object.entries(properties)) {
      if (!isJsonObject(child)) continue;
      const type = child['type'];
      if (type === undefined || type === 'object' || type === 'nested')
        normaliseObject(child, isRoot ? name : `${path}.${name}`, false);
    }
  }
  const hasProperties = isJsonObject(properties) && Object.keys(properties).length > 0;
  // An object without fields renders no `properties` at all.
  if (properties !== undefined && !hasProperties) delete definition['properties'];
  if (isRoot || definition['type'] === 'nested') return;
  if (hasProperties) delete definition['type'];
  else definition['type'] = 'object';
}

/** The mapping as OpenSearch stores and renders it (a copy). */
export function normaliseMapping(mappings: JsonObject): JsonObject {
  const copy = structuredClone(mappings);
  if (copy['_meta'] !== undefined && !isJsonObject(copy['_meta']))
    throw mappingFailure('[_meta] must be an object');
  normaliseObject(copy, '_doc', true);
  return copy;
}

/** Reads a normalised `dynamic` for the query evaluator. */
export function dynamicOf(value: unknown): DynamicMapping | undefined {
  if (value === undefined) return undefined;
  if (value === 'strict' || value === 'strict_allow_templates') return 'strict';
  return value === 'true' || value === true;
}
