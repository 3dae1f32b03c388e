/**
 * `knn_vector` fields: finding them in a mapping, checking a document's vectors against their
 * `dimension` when it is indexed (OpenSearch's `mapper_parsing_exception`), and the space
 * functions that turn two vectors into a distance and an OpenSearch score.
 */
import { isJsonObject, type JsonObject } from './json.js';
import { mapperParsing } from './responses.js';

/** The k-NN spaces the stand-in scores. */
export type SpaceType = 'cosinesimil' | 'l2' | 'innerproduct';

/** A `knn_vector` field of a mapping. */
export interface VectorField {
  readonly path: string;
  readonly dimension: number;
  readonly spaceType: SpaceType;
}

const SPACES: ReadonlySet<string> = new Set<SpaceType>(['cosinesimil', 'l2', 'innerproduct']);
const isSpace = (value: unknown): value is SpaceType =>
  typeof value === 'string' && SPACES.has(value);

/** The definition of the field at dotted `path` (through object and nested properties). */
export function fieldDefinition(mappings: JsonObject, path: string): JsonObject | undefined {
  return lookup(mappings['properties'], path.split('.'));
}

function lookup(properties: unknown, segments: readonly string[]): JsonObject | undefined {
  if (!isJsonObject(properties)) return undefined;
  // A property may itself be named with dots; prefer the longest literal match.
  for (let end = segments.length; end > 0; end -= 1) {
    const name = segments.slice(0, end).join('.');
    const definition = Object.hasOwn(properties, name) ? properties[name] : undefined;
    if (!isJsonObject(definition)) continue;
    if (end === segments.length) return definition;
    const found = lookup(definition['properties'], segments.slice(end));
    if (found !== undefined) return found;
  }
  return undefined;
}

function toVectorField(
  path: string,
  definition: JsonObject,
  fallbackSpace: string | undefined,
): VectorField {
  const method = definition['method'];
  const declared =
    definition['space_type'] ?? (isJsonObject(method) ? method['space_type'] : undefined);
  const space = isSpace(declared)
    ? declared
    : isSpace(fallbackSpace)
      ? fallbackSpace
      : 'cosinesimil';
  const dimension = definition['dimension'];
  return { path, dimension: typeof dimension === 'number' ? dimension : 0, spaceType: space };
}

/** The `knn_vector` field at `path`, or undefined when the field is missing or of another type. */
export function vectorField(
  mappings: JsonObject,
  path: string,
  fallbackSpace?: string,
): VectorField | undefined {
  const definition = fieldDefinition(mappings, path);
  if (definition === undefined || definition['type'] !== 'knn_vector') return undefined;
  return toVectorField(path, definition, fallbackSpace);
}

/** Every `knn_vector` field of a mapping. */
export function vectorFields(mappings: JsonObject, prefix = ''): VectorField[] {
  const properties = mappings['properties'];
  if (!isJsonObject(properties)) return [];
  return Object.entries(properties).flatMap(([name, definition]) => {
    if (!isJsonObject(definition)) return [];
    const path = prefix === '' ? name : `${prefix}.${name}`;
    if (definition['type'] === 'knn_vector') return [toVectorField(path, definition, undefined)];
    return vectorFields(definition, path);
  });
}

/** Every value at dotted `path`, descending through objects and arrays of objects. */
export function valuesAt(source: unknown, path: string): unknown[] {
  if (Array.isArray(source))
    return source.flatMap((item) => (isJsonObject(item) ? valuesAt(item, path) : []));
  if (!isJsonObject(source)) return [];
  if (Object.hasOwn(source, path)) return [source[path]];
  const found: unknown[] = [];
  for (let at = path.indexOf('.'); at !== -1; at = path.indexOf('.', at + 1)) {
    const head = path.slice(0, at);
    if (Object.hasOwn(source, head)) found.push(...valuesAt(source[head], path.slice(at + 1)));
  }
  return found;
}

/** True for a non-empty array of finite numbers. */
export const isVector = (value: unknown): value is number[] =>
  Array.isArray(value) &&
  value.length > 0 &&
  value.every((n) => typeof n === 'number' && Number.isFinite(n));

const javaFloat = (n: unknown): string =>
  typeof n === 'number' && Number.isInteger(n) ? `${n}.0` : String(n);

/** Throws OpenSearch's 400 when a document's vector does not fit its `knn_vector` field. */
export function validateDocumentVectors(
  mappings: JsonObject,
  id: string,
  source: JsonObject,
): void {
  for (const field of vectorFields(mappings)) {
    for (const value of valuesAt(source, field.path)) {
      if (value === null) continue;
      const given = Array.isArray(value) ? value.length : 1;
      const preview = Array.isArray(value) ? `[${value.map(javaFloat).join(', ')}]` : String(value);
      const fail = (reason: string): never => {
        throw mapperParsing(
          `failed to parse field [${field.path}] of type [knn_vector] in document with id '${id}'. Preview of field's value: '${preview}'`,
          { type: 'illegal_argument_exception', reason },
        );
      };
      if (!isVector(value)) fail('Vector values must be finite numbers');
      if (given !== field.dimension)
        fail(`Vector dimension mismatch. Expected: ${field.dimension}, Given: ${given}`);
    }
  }
}

/** The distance between two vectors in `space` (lower is closer) and OpenSearch's score for it. */
export function compareVectors(
  space: SpaceType,
  query: readonly number[],
  stored: readonly number[],
): { distance: number; score: number } | null {
  let dot = 0;
  let queryNorm = 0;
  let storedNorm = 0;
  let squared = 0;
  for (let i = 0; i < query.length; i += 1) {
    const q = query[i] ?? 0;
    const s = stored[i] ?? 0;
    dot += q * s;
    queryNorm += q * q;
    storedNorm += s * s;
    squared += (q - s) * (q - s);
  }
  if (space === 'l2') return { distance: squared, score: 1 / (1 + squared) };
  if (space === 'innerproduct') {
    return { distance: -dot, score: dot >= 0 ? dot + 1 : 1 / (1 - dot) };
  }
  if (queryNorm === 0 || storedNorm === 0) return null;
  const cosine = dot / (Math.sqrt(queryNorm) * Math.sqrt(storedNorm));
  return { distance: 1 - cosine, score: (1 + cosine) / 2 };
}
