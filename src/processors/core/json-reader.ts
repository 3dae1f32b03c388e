/**
 * Reads JSON the way the `json` processor's Jackson parser does: only the first value counts
 * (trailing text after it is ignored, as OpenSearch never asks for the next token), empty input
 * is null, comments are allowed (OpenSearch enables ALLOW_COMMENTS), and a repeated key is an
 * error unless duplicates are allowed. Messages follow Jackson's wording.
 */
import { setOwn } from './field-value.js';

/** A parse failure: Jackson's message and where it happened (1-based). */
export class JsonReadError extends Error {
  override readonly name = 'JsonReadError';
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

const EXPECTED_VALUE =
  "was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')";
const MAX_DEPTH = 1000;
const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** The first JSON value of `text` (null when there is none). */
export function readFirstJsonValue(text: string, allowDuplicateKeys: boolean): unknown {
  const reader = new JsonReader(text, allowDuplicateKeys);
  if (!reader.skipSpace()) return null;
  return reader.value(0, true);
}

class JsonReader {
  private offset = 0;

  constructor(
    private readonly text: string,
    private readonly allowDuplicateKeys: boolean,
  ) {}

  /** Skips whitespace and comments; false at the end of the input. */
  skipSpace(): boolean {
    for (;;) {
      while (/[ \t\r\n]/.test(this.text.charAt(this.offset))) this.offset++;
      if (this.text.startsWith('//', this.offset)) {
        const end = this.text.indexOf('\n', this.offset);
        this.offset = end === -1 ? this.text.length : end;
      } else if (this.text.startsWith('/*', this.offset)) {
        const end = this.text.indexOf('*/', this.offset + 2);
        if (end === -1) throw this.error('Unexpected end-of-input in a comment');
        this.offset = end + 2;
      } else return this.offset < this.text.length;
    }
  }

  value(depth: number, root = false): unknown {
    if (depth > MAX_DEPTH)
      throw this.error(`Document nesting depth exceeds the maximum allowed (${MAX_DEPTH})`);
    const character = this.text.charAt(this.offset);
    if (character === '{') return this.object(depth);
    if (character === '[') return this.array(depth);
    if (character === '"') return this.string();
    if (character === '-' || (character >= '0' && character <= '9')) return this.number(root);
    const word = /^[A-Za-z0-9_$]+/.exec(this.text.slice(this.offset))?.[0];
    const literals: Record<string, unknown> = { true: true, false: false, null: null };
    if (word !== undefined && Object.hasOwn(literals, word)) {
      this.offset += word.length;
      return literals[word];
    }
    if (word !== undefined) throw this.error(`Unrecognized token '${word}': ${EXPECTED_VALUE}`);
    throw this.error(`Unexpected character (${describe(character)}): expected a value`);
  }

  private object(depth: number): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    this.offset++;
    if (this.next('Object') === '}') return this.close(result);
    for (;;) {
      if (this.text.charAt(this.offset) !== '"') {
        throw this.error(
          `Unexpected character (${describe(this.text.charAt(this.offset))}): was expecting double-quote to start field name`,
        );
      }
      const key = this.string();
      if (!this.allowDuplicateKeys && Object.hasOwn(result, key))
        throw this.error(`Duplicate field '${key}'`);
      if (this.next('Object') !== ':') {
        throw this.error(
          `Unexpected character (${describe(this.text.charAt(this.offset))}): was expecting a colon to separate field name and value`,
        );
      }
      this.offset++;
      this.next('Object');
      setOwn(result, key, this.value(depth + 1));
      const separator = this.next('Object');
      if (separator === '}') return this.close(result);
      if (separator !== ',')
        throw this.error(
          `Unexpected character (${describe(separator)}): was expecting comma to separate Object entries`,
        );
      this.offset++;
      this.next('Object');
    }
  }

  private array(depth: number): unknown[] {
    const result: unknown[] = [];
    this.offset++;
    if (this.next('Array') === ']') return this.close(result);
    for (;;) {
      result.push(this.value(depth + 1));
      const separator = this.next('Array');
      if (separator === ']') return this.close(result);
      if (separator !== ',')
        throw this.error(
          `Unexpected character (${describe(separator)}): was expecting comma to separate Array entries`,
        );
      this.offset++;
      this.next('Array');
    }
  }

  private close<T>(value: T): T {
    this.offset++;
    return value;
  }

  /** The next significant character inside a container; end of input there is an error. */
  private next(container: 'Object' | 'Array'): string {
    if (!this.skipSpace())
      throw this.error(`Unexpected end-of-input: expected close marker for ${container}`);
    return this.text.charAt(this.offset);
  }

  private string(): string {
    let result = '';
    for (let index = this.offset + 1; index < this.text.length; index++) {
      const character = this.text.charAt(index);
      if (character === '"') {
        this.offset = index + 1;
        return result;
      }
      if (character < ' ') {
        this.offset = index;
        throw this.error(
          `Illegal unquoted character ((CTRL-CHAR, code ${character.charCodeAt(0)})): has to be escaped using backslash to be included in string value`,
        );
      }
      if (character !== '\\') {
        result += character;
        continue;
      }
      const escaped = this.text.charAt(++index);
      const hex = this.text.slice(index + 1, index + 5);
      if (escaped === 'u' && /^[0-9a-fA-F]{4}$/.test(hex)) {
        result += String.fromCharCode(Number.parseInt(hex, 16));
        index += 4;
      } else if (Object.hasOwn(ESCAPES, escaped)) result += ESCAPES[escaped];
      else {
        this.offset = index;
        throw this.error(
          escaped === 'u'
            ? 'Unexpected character in \\u escape: was expecting a hex-digit'
            : `Unrecognized character escape ${describe(escaped)}`,
        );
      }
    }
    this.offset = this.text.length;
    throw this.error('Unexpected end-of-input: was expecting closing quote for a string value');
  }

  private number(root: boolean): number {
    const match = /^-?(0|[1-9][0-9]*)?(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(
      this.text.slice(this.offset),
    )!;
    const [literal] = match;
    if (match[1] === undefined)
      throw this.error(
        'Unexpected character: expected digit after minus sign (for valid numeric value)',
      );
    const following = this.text.charAt(this.offset + literal.length);
    if (match[1] === '0' && /[0-9]/.test(following))
      throw this.error('Invalid numeric value: Leading zeroes not allowed');
    if (following === '.' || /[eE]/.test(following))
      throw this.error('Unexpected character: Decimal point or exponent not followed by a digit');
    // Jackson insists on a separator after a root-level number (`123abc` is not `123`).
    if (root && following !== '' && !/[\s,\]}/]/.test(following))
      throw this.error('Expected space separating root-level values');
    this.offset += literal.length;
    return Number(literal);
  }

  private error(message: string): JsonReadError {
    const before = this.text.slice(0, this.offset);
    const line = before.split('\n').length;
    return new JsonReadError(message, line, this.offset - before.lastIndexOf('\n'));
  }
}

/** Jackson's `('x' (code 120))`. */
const describe = (character: string): string =>
  character === '' ? 'end-of-input' : `'${character}' (code ${character.charCodeAt(0)})`;
