/**
 * `match` and `match_phrase`. On a text field the query is analysed with the standard analyzer
 * and scored with BM25 (see scoring.ts): `match` sums the BM25 of each query token present
 * (`operator` and `minimum_should_match` decide whether enough are present), `match_phrase`
 * scores consecutive occurrences as one phrase. On any other field the query is one exact term
 * with constant score, as OpenSearch turns it into a term query there.
 */
import { analyzeTerms } from '../analyzer.js';
import { parsingException } from '../errors.js';
import { testsFor } from '../field-node.js';
import type { EvalContext } from '../context.js';
import type { EvalDoc, FieldValues } from '../field-values.js';
import { childPath, expectNumber } from '../json.js';
import { minimumShouldMatch } from '../min-should-match.js';
import { longForm, option, singleField } from '../parse-util.js';
import { NO_MATCH, constantNode, type CompileEnv, type QueryNode } from '../query-node.js';
import type { ResolvedField } from '../resolve-field.js';
import { bm25, idf } from '../scoring.js';
import { queryTerm } from '../terms.js';
import { MATCH_KEYS, queryText, readMatchOptions, type MatchOptions } from './match-options.js';

/** Scores one text group: a function of the document's token group, or null if it does not match. */
type TextScorer = (group: FieldValues, doc: EvalDoc, ctx: EvalContext) => number | null;

/** Combines a text scorer (for text values) with exact-term matching (for every other type). */
function fieldNode(
  env: CompileEnv,
  field: ResolvedField,
  text: string,
  options: MatchOptions,
  scoreText: TextScorer,
): QueryNode {
  if (field.kind === 'none' || field.kind === 'object') return NO_MATCH;
  const pick = testsFor(field, (type) => {
    if (type === 'text') return () => false;
    try {
      const wanted = queryTerm(type, text, { field: field.name, now: env.now });
      return (term) => term === wanted;
    } catch (error) {
      if (options.lenient) return () => false;
      throw error;
    }
  });
  return {
    evaluate(doc, ctx) {
      for (const group of ctx.values(field, doc)) {
        if (group.type === 'text') {
          const score = scoreText(group, doc, ctx);
          if (score !== null) return score;
          continue;
        }
        const test = pick(group);
        if (test !== null && group.terms.some(test)) return options.boost;
      }
      return null;
    },
  };
}

const analyze = (text: string, options: MatchOptions): string[] =>
  options.keywordAnalyzer ? [text] : analyzeTerms(text);

/** Builds the node for `match` on one field (also used per field by `multi_match`). */
export function matchNode(
  env: CompileEnv,
  name: string,
  text: string,
  options: MatchOptions,
): QueryNode {
  const field = env.field(name);
  const tokens = analyze(text, options);
  const isText = field.kind === 'dynamic' || (field.kind === 'leaf' && field.type === 'text');
  if (tokens.length === 0 && isText)
    return options.zeroTermsAll ? constantNode(options.boost) : NO_MATCH;
  const required =
    options.operator === 'and'
      ? tokens.length
      : options.minimumShouldMatch === null
        ? 1
        : minimumShouldMatch(tokens.length, options.minimumShouldMatch);
  return fieldNode(env, field, text, options, (group, doc, ctx) => {
    const freq = new Map<string | number, number>();
    for (const term of group.terms) freq.set(term, (freq.get(term) ?? 0) + 1);
    const matched = tokens.filter((t) => freq.has(t));
    if (matched.length === 0 || matched.length < required) return null;
    if (!ctx.scoring) return options.boost;
    const stats = ctx.textStats(field, doc.nestedPath);
    let score = 0;
    for (const token of matched) {
      const df = stats.docFreq(token);
      score += bm25({
        freq: freq.get(token) ?? 0,
        idf: idf(df, stats.docCount),
        fieldLength: group.terms.length,
        stats,
        boost: options.boost,
      });
    }
    return score;
  });
}

/** Builds the node for `match_phrase` on one field: tokens at consecutive positions. */
export function phraseNode(
  env: CompileEnv,
  name: string,
  text: string,
  options: MatchOptions,
): QueryNode {
  const field = env.field(name);
  const tokens = analyze(text, options);
  const isText = field.kind === 'dynamic' || (field.kind === 'leaf' && field.type === 'text');
  if (tokens.length === 0 && isText)
    return options.zeroTermsAll ? constantNode(options.boost) : NO_MATCH;
  return fieldNode(env, field, text, options, (group, doc, ctx) => {
    const at = new Map<number, string>();
    for (const token of group.tokens ?? []) at.set(token.position, token.term);
    let phraseFreq = 0;
    for (const token of group.tokens ?? []) {
      if (tokens.every((t, i) => at.get(token.position + i) === t)) phraseFreq += 1;
    }
    if (phraseFreq === 0) return null;
    if (!ctx.scoring) return options.boost;
    const stats = ctx.textStats(field, doc.nestedPath);
    const idfSum = tokens.reduce((sum, t) => sum + idf(stats.docFreq(t), stats.docCount), 0);
    return bm25({
      freq: phraseFreq,
      idf: idfSum,
      fieldLength: group.terms.length,
      stats,
      boost: options.boost,
    });
  });
}

/** `{"match": {"f": "text"}}` or `{"match": {"f": {"query": "text", "operator": "and", ...}}}`. */
export function compileMatch(body: unknown, env: CompileEnv, path: string): QueryNode {
  const entry = singleField('match', body, path);
  const { value, options, boost } = longForm('match', entry, 'query', MATCH_KEYS);
  return matchNode(
    env,
    entry.field,
    queryText('match', value, entry.path),
    readMatchOptions('match', options, entry.path, boost),
  );
}

/** `{"match_phrase": {"f": "text"}}` or the long form with `query`, `analyzer`, `slop` (0 only). */
export function compileMatchPhrase(body: unknown, env: CompileEnv, path: string): QueryNode {
  const entry = singleField('match_phrase', body, path);
  const { value, options, boost } = longForm('match_phrase', entry, 'query', [
    'analyzer',
    'slop',
    'zero_terms_query',
  ]);
  const slop = option(options, 'slop');
  if (slop !== undefined && expectNumber(slop, childPath(entry.path, 'slop')) !== 0) {
    throw parsingException(
      `[match_phrase] slop other than 0 is not supported by this service at [${childPath(entry.path, 'slop')}]`,
    );
  }
  return phraseNode(
    env,
    entry.field,
    queryText('match_phrase', value, entry.path),
    readMatchOptions('match_phrase', options, entry.path, boost),
  );
}
