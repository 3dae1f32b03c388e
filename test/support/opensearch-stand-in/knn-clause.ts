/**
 * Parsing a `knn` clause as the k-NN plugin's KNNQueryBuilder does: one vector field with a
 * non-empty `vector` and exactly one of `k`, `min_score` or `max_distance`; `filter` and `boost`
 * optional; engine tuning options (`method_parameters`, `rescore`...) accepted and ignored.
 */
import { isJsonObject, type JsonObject } from './json.js';
import { illegalArgument, parsingException } from './responses.js';
import { isVector } from './vector-fields.js';

/** A parsed `knn` clause. */
export interface KnnRequest {
  readonly field: string;
  readonly vector: number[];
  readonly k?: number;
  readonly minScore?: number;
  readonly maxDistance?: number;
  readonly filter?: unknown;
  readonly boost: number;
}

const KNN_OPTIONS = new Set([
  'vector',
  'k',
  'filter',
  'min_score',
  'max_distance',
  'boost',
  '_name',
  'method_parameters',
  'rescore',
  'expand_nested_docs',
]);

/** The largest `k` the k-NN plugin accepts. */
export const MAX_K = 10_000;

const optionalNumber = (options: JsonObject, key: string): number | undefined => {
  const value = options[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number') throw parsingException(`[knn] failed to parse field [${key}]`);
  return value;
};

/** Parses the body of a `knn` clause; throws OpenSearch's 400s. */
export function parseKnn(body: unknown): KnnRequest {
  if (!isJsonObject(body))
    throw parsingException('[knn] query malformed, no start_object after query name');
  const [field, second] = Object.keys(body);
  if (field === undefined)
    throw parsingException('[knn] query malformed, no field after start_object');
  if (second !== undefined) {
    throw parsingException(
      `[knn] query doesn't support multiple fields, found [${field}] and [${second}]`,
    );
  }
  const options = body[field];
  if (!isJsonObject(options))
    throw parsingException('[knn] query malformed, no start_object after field name');
  for (const key of Object.keys(options)) {
    if (!KNN_OPTIONS.has(key)) throw parsingException(`[knn] query does not support [${key}]`);
  }
  const vector = options['vector'];
  if (!Array.isArray(vector) || vector.length === 0)
    throw illegalArgument('[knn] query vector is empty');
  if (!isVector(vector)) throw parsingException('[knn] failed to parse field [vector]');
  const k = optionalNumber(options, 'k');
  const minScore = optionalNumber(options, 'min_score');
  const maxDistance = optionalNumber(options, 'max_distance');
  const given = [k, minScore, maxDistance].filter((v) => v !== undefined).length;
  if (given !== 1)
    throw illegalArgument('[knn] requires exactly one of k, distance or score to be set');
  if (k !== undefined && (!Number.isInteger(k) || k <= 0 || k > MAX_K)) {
    throw illegalArgument(`[knn] requires k to be in the range (0, ${MAX_K}]`);
  }
  return {
    field,
    vector,
    boost: optionalNumber(options, 'boost') ?? 1,
    ...(k === undefined ? {} : { k }),
    ...(minScore === undefined ? {} : { minScore }),
    ...(maxDistance === undefined ? {} : { maxDistance }),
    ...(options['filter'] === undefined ? {} : { filter: options['filter'] }),
  };
}
