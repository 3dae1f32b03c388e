/**
 * OpenSearch's default `standard` analyzer: Unicode (UAX #29) word segmentation, lowercase, no
 * stop words, tokens longer than 255 characters split. `Intl.Segmenter` implements UAX #29 via
 * ICU; where Lucene's StandardTokenizer differs from ICU we follow Lucene: Han ideographs and
 * Hiragana become one token per character (ICU uses a dictionary), and emoji are tokens.
 */

/** One analysed token and its position (used for phrase matching). */
export interface Token {
  readonly term: string;
  readonly position: number;
}

/** Lucene's StandardAnalyzer default `max_token_length`. */
const MAX_TOKEN_LENGTH = 255;
/** OpenSearch's `position_increment_gap` for text fields: phrases never span array elements. */
export const POSITION_INCREMENT_GAP = 100;

const segmenter = new Intl.Segmenter('und', { granularity: 'word' });
const SINGLE_CHAR_SCRIPTS = /[\p{Script=Han}\p{Script=Hiragana}]/u;
const EMOJI = /\p{Extended_Pictographic}/u;

/** Splits a word-like segment the way Lucene would: ideographs and Hiragana one by one. */
function splitSegment(segment: string): string[] {
  if (!SINGLE_CHAR_SCRIPTS.test(segment)) return [segment];
  const parts: string[] = [];
  let run = '';
  for (const ch of segment) {
    if (SINGLE_CHAR_SCRIPTS.test(ch)) {
      if (run !== '') parts.push(run);
      run = '';
      parts.push(ch);
    } else {
      run += ch;
    }
  }
  if (run !== '') parts.push(run);
  return parts;
}

/** Splits over-long tokens as Lucene does (by UTF-16 code unit, which is what Lucene counts). */
function* limitLength(term: string): Generator<string> {
  for (let i = 0; i < term.length; i += MAX_TOKEN_LENGTH) yield term.slice(i, i + MAX_TOKEN_LENGTH);
}

/** Analyses one string into lowercase terms (no positions). */
export function analyzeTerms(text: string): string[] {
  const terms: string[] = [];
  for (const { segment, isWordLike } of segmenter.segment(text)) {
    if (!isWordLike && !EMOJI.test(segment)) continue;
    for (const part of splitSegment(segment)) {
      for (const piece of limitLength(part)) terms.push(piece.toLowerCase());
    }
  }
  return terms;
}

/**
 * Analyses the values of a (possibly multi-valued) text field into positioned tokens; each new
 * value starts `POSITION_INCREMENT_GAP` positions after the previous one, as in OpenSearch.
 */
export function analyzeValues(values: readonly string[]): Token[] {
  const tokens: Token[] = [];
  let next = 0;
  values.forEach((value, index) => {
    if (index > 0) next += POSITION_INCREMENT_GAP;
    for (const term of analyzeTerms(value)) tokens.push({ term, position: next++ });
  });
  return tokens;
}
