/**
 * The parser's cursor over the token list, shared by the statement and expression parsers. It
 * also guards nesting depth (the parser and evaluator recurse, so `((((...))))` must stop with a
 * compile error, not a stack overflow) and collects call sites for checking after parsing.
 */
import type { CallExpression, TypeName } from './ast.js';
import { compileError, type SourcePosition } from './errors.js';
import { isKnownType, isTypeKeyword } from './java-types.js';
import type { Token } from './lexer.js';

/** Deepest nesting of blocks, parentheses and unary operators a script may use. */
const MAX_NESTING = 200;

/** Words that can never name a variable. */
export const KEYWORDS = new Set([
  'if',
  'else',
  'while',
  'do',
  'for',
  'in',
  'continue',
  'break',
  'return',
  'new',
  'try',
  'catch',
  'throw',
  'this',
  'instanceof',
  'true',
  'false',
  'null',
]);

/** Cursor and bookkeeping for one parse. */
export class ParseState {
  private index = 0;
  private depth = 0;
  /** Loops enclosing the current statement; `break`/`continue` outside one is a compile error. */
  loopDepth = 0;
  readonly calls: CallExpression[] = [];

  constructor(private readonly tokens: readonly Token[]) {}

  /** The token `offset` places ahead (the final EOF repeats). */
  peek(offset = 0): Token {
    const last = this.tokens[this.tokens.length - 1];
    const token = this.tokens[this.index + offset] ?? last;
    if (token === undefined) throw new Error('token list must end with EOF');
    return token;
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.index++;
    return token;
  }

  isOperator(text: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'operator' && token.text === text;
  }

  isKeyword(word: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'identifier' && token.text === word;
  }

  /** Consumes the operator if it is next. */
  accept(text: string): boolean {
    if (!this.isOperator(text)) return false;
    this.index++;
    return true;
  }

  expect(text: string): Token {
    if (!this.isOperator(text))
      this.fail(this.peek(), `expected '${text}' but found ${describe(this.peek())}`);
    return this.next();
  }

  expectKeyword(word: string): Token {
    if (!this.isKeyword(word))
      this.fail(this.peek(), `expected '${word}' but found ${describe(this.peek())}`);
    return this.next();
  }

  /** A variable, function or field name. */
  expectName(what: string): Token {
    const token = this.peek();
    if (token.kind !== 'identifier' || KEYWORDS.has(token.text) || isTypeKeyword(token.text)) {
      this.fail(token, `expected ${what} but found ${describe(token)}`);
    }
    return this.next();
  }

  fail(position: SourcePosition, description: string): never {
    throw compileError(position, description);
  }

  unexpected(token: Token = this.peek()): never {
    this.fail(
      token,
      token.kind === 'eof' ? 'unexpected end of script' : `unexpected token '${token.text}'`,
    );
  }

  /** Runs a nested parse, failing cleanly when nesting is absurdly deep. */
  nested<T>(parse: () => T): T {
    if (++this.depth > MAX_NESTING) this.fail(this.peek(), 'script is nested too deeply');
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  /** How many tokens a type starting `offset` ahead spans (`Map.Entry` is 3, `int[]` is 3); 0 if none. */
  typeLength(offset = 0): number {
    const first = this.peek(offset);
    if (first.kind !== 'identifier' || !isTypeKeyword(first.text)) return 0;
    let length = 1;
    if (
      first.text === 'Map' &&
      this.isOperator('.', offset + 1) &&
      this.isKeyword('Entry', offset + 2)
    )
      length = 3;
    while (this.isOperator('[', offset + length) && this.isOperator(']', offset + length + 1))
      length += 2;
    return length;
  }

  /** Parses a type; `allowVoid` for function return types. */
  parseType(allowVoid = false): TypeName {
    const start = this.peek();
    const length = this.typeLength();
    if (length === 0) {
      if (start.kind === 'identifier' && !KEYWORDS.has(start.text))
        this.fail(start, `unknown type [${start.text}]`);
      this.fail(start, `expected a type but found ${describe(start)}`);
    }
    let type = '';
    for (let consumed = 0; consumed < length; consumed++) type += this.next().text;
    if (!isKnownType(type, allowVoid)) this.fail(start, `type [${type}] is not allowed here`);
    return type;
  }
}

/** How a token is named in error messages. */
export const describe = (token: Token): string =>
  token.kind === 'eof' ? 'end of script' : `'${token.text}'`;
