/**
 * Options shared by the full-text clauses (`match`, `match_phrase`, `multi_match`): operator,
 * `minimum_should_match`, analyzer (standard or keyword), `lenient`, `zero_terms_query`. The
 * fuzzy knobs are accepted only at their no-op values so a fuzzy request is never silently exact.
 */
import { badValue, parsingException } from '../errors.js';
import { childPath, expectBoolean, expectString, tokenName, type JsonMap } from '../json.js';
import { parseMinimumShouldMatch } from '../min-should-match.js';
import { option } from '../parse-util.js';

/** Options shared by `match`, `match_phrase` and `multi_match`. */
export interface MatchOptions {
  readonly operator: 'or' | 'and';
  readonly minimumShouldMatch: string | null;
  readonly lenient: boolean;
  readonly zeroTermsAll: boolean;
  readonly keywordAnalyzer: boolean;
  readonly boost: number;
}

/** Long-form keys `match` accepts; the fuzzy/synonym knobs are accepted only at their no-op values. */
export const MATCH_KEYS = [
  'operator',
  'minimum_should_match',
  'analyzer',
  'lenient',
  'zero_terms_query',
  'fuzziness',
  'prefix_length',
  'max_expansions',
  'fuzzy_transpositions',
  'fuzzy_rewrite',
  'auto_generate_synonyms_phrase_query',
];

/** Reads the options common to the full-text clauses from `map` (the long form). */
export function readMatchOptions(
  clause: string,
  map: JsonMap,
  path: string,
  boost: number,
): MatchOptions {
  const text = (key: string) => {
    const raw = option(map, key);
    return raw === undefined ? undefined : expectString(raw, childPath(path, key)).toLowerCase();
  };
  const operator = text('operator') ?? 'or';
  if (operator !== 'or' && operator !== 'and')
    throw badValue(
      `[${clause}] operator [${operator}] is not valid, expected [or] or [and] at [${path}]`,
    );
  const zeroTerms = text('zero_terms_query') ?? 'none';
  if (zeroTerms !== 'none' && zeroTerms !== 'all')
    throw badValue(`[${clause}] unsupported zero_terms_query value [${zeroTerms}] at [${path}]`);
  const analyzer = text('analyzer') ?? 'standard';
  if (analyzer !== 'standard' && analyzer !== 'default' && analyzer !== 'keyword') {
    throw badValue(
      `[${clause}] analyzer [${analyzer}] not found at [${childPath(path, 'analyzer')}]`,
    );
  }
  const fuzziness = option(map, 'fuzziness');
  if (fuzziness !== undefined && String(fuzziness) !== '0') {
    throw parsingException(
      `[${clause}] fuzziness is not supported by this service at [${childPath(path, 'fuzziness')}]`,
    );
  }
  const msm = option(map, 'minimum_should_match');
  const lenient = option(map, 'lenient');
  return {
    operator,
    minimumShouldMatch:
      msm === undefined
        ? null
        : parseMinimumShouldMatch(msm, childPath(path, 'minimum_should_match')),
    lenient: lenient === undefined ? false : expectBoolean(lenient, childPath(path, 'lenient')),
    zeroTermsAll: zeroTerms === 'all',
    keywordAnalyzer: analyzer === 'keyword',
    boost,
  };
}

/** The query text of a full-text clause: a scalar, stringified as OpenSearch does. */
export function queryText(clause: string, value: unknown, path: string): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  throw parsingException(
    `[${clause}] unknown token [${tokenName(value)}] after [query] at [${path}]`,
  );
}
