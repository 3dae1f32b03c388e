/** Where a text stops being JSON, and what the grammar wanted there. */
export interface JsonSyntaxError {
  /** 1-based line of the offending character. */
  readonly line: number;
  /** 1-based column (in characters) of the offending character. */
  readonly column: number;
  readonly problem: string;
}

type Expecting = 'value' | 'value-or-close' | 'name' | 'name-or-close' | 'colon' | 'comma-or-close' | 'end';

const VALUE = 'a value (string, number, object, array, true, false or null)';
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const NUMBER_LIKE = /-?[0-9][0-9a-zA-Z.+-]*|-/y;
const WHITESPACE = /[ \t\n\r]*/y;
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const HEX4 = /[0-9a-fA-F]{4}/y;

/**
 * Locates the first syntax error in `text` (called once `JSON.parse` has refused it, whose message
 * quotes the text around the error, and a body can carry credentials). The description says what
 * was expected and never repeats any of the text. Iterative, so nesting depth cannot overflow it.
 */
export function locateJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const containers: Array<'{' | '['> = [];
  let expecting: Expecting = 'value';
  let offset = 0;
  const afterValue = (): Expecting => (containers.length === 0 ? 'end' : 'comma-or-close');
  const closeContainer = (): Expecting => {
    containers.pop();
    offset++;
    return afterValue();
  };
  const fail = (at: number, problem: string): JsonSyntaxError => ({ ...position(text, at), problem });
  for (;;) {
    WHITESPACE.lastIndex = offset;
    WHITESPACE.test(text);
    offset = WHITESPACE.lastIndex;
    const char = text[offset];
    if (expecting === 'end') return char === undefined ? undefined : fail(offset, 'unexpected content after the end of the JSON value');
    if (char === undefined) return fail(offset, `unexpected end of input: expected ${endExpectation(expecting, containers.at(-1))}`);
    switch (expecting) {
      case 'value':
      case 'value-or-close': {
        if (expecting === 'value-or-close' && char === ']') {
          expecting = closeContainer();
          break;
        }
        if (char === '{' || char === '[') {
          containers.push(char);
          offset++;
          expecting = char === '{' ? 'name-or-close' : 'value-or-close';
          break;
        }
        const scalar = scanScalar(text, offset);
        if (typeof scalar !== 'number') return fail(scalar.at, scalar.problem);
        offset = scalar;
        expecting = afterValue();
        break;
      }
      case 'name':
      case 'name-or-close': {
        if (expecting === 'name-or-close' && char === '}') {
          expecting = closeContainer();
          break;
        }
        if (char !== '"') return fail(offset, `unexpected character: expected a double-quoted field name${expecting === 'name-or-close' ? " or '}'" : ''}`);
        const end = scanString(text, offset);
        if (typeof end !== 'number') return fail(end.at, end.problem);
        offset = end;
        expecting = 'colon';
        break;
      }
      case 'colon':
        if (char !== ':') return fail(offset, "unexpected character: expected ':' after a field name");
        offset++;
        expecting = 'value';
        break;
      case 'comma-or-close': {
        const container = containers.at(-1)!;
        const close = container === '{' ? '}' : ']';
        if (char === close) {
          expecting = closeContainer();
        } else if (char === ',') {
          offset++;
          expecting = container === '{' ? 'name' : 'value';
        } else {
          return fail(offset, `unexpected character: expected ',' or '${close}' after ${container === '{' ? 'an object entry' : 'an array element'}`);
        }
        break;
      }
    }
  }
}

function endExpectation(expecting: Exclude<Expecting, 'end'>, container: '{' | '[' | undefined): string {
  switch (expecting) {
    case 'value':
      return VALUE;
    case 'value-or-close':
      return `${VALUE} or ']'`;
    case 'name':
      return 'a double-quoted field name';
    case 'name-or-close':
      return "a double-quoted field name or '}'";
    case 'colon':
      return "':' after a field name";
    case 'comma-or-close':
      return `',' or '${container === '{' ? '}' : ']'}'`;
  }
}

type ScanResult = number | { at: number; problem: string };

/** The offset after the string, number or literal at `offset`. */
function scanScalar(text: string, offset: number): ScanResult {
  const char = text[offset]!;
  if (char === '"') return scanString(text, offset);
  for (const literal of ['true', 'false', 'null']) {
    if (text.startsWith(literal, offset)) return offset + literal.length;
  }
  NUMBER_LIKE.lastIndex = offset;
  if (NUMBER_LIKE.test(text)) {
    const end = NUMBER_LIKE.lastIndex;
    NUMBER.lastIndex = offset;
    return NUMBER.test(text) && NUMBER.lastIndex === end ? end : { at: offset, problem: 'invalid number' };
  }
  if (/[a-zA-Z]/.test(char)) return { at: offset, problem: `unrecognized token: expected ${VALUE}` };
  return { at: offset, problem: `unexpected character: expected ${VALUE}` };
}

/** The offset after the string whose opening quote is at `offset`. */
function scanString(text: string, offset: number): ScanResult {
  for (let at = offset + 1; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code === 0x22) return at + 1;
    if (code < 0x20) return { at, problem: 'control character in a string: it must be escaped' };
    if (code !== 0x5c) continue;
    const escaped = text[at + 1];
    if (escaped === 'u') {
      HEX4.lastIndex = at + 2;
      if (!HEX4.test(text)) return { at, problem: 'invalid \\u escape in a string: expected 4 hexadecimal digits' };
      at += 5;
    } else if (escaped !== undefined && ESCAPES.has(escaped)) at++;
    else if (escaped !== undefined) return { at, problem: 'invalid escape in a string' };
  }
  return { at: text.length, problem: 'unexpected end of input in a string' };
}

function position(text: string, offset: number): { line: number; column: number } {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < lineStart; at = text.indexOf('\n', at + 1)) line++;
  // Columns count characters, as an editor does: a surrogate pair is one.
  const column = [...text.slice(lineStart, offset)].length + 1;
  return { line, column };
}
