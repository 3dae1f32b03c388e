/**
 * The k-NN plugin's `knn` query, by brute force. Before a query reaches the evaluator in
 * `src/query` (which has no `knn`), every `knn` clause, wherever it sits in `bool`,
 * `constant_score`, `dis_max`, `boosting` or `nested`, is evaluated here over the index's
 * searchable documents and replaced by an equivalent clause the evaluator does know: a `dis_max`
 * of one `constant_score` per neighbour, scoring exactly the neighbour's k-NN score (OpenSearch's
 * score for the field's space: `(1 + cosine) / 2` for `cosinesimil`). So `bool` composition,
 * sorting, paging and `_source` all come from the evaluator.
 */
import { compileQuery, type FieldMapping } from '../../../src/query/index.js';
import type { IndexState, StoredDocument } from './indices.js';
import { settingText } from './index-settings.js';
import { isJsonObject, readPath, type JsonObject } from './json.js';
import { parseKnn, type KnnRequest } from './knn-clause.js';
import { PLUGIN_QUERIES, refusePluginQueries, unknownQuery } from './plugin-queries.js';
import { rankFeatureClause } from './rank-features.js';
import { shardQueryFailure } from './shard-failures.js';
import { compareVectors, isVector, vectorField } from './vector-fields.js';

/** What a `knn` clause is evaluated against. */
export interface KnnScope {
  readonly index: IndexState;
  /** The searchable documents, in index order. */
  readonly documents: readonly StoredDocument[];
  readonly mapping: FieldMapping;
}

const rewriteEach = (value: unknown, scope: KnnScope): unknown =>
  Array.isArray(value) ? value.map((item) => rewriteKnn(item, scope)) : rewriteKnn(value, scope);

function rewriteKeys(body: JsonObject, keys: readonly string[], scope: KnnScope): JsonObject {
  const out: JsonObject = { ...body };
  for (const key of keys) if (out[key] !== undefined) out[key] = rewriteEach(out[key], scope);
  return out;
}

/**
 * Replaces every `knn` clause of `query` by a clause scoring exactly its nearest neighbours, and
 * every `rank_feature` clause by one scoring its feature function (rank-features.ts).
 */
export function rewriteKnn(query: unknown, scope: KnnScope): unknown {
  if (!isJsonObject(query)) return query;
  const entries = Object.entries(query);
  const [entry] = entries;
  if (entry === undefined || entries.length !== 1) return query;
  const [name, body] = entry;
  if (PLUGIN_QUERIES.has(name)) throw unknownQuery(name);
  if (name === 'knn') return neighboursClause(parseKnn(body), scope);
  if (name === 'rank_feature') return rankFeatureClause(body, scope);
  if (!isJsonObject(body)) return query;
  switch (name) {
    case 'bool':
      return { bool: rewriteKeys(body, ['must', 'should', 'filter', 'must_not'], scope) };
    case 'constant_score':
      return { constant_score: rewriteKeys(body, ['filter'], scope) };
    case 'dis_max':
      return { dis_max: rewriteKeys(body, ['queries'], scope) };
    case 'boosting':
      return { boosting: rewriteKeys(body, ['positive', 'negative'], scope) };
    case 'nested':
      return { nested: rewriteKeys(body, ['query'], scope) };
    default:
      return query;
  }
}

interface Neighbour {
  readonly id: string;
  readonly score: number;
  readonly distance: number;
}

/** The k-NN hits of one clause, best first. */
export function nearestNeighbours(request: KnnRequest, scope: KnnScope): Neighbour[] {
  const { index } = scope;
  const field = vectorField(
    index.mappings,
    request.field,
    settingText(index.settings, 'index.knn.space_type'),
  );
  if (field === undefined)
    throw shardQueryFailure(index, `Field '${request.field}' is not knn_vector type.`);
  if (request.vector.length !== field.dimension) {
    throw shardQueryFailure(
      index,
      `Query vector has invalid dimension: ${request.vector.length}. Dimension should be: ${field.dimension}`,
    );
  }
  if (field.spaceType === 'cosinesimil' && request.vector.every((n) => n === 0)) {
    throw shardQueryFailure(
      index,
      'zero vector is not supported when space type is [cosinesimil]',
    );
  }
  refusePluginQueries(request.filter);
  const filter =
    request.filter === undefined
      ? null
      : compileQuery(request.filter, scope.mapping, { index: index.name });
  const found: Neighbour[] = [];
  for (const document of scope.documents) {
    if (filter !== null && !filter.matches(document)) continue;
    const stored = readPath(document.source, request.field);
    if (!isVector(stored) || stored.length !== field.dimension) continue;
    const compared = compareVectors(field.spaceType, request.vector, stored);
    if (compared === null) continue;
    found.push({
      id: document.id,
      score: Math.fround(compared.score),
      distance: compared.distance,
    });
  }
  found.sort((a, b) => b.score - a.score);
  if (request.k !== undefined) return found.slice(0, request.k);
  const { minScore, maxDistance } = request;
  if (minScore !== undefined) return found.filter((n) => n.score >= minScore);
  return found.filter((n) => maxDistance === undefined || n.distance <= maxDistance);
}

function neighboursClause(request: KnnRequest, scope: KnnScope): JsonObject {
  const neighbours = nearestNeighbours(request, scope);
  if (neighbours.length === 0) return { match_none: {} };
  return {
    dis_max: {
      queries: neighbours.map((n) => ({
        constant_score: { filter: { ids: { values: [n.id] } }, boost: n.score * request.boost },
      })),
    },
  };
}
