/**
 * Index mappings: validating a `mappings` body the way OpenSearch's mapper does (unknown root
 * parameters, unknown field types, `knn_vector` without `dimension`), merging `PUT _mapping`
 * updates (a new `_meta` replaces the old; a field cannot change type), and converting a stored
 * mapping into the query evaluator's `FieldMapping` (with `dynamic` and disabled objects).
 */
import type { FieldDefinition, FieldMapping, FieldType } from '../../../src/query/index.js';
import { isJsonObject, type JsonObject } from './json.js';
import { dynamicOf, mappingFailure, normaliseMapping } from './mapping-options.js';
import { illegalArgument } from './responses.js';

const ROOT_PARAMETERS = new Set([
  'properties',
  'dynamic',
  '_source',
  '_meta',
  '_routing',
  'dynamic_templates',
  'date_detection',
  'numeric_detection',
  'enabled',
  '_field_names',
  'dynamic_date_formats',
  'derived',
]);

const EVALUATED_TYPES: ReadonlySet<FieldType> = new Set<FieldType>([
  'text',
  'keyword',
  'long',
  'integer',
  'short',
  'byte',
  'float',
  'half_float',
  'double',
  'scaled_float',
  'date',
  'boolean',
  'binary',
  'object',
  'flat_object',
  'nested',
]);

const OTHER_TYPES = new Set([
  'knn_vector',
  'match_only_text',
  'wildcard',
  'constant_keyword',
  'unsigned_long',
  'date_nanos',
  'ip',
  'geo_point',
  'geo_shape',
  'xy_point',
  'xy_shape',
  'rank_feature',
  'rank_features',
  'token_count',
  'completion',
  'search_as_you_type',
  'alias',
  'join',
  'percolator',
  'integer_range',
  'long_range',
  'float_range',
  'double_range',
  'date_range',
  'ip_range',
  'semantic',
  'sparse_vector',
  'star_tree',
]);

/** The largest `dimension` the k-NN plugin accepts. */
export const MAX_VECTOR_DIMENSION = 16_000;

const isEvaluatedType = (type: string): type is FieldType =>
  (EVALUATED_TYPES as ReadonlySet<string>).has(type);

function validateProperties(properties: unknown, prefix: string): void {
  if (!isJsonObject(properties))
    throw mappingFailure(`Expected map for property [properties] on field [${prefix || '_doc'}]`);
  for (const [name, definition] of Object.entries(properties)) {
    const path = prefix === '' ? name : `${prefix}.${name}`;
    if (!isJsonObject(definition))
      throw mappingFailure(`Expected map for property [fields] on field [${path}]`);
    const type = definition['type'];
    if (type === undefined) {
      if (definition['properties'] === undefined)
        throw mappingFailure(`No type specified for field [${name}]`);
    } else if (typeof type !== 'string' || (!isEvaluatedType(type) && !OTHER_TYPES.has(type))) {
      throw mappingFailure(`No handler for type [${String(type)}] declared on field [${name}]`);
    }
    if (type === 'knn_vector') validateVectorField(definition, name);
    if (definition['properties'] !== undefined) validateProperties(definition['properties'], path);
  }
}

function validateVectorField(definition: JsonObject, name: string): void {
  const dimension = definition['dimension'];
  if (dimension === undefined) throw mappingFailure(`Dimension value missing for vector: ${name}`);
  if (typeof dimension !== 'number' || !Number.isInteger(dimension) || dimension <= 0) {
    throw mappingFailure(
      `Unable to parse [dimension] from provided value [${String(dimension)}] for vector [${name}]`,
    );
  }
  if (dimension > MAX_VECTOR_DIMENSION) {
    throw mappingFailure(
      `Dimension value cannot be greater than ${MAX_VECTOR_DIMENSION} for vector: ${name}`,
    );
  }
}

