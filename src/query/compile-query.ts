/**
 * Compiles a query DSL object into a `QueryNode` tree once, validating every clause up front.
 * A query object must have exactly one clause key. Clauses OpenSearch knows but this service does
 * not implement are a 400 listing what is supported; unknown names are OpenSearch's
 * "unknown query [x]". Clause names are looked up in a Map, never on an object.
 */
import {
  compileBool,
  compileBoosting,
  compileConstantScore,
  compileDisMax,
  compileMatchAll,
  compileMatchNone,
} from './clauses/compound.js';
import { compileExists } from './clauses/exists.js';
import { compileMatch, compileMatchPhrase } from './clauses/match.js';
import { compileMultiMatch } from './clauses/multi-match.js';
import { compileNested } from './clauses/nested.js';
import { compileRange } from './clauses/range.js';
import {
  compileIds,
  compilePrefix,
  compileTerm,
  compileTerms,
  compileWildcard,
} from './clauses/term-level.js';
import { badValue, parsingException } from './errors.js';
import type { FieldMapping } from './field-mapping.js';
import { childPath, isJsonMap, tokenName } from './json.js';
import type { CompileEnv, QueryNode } from './query-node.js';
import { resolveField, type ResolvedField } from './resolve-field.js';

type ClauseCompiler = (body: unknown, env: CompileEnv, path: string) => QueryNode;

const CLAUSES = new Map<string, ClauseCompiler>([
  ['match_all', compileMatchAll],
  ['match_none', compileMatchNone],
  ['bool', compileBool],
  ['constant_score', compileConstantScore],
  ['dis_max', compileDisMax],
  ['boosting', compileBoosting],
  ['term', compileTerm],
  ['terms', compileTerms],
  ['ids', compileIds],
  ['exists', compileExists],
  ['prefix', compilePrefix],
  ['wildcard', compileWildcard],
  ['range', compileRange],
  ['match', compileMatch],
  ['match_phrase', compileMatchPhrase],
  ['multi_match', compileMultiMatch],
  ['nested', compileNested],
]);

/** Clause names this service evaluates. */
export const SUPPORTED_CLAUSES: readonly string[] = [...CLAUSES.keys()].sort();

/** Clauses OpenSearch (with its bundled plugins) knows but this service does not evaluate. */
export const UNSUPPORTED_CLAUSES: readonly string[] = [
  'query_string',
  'simple_query_string',
  'fuzzy',
  'regexp',
  'match_bool_prefix',
  'match_phrase_prefix',
  'combined_fields',
  'intervals',
  'terms_set',
  'more_like_this',
  'script',
  'script_score',
  'function_score',
  'distance_feature',
  'rank_feature',
  'percolate',
  'wrapper',
  'pinned',
  'has_child',
  'has_parent',
  'parent_id',
  'geo_shape',
  'geo_bounding_box',
  'geo_distance',
  'geo_polygon',
  'xy_shape',
  'shape',
  'knn',
  'neural',
  'neural_sparse',
  'hybrid',
  'template',
  'type',
  'span_term',
  'span_first',
  'span_near',
  'span_or',
  'span_not',
  'span_containing',
  'span_within',
  'span_multi',
  'field_masking_span',
];
const UNSUPPORTED = new Set(UNSUPPORTED_CLAUSES);

/** Nesting beyond this many compound levels is refused (keeps recursion bounded). */
export const MAX_QUERY_DEPTH = 32;

/** Options for `compileQuery`. */
export interface CompileOptions {
  /** Epoch millis that `now` means in date math (default: the time of compilation). */
  readonly now?: number;
}

/** Compiles `query` (found at body path `path`) against `mapping`; throws a 400 on any problem. */
export function compileNode(
  query: unknown,
  mapping: FieldMapping,
  path = 'query',
  options: CompileOptions = {},
): QueryNode {
  const fields = new Map<string, ResolvedField>();
  let depth = 0;
  const env: CompileEnv = {
    mapping,
    now: options.now ?? Date.now(),
    field(name) {
      let field = fields.get(name);
      if (field === undefined) {
        field = resolveField(mapping, name);
        fields.set(name, field);
      }
      return field;
    },
    compile(inner, innerPath) {
      if (++depth > MAX_QUERY_DEPTH)
        throw badValue(`query is nested deeper than [${MAX_QUERY_DEPTH}] levels at [${innerPath}]`);
      try {
        return compileClause(inner, env, innerPath);
      } finally {
        depth -= 1;
      }
    },
  };
  return env.compile(query, path);
}

function compileClause(query: unknown, env: CompileEnv, path: string): QueryNode {
  if (!isJsonMap(query)) {
    throw parsingException(
      `[_na] query malformed, must start with start_object, found [${tokenName(query)}] at [${path}]`,
    );
  }
  const [name, second] = Object.keys(query);
  if (name === undefined)
    throw parsingException(`query malformed, empty clause found at [${path}]`);
  if (second !== undefined) {
    throw parsingException(
      `[${name}] malformed query, expected [END_OBJECT] but found [FIELD_NAME] (a second clause [${second}]) at [${path}]`,
    );
  }
  const compiler = CLAUSES.get(name);
  const clausePath = childPath(path, name);
  if (compiler !== undefined) {
    const body = query[name];
    if (!isJsonMap(body)) {
      throw parsingException(
        `[${name}] query malformed, no start_object after query name, found [${tokenName(body)}] at [${clausePath}]`,
      );
    }
    return compiler(body, env, clausePath);
  }
  if (UNSUPPORTED.has(name)) {
    throw parsingException(
      `query [${name}] is not supported by this service; supported: ${SUPPORTED_CLAUSES.join(', ')} (at [${clausePath}])`,
    );
  }
  throw parsingException(`unknown query [${name}] at [${clausePath}]`);
}
