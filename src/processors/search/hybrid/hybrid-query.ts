import { illegalArgument, OpenSearchError } from '../../../errors/opensearch-error.js';
import { isJsonObject } from '../../../util/json.js';
import { visitClauses } from '../query-tree.js';

type JsonObject = Record<string, unknown>;

/** HybridQueryBuilder.MAX_NUMBER_OF_SUB_QUERIES. */
export const MAX_SUB_QUERIES = 5;

/** A validated `hybrid` clause (HybridQueryBuilder.fromXContent). */
export interface HybridQuery {
  readonly queries: readonly JsonObject[];
  readonly filter?: JsonObject;
  readonly paginationDepth?: number;
}

const NAME = 'hybrid';

/** Validates a `hybrid` clause's value with neural-search's messages. */
export function parseHybridQuery(value: unknown): HybridQuery {
  if (!isJsonObject(value)) throw parsingException(`[${NAME}] query malformed, no start_object after query name`);
  let queries: JsonObject[] = [];
  let filter: JsonObject | undefined;
  let paginationDepth: number | undefined;
  for (const [field, inner] of Object.entries(value)) {
    switch (field) {
      case 'queries':
        queries = parseQueries(inner);
        break;
      case 'filter':
        if (!isJsonObject(inner)) throw parsingException(`[${NAME}] query's [filter] field must be a query object`);
        filter = inner;
        break;
      case 'pagination_depth':
        paginationDepth = integer(inner, field);
        break;
      case 'boost':
        // Score normalization replaces boosting; only the neutral boost is accepted.
        if (Number(inner) !== 1) throw parsingException(`[${NAME}] query does not support [boost]`);
        break;
      case '_name':
        break;
      case 'mode':
        if (inner !== 'pipeline') throw parsingException(`[${NAME}] query [mode] must be [pipeline] here (fused mode is not available through the sidecar), got [${String(inner)}]`);
        break;
      default:
        throw parsingException(`Field is not supported by [${NAME}] query`);
    }
  }
  if (queries.length === 0) throw parsingException(`[${NAME}] requires 'queries' field with at least one clause`);
  return { queries, ...(filter === undefined ? {} : { filter }), ...(paginationDepth === undefined ? {} : { paginationDepth }) };
}

function parseQueries(value: unknown): JsonObject[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length > MAX_SUB_QUERIES) throw parsingException(`Number of sub-queries exceeds maximum supported by [${NAME}] query`);
  return list.map((query) => {
    if (!isJsonObject(query)) throw parsingException(`[${NAME}] query malformed, [queries] must hold query objects`);
    return query;
  });
}

/**
 * Pushes every `hybrid` clause's `filter` into its sub-queries, as HybridQueryBuilder does when it
 * parses the clause: a `bool` gains a filter clause, a `knn` or `neural` clause merges it into its
 * own `filter`, anything else becomes `bool: {must: [query], filter: [filter]}`. Done before the
 * neural rewrites, so each sub-query is filtered the way neural-search filters it.
 */
export function pushDownHybridFilters(body: JsonObject): void {
  visitClauses(body, (clause) => {
    const hybrid = clause[NAME];
    if (!isJsonObject(hybrid) || !isJsonObject(hybrid['filter'])) return;
    const filter = hybrid['filter'];
    const queries = Array.isArray(hybrid['queries']) ? hybrid['queries'] : [hybrid['queries']];
    hybrid['queries'] = queries.map((query) => (isJsonObject(query) ? withFilter(query, filter) : query));
    delete hybrid['filter'];
  });
}

/** QueryBuilder.filter(filter) for one clause. */
export function withFilter(query: JsonObject, filter: JsonObject): JsonObject {
  const [type, inner] = Object.entries(query)[0] ?? [];
  if (type === 'bool' && isJsonObject(inner)) {
    const existing = inner['filter'];
    const filters = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];
    return { bool: { ...inner, filter: [...filters, structuredClone(filter)] } };
  }
  if ((type === 'knn' || type === 'neural') && isJsonObject(inner)) {
    const [field, parameters] = Object.entries(inner)[0] ?? [];
    if (field !== undefined && isJsonObject(parameters)) {
      const own = parameters['filter'];
      const merged = isJsonObject(own) ? withFilter(own, filter) : structuredClone(filter);
      return { [type]: { ...inner, [field]: { ...parameters, filter: merged } } };
    }
  }
  return { bool: { must: [query], filter: [structuredClone(filter)] } };
}

/** The top-level `hybrid` clause of a search body, if its query is one. */
export function topLevelHybrid(body: JsonObject): unknown {
  const query = body['query'];
  return isJsonObject(query) && Object.keys(query).length === 1 && Object.hasOwn(query, NAME) ? query[NAME] : undefined;
}

/** Refuses a `hybrid` clause anywhere but at the top of the query (HybridQueryPhaseSearcher). */
export function checkHybridPlacement(body: JsonObject): void {
  const topLevel = topLevelHybrid(body);
  visitClauses(body, (clause) => {
    if (Object.hasOwn(clause, NAME) && clause[NAME] !== topLevel) {
      throw illegalArgument('hybrid query must be a top level query and cannot be wrapped into other queries');
    }
  });
}

function integer(value: unknown, field: string): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number)) throw parsingException(`[${NAME}] failed to parse field [${field}]`);
  return number;
}

function parsingException(reason: string): OpenSearchError {
  return new OpenSearchError({ status: 400, type: 'parsing_exception', reason });
}