/** Validates a `mappings` body; returns it (a copy) or throws OpenSearch's 400. */
export function validateMappings(body: unknown): JsonObject {
  if (!isJsonObject(body)) throw mappingFailure('Expected map for property [mappings]');
  const unknown = Object.keys(body).filter((key) => !ROOT_PARAMETERS.has(key));
  if (unknown.length > 0) {
    const listed = unknown.map((key) => `${key} : ${JSON.stringify(body[key])}`).join(', ');
    throw mappingFailure(`Root mapping definition has unsupported parameters:  [${listed}]`);
  }
  if (body['properties'] !== undefined) validateProperties(body['properties'], '');
  return normaliseMapping(body);
}

/** Merges a `PUT _mapping` body into `current`; a changed field type is OpenSearch's 400. */
export function mergeMappings(current: JsonObject, update: JsonObject): JsonObject {
  const merged: JsonObject = { ...current, ...update };
  const before = isJsonObject(current['properties']) ? current['properties'] : {};
  const after = isJsonObject(update['properties']) ? update['properties'] : {};
  merged['properties'] = mergeProperties(before, after, '');
  return normaliseMapping(merged);
}

function mergeProperties(before: JsonObject, after: JsonObject, prefix: string): JsonObject {
  const out: JsonObject = { ...before };
  for (const [name, definition] of Object.entries(after)) {
    const existing = before[name];
    const path = prefix === '' ? name : `${prefix}.${name}`;
    if (!isJsonObject(existing) || !isJsonObject(definition)) {
      out[name] = definition;
      continue;
    }
    const oldType = existing['type'] ?? 'object';
    const newType = definition['type'] ?? 'object';
    const objectLike = (type: unknown): boolean => type === 'object' || type === 'nested';
    if (objectLike(oldType) && !objectLike(newType))
      throw illegalArgument(`can't merge a non object mapping [${path}] with an object mapping`);
    if (objectLike(oldType) && objectLike(newType) && oldType !== newType) {
      const [from, to] = oldType === 'nested' ? ['nested', 'non-nested'] : ['non-nested', 'nested'];
      throw illegalArgument(`object mapping [${path}] can't be changed from ${from} to ${to}`);
    }
    if (oldType !== newType) {
      throw illegalArgument(
        `mapper [${path}] cannot be changed from type [${String(oldType)}] to [${String(newType)}]`,
      );
    }
    const nested =
      isJsonObject(existing['properties']) && isJsonObject(definition['properties'])
        ? { properties: mergeProperties(existing['properties'], definition['properties'], path) }
        : {};
    out[name] = { ...existing, ...definition, ...nested };
  }
  return out;
}

function toDefinition(raw: unknown): FieldDefinition {
  if (!isJsonObject(raw)) return {};
  const type = raw['type'];
  const properties = isJsonObject(raw['properties']) ? toProperties(raw['properties']) : undefined;
  const fields = isJsonObject(raw['fields']) ? toProperties(raw['fields']) : undefined;
  const ignoreAbove = typeof raw['ignore_above'] === 'number' ? raw['ignore_above'] : undefined;
  const format = typeof raw['format'] === 'string' ? raw['format'] : undefined;
  const dynamic = dynamicOf(raw['dynamic']);
  return {
    ...(raw['enabled'] === false ? { enabled: false } : {}),
    ...(dynamic === undefined ? {} : { dynamic }),
    // Types the evaluator does not know (knn_vector, ip...) are left untyped: never matched.
    ...(typeof type === 'string' && isEvaluatedType(type) ? { type } : {}),
    ...(properties === undefined ? {} : { properties }),
    ...(fields === undefined ? {} : { fields }),
    ...(ignoreAbove === undefined ? {} : { ignore_above: ignoreAbove }),
    ...(format === undefined ? {} : { format }),
  };
}

function toProperties(raw: JsonObject): Record<string, FieldDefinition> {
  const out: Record<string, FieldDefinition> = {};
  for (const [name, definition] of Object.entries(raw)) out[name] = toDefinition(definition);
  return out;
}

/** The evaluator's view of a stored mapping. */
export function toFieldMapping(mappings: JsonObject): FieldMapping {
  const properties = mappings['properties'];
  const dynamic = dynamicOf(mappings['dynamic']);
  return {
    properties: isJsonObject(properties) ? toProperties(properties) : {},
    ...(dynamic === undefined ? {} : { dynamic }),
  };
}
