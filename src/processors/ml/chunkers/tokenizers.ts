/** A token's position in the text, in UTF-16 units as Lucene's offsets. */
export interface Token {
  readonly start: number;
  readonly end: number;
}

/** The word tokenizers `fixed_token_length` supports here. */
export const TOKENIZERS: Readonly<Record<string, (text: string) => Token[]>> = {
  standard: standardTokens,
  letter: (text) => runTokens(text, (character) => LETTER.test(character)),
  // `lowercase` is `letter` plus lowercasing, which moves no boundary.
  lowercase: (text) => runTokens(text, (character) => LETTER.test(character)),
  whitespace: (text) => runTokens(text, (character) => !JAVA_WHITESPACE.test(character)),
};

// Lucene's default max_token_length: longer tokens are cut into pieces of this size.
const MAX_TOKEN_LENGTH = 255;

const LETTER = /\p{L}/u;
// Java's Character.isWhitespace: separators except the no-break spaces, plus the ASCII controls.
const JAVA_WHITESPACE = /[\t\n\u000B\f\r\u001C-\u001F\u2028\u2029]|(?![\u00A0\u2007\u202F])\p{Zs}/u;

/** Tokens of maximal runs of characters that `isTokenChar` accepts (Lucene's CharTokenizer). */
function runTokens(text: string, isTokenChar: (character: string) => boolean): Token[] {
  const tokens: Token[] = [];
  let start = -1;
  let position = 0;
  for (const character of text) {
    if (isTokenChar(character)) {
      if (start === -1) start = position;
    } else if (start !== -1) {
      pushToken(tokens, start, position);
      start = -1;
    }
    position += character.length;
  }
  if (start !== -1) pushToken(tokens, start, position);
  return tokens;
}

function pushToken(tokens: Token[], start: number, end: number): void {
  for (let piece = start; piece < end; piece += MAX_TOKEN_LENGTH)
    tokens.push({ start: piece, end: Math.min(piece + MAX_TOKEN_LENGTH, end) });
}

type WordBreakClass =
  | 'letter'
  | 'numeric'
  | 'katakana'
  | 'connector'
  | 'midLetter'
  | 'midNum'
  | 'midNumLet'
  | 'singleQuote'
  | 'ideographic'
  | 'southeastAsian'
  | 'emoji'
  | 'regionalIndicator'
  | 'extend'
  | 'other';

