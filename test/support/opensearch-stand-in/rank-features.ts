/**
 * The mapper-extras `rank_feature` and `rank_features` fields and the `rank_feature` query. Values
 * are stored as Lucene's FeatureField stores them (a positive float kept to 9 significant bits);
 * a query scores boost × f(value) with `linear` (f(v) = v), `saturation` (v / (v + pivot), the
 * default, with the pivot Lucene derives from the index when none is given), `log`
 * (ln(scaling_factor + v)) or `sigmoid` (vᵃ / (vᵃ + pivotᵃ)). Like `knn`, a clause is evaluated
 * here and replaced by a `dis_max` of one `constant_score` per matching document, so `bool`
 * composition, sorting and paging come from the evaluator. A `neural_sparse` query rewritten as a
 * `bool` of `linear` clauses on a `rank_features` field therefore scores the dot product.
 */
import type { StoredDocument } from './indices.js';
import { isJsonObject, readPath, type JsonObject } from './json.js';
import { illegalArgument, mapperParsing, parsingException } from './responses.js';
import { shardQueryFailure } from './shard-failures.js';
import { fieldDefinition } from './vector-fields.js';
import type { KnnScope } from './knn.js';

const FUNCTIONS = ['saturation', 'log', 'sigmoid', 'linear'] as const;
type FunctionName = (typeof FUNCTIONS)[number];
const MIN_NORMAL_FLOAT = 1.1754943508222875e-38;

const bits = new DataView(new ArrayBuffer(4));

/** The term frequency Lucene's FeatureField stores for a value: its float bits without the low 15. */
function encode(value: number): number {
  bits.setFloat32(0, value);
  return bits.getUint32(0) >>> 15;
}

/** The value a stored frequency reads back as (FeatureField.decodeFeatureValue). */
function decode(frequency: number): number {
  bits.setUint32(0, (Math.trunc(frequency) << 15) >>> 0);
  return bits.getFloat32(0);
}

interface RankFeatureQuery {
  readonly field: string;
  readonly boost: number;
  readonly function: FunctionName;
  readonly options: JsonObject;
}

function parseRankFeature(body: unknown): RankFeatureQuery {
  if (!isJsonObject(body)) throw parsingException('[rank_feature] query malformed, no start_object after query name');
  const unknown = Object.keys(body).find((key) => !['field', 'boost', '_name', ...FUNCTIONS].includes(key));
  if (unknown !== undefined) throw parsingException(`[rank_feature] unknown field [${unknown}]`);
  const field = body['field'];
  if (typeof field !== 'string') throw parsingException('Required [field]');
  const given = FUNCTIONS.filter((name) => body[name] !== undefined);
  if (given.length > 1) throw parsingException('[rank_feature] can only have one of [saturation, log, sigmoid, linear]');
  const boost = body['boost'] ?? 1;
  if (typeof boost !== 'number') throw parsingException('[rank_feature] failed to parse field [boost]');
  if (boost < 0) throw illegalArgument('negative [boost] are not allowed.');
  const name = given[0] ?? 'saturation';
  const options = body[name] ?? {};
  if (!isJsonObject(options)) throw parsingException(`[rank_feature] failed to parse field [${name}]`);
  return { field, boost, function: name, options };
}

/** The feature value a document has, already inverted for `positive_score_impact: false`. */
function featureValue(document: StoredDocument, source: { path: string; feature?: string; positive: boolean }): number | undefined {
  const stored = readPath(document.source, source.path);
  const value = source.feature === undefined ? stored : isJsonObject(stored) ? stored[source.feature] : undefined;
  if (typeof value !== 'number' || !(value > 0)) return undefined;
  return decode(encode(source.positive ? value : 1 / value));
}

function resolveField(query: RankFeatureQuery, scope: KnnScope): { path: string; feature?: string; positive: boolean } | undefined {
  const definition = fieldDefinition(scope.index.mappings, query.field);
  const positive = (entry: JsonObject) => entry['positive_score_impact'] !== false;
  if (definition !== undefined) {
    if (definition['type'] === 'rank_feature') return { path: query.field, positive: positive(definition) };
    throw shardQueryFailure(
      scope.index,
      `[rank_feature] query only works on [rank_feature] fields and features of [rank_features] fields, not [${String(definition['type'] ?? 'object')}]`,
    );
  }
  const dot = query.field.lastIndexOf('.');
  if (dot === -1) return undefined;
  const parent = fieldDefinition(scope.index.mappings, query.field.slice(0, dot));
  if (parent?.['type'] !== 'rank_features') return undefined;
  return { path: query.field.slice(0, dot), feature: query.field.slice(dot + 1), positive: positive(parent) };
}

