/**
 * Splits Painless source into tokens with 1-based line/column positions. Follows the Painless
 * lexer (integer/hex/octal/decimal constants with suffixes, `?.` and `?:` operators) but reads
 * string literals with the full set of Java escapes, a superset of Painless's `\"`, `\'`, `\\`.
 */
import { compileError, type SourcePosition } from './errors.js';
import { JavaDouble, makeDouble } from './java-values.js';

/** One token; `value` carries the decoded literal for strings and numbers. */
export type Token =
  | {
      readonly kind: 'identifier' | 'operator' | 'eof';
      readonly text: string;
      readonly line: number;
      readonly column: number;
    }
  | {
      readonly kind: 'string';
      readonly text: string;
      readonly line: number;
      readonly column: number;
      readonly value: string;
    }
  | {
      readonly kind: 'number';
      readonly text: string;
      readonly line: number;
      readonly column: number;
      readonly value: number | JavaDouble;
    };

// Longest first, so `>>>=` wins over `>>` and `?.` over `?`.
// prettier-ignore
const OPERATORS = [
  '>>>=', '>>>', '<<=', '>>=', '===', '!==',
  '==', '!=', '<=', '>=', '&&', '||', '++', '--', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=',
  '<<', '>>', '?.', '?:', '->', '::',
  '{', '}', '(', ')', '[', ']', ';', ',', '.', '?', ':', '=', '<', '>', '!', '~', '+', '-', '*', '/', '%', '&', '|', '^',
];

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  b: '\b',
  t: '\t',
  n: '\n',
  f: '\f',
  r: '\r',
  s: ' ',
  '"': '"',
  "'": "'",
  '\\': '\\',
};

const INT_LITERAL_LIMIT = 2 ** 31; // 2147483648 is only valid after unary minus; accepted for that case.

const isIdentifierStart = (char: string): boolean => /[A-Za-z_]/.test(char);
const isIdentifierPart = (char: string): boolean => /[A-Za-z0-9_]/.test(char);
const isDigit = (char: string): boolean => char >= '0' && char <= '9';

/** Tokenizes a whole script; throws a compile error at the first bad character. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let offset = 0;
  let line = 1;
  let lineStart = 0;
  const positionAt = (at: number): SourcePosition => ({ line, column: at - lineStart + 1 });
  const charAt = (at: number): string => source[at] ?? '';
  // Advances over text that may contain newlines, keeping line/column bookkeeping right.
  const advanceTo = (end: number): void => {
    for (; offset < end; offset++) {
      if (source[offset] === '\n') {
        line++;
        lineStart = offset + 1;
      }
    }
  };

  while (offset < source.length) {
    const char = charAt(offset);
    if (char === ' ' || char === '\t' || char === '\r' || char === '\n' || char === '\f') {
      advanceTo(offset + 1);
      continue;
    }
    if (source.startsWith('//', offset)) {
      const end = source.indexOf('\n', offset);
      advanceTo(end === -1 ? source.length : end);
      continue;
    }
    if (source.startsWith('/*', offset)) {
      const end = source.indexOf('*/', offset + 2);
      if (end === -1) throw compileError(positionAt(offset), 'unterminated comment');
      advanceTo(end + 2);
      continue;
    }
    const start = positionAt(offset);
    if (isIdentifierStart(char)) {
      let end = offset + 1;
      while (isIdentifierPart(charAt(end))) end++;
      tokens.push({ kind: 'identifier', text: source.slice(offset, end), ...start });
      offset = end;
      continue;
    }
    if (isDigit(char)) {
      const { end, value } = readNumber(source, offset, start);
      tokens.push({ kind: 'number', text: source.slice(offset, end), value, ...start });
      offset = end;
      continue;
    }
    if (char === '"' || char === "'") {
      const { end, value } = readString(source, offset, start);
      const text = source.slice(offset, end);
      advanceTo(end);
      tokens.push({ kind: 'string', text, value, ...start });
      continue;
    }
    const operator = OPERATORS.find((candidate) => source.startsWith(candidate, offset));
    if (operator === undefined) throw compileError(start, `unexpected character '${char}'`);
    tokens.push({ kind: 'operator', text: operator, ...start });
    offset += operator.length;
  }
  tokens.push({ kind: 'eof', text: '', ...positionAt(offset) });
  return tokens;
}

/** Reads an integer, hex, octal or decimal constant starting at `start`. */
function readNumber(
  source: string,
  start: number,
  position: SourcePosition,
): { end: number; value: number | JavaDouble } {
  const rest = source.slice(start);
  const match =
    /^0[xX][0-9a-fA-F]+[lL]?/.exec(rest) ??
    /^[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?[lLfFdD]?/.exec(rest);
  const text = match?.[0] ?? '';
  const end = start + text.length;
  if (isIdentifierPart(source[end] ?? '') || text === '') {
    throw compileError(position, `invalid number '${rest.match(/^[0-9A-Za-z_.]+/)?.[0] ?? text}'`);
  }
  const isLong = /[lL]$/.test(text);
  if (/^0[xX]/.test(text)) {
    const magnitude = Number.parseInt(text.slice(2).replace(/[lL]$/, ''), 16);
    if (isLong) return { end, value: magnitude };
    if (magnitude > 0xffffffff) throw compileError(position, `invalid int constant [${text}]`);
    return { end, value: magnitude | 0 }; // Java reads 0xFFFFFFFF as the int -1.
  }
  if (/[.eEfFdD]/.test(text)) {
    return { end, value: makeDouble(Number.parseFloat(text.replace(/[fFdD]$/, ''))) };
  }
  const digits = text.replace(/[lL]$/, '');
  let value: number;
  if (digits.length > 1 && digits.startsWith('0')) {
    if (!/^[0-7]+$/.test(digits)) throw compileError(position, `invalid octal constant [${text}]`);
    value = Number.parseInt(digits, 8);
  } else {
    value = Number(digits);
  }
  if (!isLong && value > INT_LITERAL_LIMIT)
    throw compileError(position, `invalid int constant [${text}]`);
  return { end, value };
}

/** Reads a quoted string literal, decoding Java escapes. */
function readString(
  source: string,
  start: number,
  position: SourcePosition,
): { end: number; value: string } {
  const quote = source[start];
  let value = '';
  let offset = start + 1;
  while (offset < source.length) {
    const char = source[offset] ?? '';
    if (char === quote) return { end: offset + 1, value };
    if (char !== '\\') {
      value += char;
      offset++;
      continue;
    }
    const escape = source[offset + 1] ?? '';
    const simple = SIMPLE_ESCAPES[escape];
    if (simple !== undefined && Object.hasOwn(SIMPLE_ESCAPES, escape)) {
      value += simple;
      offset += 2;
    } else if (escape === 'u') {
      let hexStart = offset + 2;
      while (source[hexStart] === 'u') hexStart++; // Java allows \uuuu0041.
      const hex = source.slice(hexStart, hexStart + 4);
      if (!/^[0-9a-fA-F]{4}$/.test(hex))
        throw compileError(position, 'invalid unicode escape in string literal');
      value += String.fromCharCode(Number.parseInt(hex, 16));
      offset = hexStart + 4;
    } else if (/[0-7]/.test(escape)) {
      const octal = /^[0-3][0-7]{0,2}|^[4-7][0-7]?/.exec(source.slice(offset + 1))?.[0] ?? escape;
      value += String.fromCharCode(Number.parseInt(octal, 8));
      offset += 1 + octal.length;
    } else {
      throw compileError(position, `illegal escape character '\\${escape}' in string literal`);
    }
  }
  throw compileError(position, 'unterminated string literal');
}