// Unicode word-break property values (UAX #29), narrowed to what Lucene's StandardTokenizer uses.
const CLASSES: ReadonlyArray<readonly [WordBreakClass, RegExp]> = [
  ['extend', /[\p{M}\p{Cf}\p{Emoji_Modifier}]/u],
  ['ideographic', /[\p{Script=Han}\p{Script=Hiragana}]/u],
  ['katakana', /[\p{Script=Katakana}\u30FC\uFF70]/u],
  [
    'southeastAsian',
    /[\p{Script=Thai}\p{Script=Lao}\p{Script=Myanmar}\p{Script=Khmer}\p{Script=Tai_Le}\p{Script=New_Tai_Lue}\p{Script=Tai_Tham}\p{Script=Tai_Viet}]/u,
  ],
  ['numeric', /\p{Nd}/u],
  ['letter', /\p{Alphabetic}/u],
  ['connector', /\p{Pc}/u],
  ['midLetter', /[:\u00B7\u0387\u05F4\u2027\uFE13\uFE55\uFF1A]/u],
  ['midNum', /[,;\u037E\u0589\u060C\u060D\u066C\u07F8\u2044\uFE10\uFE14\uFE50\uFE54\uFF0C\uFF1B]/u],
  ['midNumLet', /[.\u2018\u2019\u2024\uFE52\uFF07\uFF0E]/u],
  ['singleQuote', /'/u],
  ['regionalIndicator', /\p{Regional_Indicator}/u],
  ['emoji', /\p{Extended_Pictographic}/u],
];

function classify(character: string): WordBreakClass {
  for (const [kind, pattern] of CLASSES) if (pattern.test(character)) return kind;
  return 'other';
}

const codePointAt = (text: string, position: number): string =>
  String.fromCodePoint(text.codePointAt(position)!);

/** Skips Extend/Format characters (WB4: they belong to the character before them). */
function skipExtend(text: string, position: number): number {
  while (position < text.length) {
    const character = codePointAt(text, position);
    if (classify(character) !== 'extend') break;
    position += character.length;
  }
  return position;
}

/**
 * Lucene's StandardTokenizer: UAX #29 word boundaries, keeping only words with letters or digits
 * (`can't`, `U.S.A`, `3.14`, `1,000`, `foo_bar` are one token), each Han or Hiragana character,
 * runs of Southeast Asian script, and emoji.
 */
export function standardTokens(text: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  while (position < text.length) {
    const character = codePointAt(text, position);
    const kind = classify(character);
    let end = skipExtend(text, position + character.length);
    if (kind === 'letter' || kind === 'numeric' || kind === 'katakana' || kind === 'connector') {
      const word = scanWord(text, position, kind);
      if (word.hasContent) pushToken(tokens, position, word.end);
      end = word.end;
    } else if (kind === 'ideographic') {
      pushToken(tokens, position, end);
    } else if (kind === 'southeastAsian') {
      while (end < text.length && classify(codePointAt(text, end)) === 'southeastAsian')
        end = skipExtend(text, end + codePointAt(text, end).length);
      pushToken(tokens, position, end);
    } else if (kind === 'regionalIndicator') {
      if (end < text.length && classify(codePointAt(text, end)) === 'regionalIndicator')
        end = skipExtend(text, end + 2);
      pushToken(tokens, position, end);
    } else if (kind === 'emoji') {
      end = scanEmoji(text, position, end);
      if (end > position) pushToken(tokens, position, end);
      else end = position + character.length;
    }
    position = end;
  }
  return tokens;
}

function joins(previous: WordBreakClass, next: WordBreakClass): boolean {
  const alphanumeric = (kind: WordBreakClass) => kind === 'letter' || kind === 'numeric';
  if (alphanumeric(previous) && alphanumeric(next)) return true; // WB5, WB8, WB9, WB10
  if (previous === 'katakana' && next === 'katakana') return true; // WB13
  if (next === 'connector')
    return alphanumeric(previous) || previous === 'katakana' || previous === 'connector'; // WB13a
  return previous === 'connector' && (alphanumeric(next) || next === 'katakana'); // WB13b
}

/** Whether `middle` may sit between two characters of class `around` (WB6/7 for letters, WB11/12 for digits). */
function bridges(around: WordBreakClass, middle: WordBreakClass): boolean {
  if (around === 'letter')
    return middle === 'midLetter' || middle === 'midNumLet' || middle === 'singleQuote';
  if (around === 'numeric')
    return middle === 'midNum' || middle === 'midNumLet' || middle === 'singleQuote';
  return false;
}

function scanWord(
  text: string,
  start: number,
  first: WordBreakClass,
): { end: number; hasContent: boolean } {
  let previous = first;
  let hasContent = first !== 'connector';
  let position = skipExtend(text, start + codePointAt(text, start).length);
  while (position < text.length) {
    const next = codePointAt(text, position);
    const kind = classify(next);
    if (joins(previous, kind)) {
      previous = kind;
      hasContent ||= kind !== 'connector';
      position = skipExtend(text, position + next.length);
      continue;
    }
    const afterMiddle = skipExtend(text, position + next.length);
    if (afterMiddle >= text.length || !bridges(previous, kind)) break;
    const following = codePointAt(text, afterMiddle);
    if (classify(following) !== previous) break;
    position = skipExtend(text, afterMiddle + following.length);
  }
  return { end: position, hasContent };
}

/** An emoji presentation sequence, with modifiers and ZWJ-joined pictographs; 0-length when text-style. */
function scanEmoji(text: string, start: number, afterFirst: number): number {
  const first = codePointAt(text, start);
  const presented =
    /\p{Emoji_Presentation}/u.test(first) || text.slice(start + first.length).startsWith('\uFE0F');
  if (!presented) return start;
  let end = afterFirst;
  while (
    text[end - 1] === '\u200D' &&
    end < text.length &&
    classify(codePointAt(text, end)) === 'emoji'
  ) {
    end = skipExtend(text, end + codePointAt(text, end).length);
  }
  return end;
}