/** Lucene's pivot when none is given: the decoded mean of the stored frequencies. */
function derivedPivot(scope: KnnScope, source: { path: string; feature?: string; positive: boolean }): number {
  const frequencies = scope.documents.flatMap((document) => {
    const value = featureValue(document, source);
    return value === undefined ? [] : [encode(value)];
  });
  if (frequencies.length === 0) return 1;
  return decode(frequencies.reduce((sum, frequency) => sum + frequency, 0) / frequencies.length);
}

function scoreFunction(query: RankFeatureQuery, pivot: () => number): (value: number) => number {
  const number = (key: string, fallback?: number): number => {
    const value = query.options[key] ?? fallback;
    if (typeof value !== 'number') throw parsingException(`[${query.function}] requires [${key}]`);
    return value;
  };
  switch (query.function) {
    case 'linear':
      return (value) => value;
    case 'log': {
      const scalingFactor = number('scaling_factor');
      return (value) => Math.fround(Math.log(scalingFactor + value));
    }
    case 'sigmoid': {
      const exponent = number('exponent');
      const pivotPower = Math.fround(number('pivot') ** exponent);
      return (value) => Math.fround(1 - pivotPower / Math.fround(Math.fround(value ** exponent) + pivotPower));
    }
    case 'saturation': {
      const given = query.options['pivot'];
      const resolved = typeof given === 'number' ? given : pivot();
      return (value) => Math.fround(1 - resolved / Math.fround(value + resolved));
    }
  }
}

/** A `rank_feature` clause as the evaluator can run it: one constant score per matching document. */
export function rankFeatureClause(body: unknown, scope: KnnScope): JsonObject {
  const query = parseRankFeature(body);
  const source = resolveField(query, scope);
  if (source === undefined) return { match_none: {} };
  const score = scoreFunction(query, () => derivedPivot(scope, source));
  const matches = scope.documents.flatMap((document) => {
    const value = featureValue(document, source);
    return value === undefined ? [] : [{ id: document.id, score: Math.fround(query.boost * score(value)) }];
  });
  if (matches.length === 0) return { match_none: {} };
  return {
    dis_max: {
      queries: matches.map((match) => ({ constant_score: { filter: { ids: { values: [match.id] } }, boost: match.score } })),
    },
  };
}

/** Throws OpenSearch's 400 when a document's `rank_features` / `rank_feature` values cannot be indexed. */
export function validateRankFeatures(mappings: JsonObject, id: string, source: JsonObject, prefix = ''): void {
  const properties = isJsonObject(mappings['properties']) ? mappings['properties'] : {};
  for (const [name, definition] of Object.entries(properties)) {
    if (!isJsonObject(definition)) continue;
    const path = prefix === '' ? name : `${prefix}.${name}`;
    const value = readPath(source, path);
    if (value === undefined || value === null) continue;
    const type = definition['type'];
    const fail = (reason: string): never => {
      throw mapperParsing(`failed to parse field [${path}] of type [${String(type)}] in document with id '${id}'. Preview of field's value: '${preview(value)}'`, {
        type: 'illegal_argument_exception',
        reason,
      });
    };
    if (type === 'rank_features') {
      if (!isJsonObject(value)) fail(`[rank_features] fields must be json objects, expected a START_OBJECT but got: ${Array.isArray(value) ? 'START_ARRAY' : 'VALUE'}`);
      for (const [feature, weight] of Object.entries(value as JsonObject)) {
        if (typeof weight !== 'number') fail('[rank_features] fields take hashes that map a feature to a strictly positive float, but got unexpected token VALUE_STRING');
        checkPositive(weight as number, feature, fail);
      }
    } else if (type === 'rank_feature') {
      if (typeof value !== 'number') fail(`[rank_feature] fields do not support indexing multiple values for the same field [${path}] in the same document`);
      checkPositive(value as number, path, fail);
    } else if (definition['properties'] !== undefined) {
      validateRankFeatures(definition, id, source, path);
    }
  }
}

function checkPositive(value: number, feature: string, fail: (reason: string) => never): void {
  if (Number.isFinite(value) && Math.fround(value) >= MIN_NORMAL_FLOAT) return;
  fail(`featureValue must be a positive normal float, got: ${value} for feature: ${feature} which is less than the minimum positive normal float: 1.17549435E-38`);
}

const preview = (value: unknown): string =>
  isJsonObject(value) ? `{${Object.entries(value).map(([key, entry]) => `${key}=${String(entry)}`).join(', ')}}` : String(value);
