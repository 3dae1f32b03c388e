/**
 * Compound clauses: `bool`, `constant_score`, `dis_max`, `boosting`, and the trivial
 * `match_all` / `match_none`. Scores combine as in Lucene: a bool sums its `must` and matching
 * `should` scores (× boost); `filter` and `must_not` never score, so a bool with only those
 * scores 0; an empty bool is match_all (score 1 × boost).
 */
import { badValue, parsingException } from '../errors.js';
import { childPath, expectMap, expectNumber, isJsonMap, tokenName } from '../json.js';
import { minimumShouldMatch, parseMinimumShouldMatch } from '../min-should-match.js';
import { checkKeys, option, readBoost, readName } from '../parse-util.js';
import { NO_MATCH, constantNode, type CompileEnv, type QueryNode } from '../query-node.js';

/** Lucene/OpenSearch `indices.query.bool.max_clause_count` default. */
export const MAX_CLAUSE_COUNT = 1024;

/** `{"match_all": {"boost": b}}`. */
export function compileMatchAll(body: unknown, _env: CompileEnv, path: string): QueryNode {
  const map = expectMap(body, path);
  checkKeys('match_all', map, [], path);
  readName(map, path);
  return constantNode(readBoost(map, path));
}

/** `{"match_none": {}}`. */
export function compileMatchNone(body: unknown, _env: CompileEnv, path: string): QueryNode {
  const map = expectMap(body, path);
  checkKeys('match_none', map, [], path);
  readName(map, path);
  return NO_MATCH;
}

/** One bool occurrence: a single query object or an array of them. */
function compileList(clause: string, raw: unknown, env: CompileEnv, path: string): QueryNode[] {
  if (raw === undefined) return [];
  if (Array.isArray(raw)) return raw.map((q, i) => env.compile(q, childPath(path, i)));
  if (isJsonMap(raw)) return [env.compile(raw, path)];
  throw parsingException(
    `[${clause}] query malformed, no start_object after query name, found [${tokenName(raw)}] at [${path}]`,
  );
}

/** `{"bool": {"must", "filter", "should", "must_not", "minimum_should_match", "boost"}}`. */
export function compileBool(body: unknown, env: CompileEnv, path: string): QueryNode {
  const map = expectMap(body, path);
  checkKeys(
    'bool',
    map,
    ['must', 'filter', 'should', 'must_not', 'minimum_should_match', 'adjust_pure_negative'],
    path,
  );
  readName(map, path);
  const boost = readBoost(map, path);
  const list = (key: string) => compileList('bool', option(map, key), env, childPath(path, key));
  const must = list('must');
  const filter = list('filter');
  const should = list('should');
  const mustNot = list('must_not');
  const total = must.length + filter.length + should.length + mustNot.length;
  if (total > MAX_CLAUSE_COUNT)
    throw badValue(`too_many_clauses: maxClauseCount is set to ${MAX_CLAUSE_COUNT} at [${path}]`);
  if (total === 0) return constantNode(boost);
  const spec = option(map, 'minimum_should_match');
  const explicit =
    spec === undefined
      ? 0
      : minimumShouldMatch(
          should.length,
          parseMinimumShouldMatch(spec, childPath(path, 'minimum_should_match')),
        );
  // Without required clauses a disjunction needs one match whatever minimum_should_match says.
  const required = Math.max(
    explicit,
    must.length + filter.length === 0 && should.length > 0 ? 1 : 0,
  );
  if (required > should.length) return NO_MATCH;
  return {
    evaluate(doc, ctx) {
      let score = 0;
      for (const node of filter) if (node.evaluate(doc, ctx) === null) return null;
      for (const node of mustNot) if (node.evaluate(doc, ctx) !== null) return null;
      for (const node of must) {
        const s = node.evaluate(doc, ctx);
        if (s === null) return null;
        score += s;
      }
      let matched = 0;
      for (const node of should) {
        const s = node.evaluate(doc, ctx);
        if (s === null) continue;
        matched += 1;
        score += s;
      }
      return matched < required ? null : score * boost;
    },
  };
}

/** `{"constant_score": {"filter": q, "boost": b}}`: matches like `q`, scores `b`. */
export function compileConstantScore(body: unknown, env: CompileEnv, path: string): QueryNode {
  const map = expectMap(body, path);
  checkKeys('constant_score', map, ['filter'], path);
  readName(map, path);
  const raw = option(map, 'filter');
  if (raw === undefined)
    throw parsingException(`[constant_score] requires a 'filter' element at [${path}]`);
  const inner = env.compile(raw, childPath(path, 'filter'));
  const boost = readBoost(map, path);
  return { evaluate: (doc, ctx) => (inner.evaluate(doc, ctx) === null ? null : boost) };
}

/** `{"dis_max": {"queries": [...], "tie_breaker": t}}`: best score + t × the others. */
export function compileDisMax(body: unknown, env: CompileEnv, path: string): QueryNode {
  const map = expectMap(body, path);
  checkKeys('dis_max', map, ['queries', 'tie_breaker'], path);
  readName(map, path);
  const raw = option(map, 'queries');
  if (!Array.isArray(raw) || raw.length === 0)
    throw parsingException(
      `[dis_max] requires 'queries' field with at least one clause at [${path}]`,
    );
  const rawTie = option(map, 'tie_breaker');
  const tie = rawTie === undefined ? 0 : expectNumber(rawTie, childPath(path, 'tie_breaker'));
  return disMaxNode(
    raw.map((q, i) => env.compile(q, childPath(childPath(path, 'queries'), i))),
    tie,
    readBoost(map, path),
  );
}

/** Lucene's DisjunctionMaxQuery scoring, shared with `multi_match` best_fields. */
export function disMaxNode(
  nodes: readonly QueryNode[],
  tieBreaker: number,
  boost: number,
): QueryNode {
  return {
    evaluate(doc, ctx) {
      let max: number | null = null;
      let sum = 0;
      for (const node of nodes) {
        const s = node.evaluate(doc, ctx);
        if (s === null) continue;
        sum += s;
        max = max === null ? s : Math.max(max, s);
      }
      return max === null ? null : (max + tieBreaker * (sum - max)) * boost;
    },
  };
}

/** `{"boosting": {"positive": q, "negative": q, "negative_boost": f}}`. */
export function compileBoosting(body: unknown, env: CompileEnv, path: string): QueryNode {
  const map = expectMap(body, path);
  checkKeys('boosting', map, ['positive', 'negative', 'negative_boost'], path);
  readName(map, path);
  const need = (key: string) => {
    const raw = option(map, key);
    if (raw === undefined)
      throw parsingException(`[boosting] query requires '${key}' at [${path}]`);
    return raw;
  };
  const positive = env.compile(need('positive'), childPath(path, 'positive'));
  const negative = env.compile(need('negative'), childPath(path, 'negative'));
  const factor = expectNumber(need('negative_boost'), childPath(path, 'negative_boost'));
  if (factor < 0)
    throw badValue(`[boosting] query requires 'negative_boost' to be non-negative at [${path}]`);
  const boost = readBoost(map, path);
  return {
    evaluate(doc, ctx) {
      const s = positive.evaluate(doc, ctx);
      if (s === null) return null;
      return (negative.evaluate(doc, ctx) === null ? s : s * factor) * boost;
    },
  };
}
