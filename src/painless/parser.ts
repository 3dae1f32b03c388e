/**
 * Statement and program parsing. A script is a sequence of top-level function declarations and
 * statements; as in Painless, the semicolon may be left off before `}` and at the end of the
 * script, and the script's final expression statements return their value.
 */
import type {
  DeclarationStatement,
  Expression,
  FunctionDeclaration,
  Program,
  Statement,
  TypeName,
} from './ast.js';
import { tokenize } from './lexer.js';
import { parseExpression } from './parse-expression.js';
import { KEYWORDS, ParseState, describe } from './parse-state.js';

/** Parses a whole script; throws a compile error with line and column. */
export function parseProgram(source: string): Program {
  const state = new ParseState(tokenize(source));
  const functions = new Map<string, FunctionDeclaration>();
  const body: Statement[] = [];
  while (state.peek().kind !== 'eof') {
    if (isFunctionDeclaration(state)) {
      const declaration = parseFunction(state);
      const key = `${declaration.name}/${declaration.parameters.length}`;
      if (functions.has(key)) state.fail(declaration, `function [${key}] is already defined`);
      functions.set(key, declaration);
    } else {
      body.push(parseStatement(state));
    }
  }
  markImplicitReturns(body);
  return { functions, body, calls: state.calls };
}

/** `Type name (` at the top level starts a function. */
function isFunctionDeclaration(state: ParseState): boolean {
  const typeLength = state.typeLength();
  return (
    typeLength > 0 &&
    state.peek(typeLength).kind === 'identifier' &&
    state.isOperator('(', typeLength + 1)
  );
}

function parseFunction(state: ParseState): FunctionDeclaration {
  const start = state.peek();
  const returnType = state.parseType(true);
  const name = state.expectName('a function name').text;
  state.expect('(');
  const parameters: { type: TypeName; name: string }[] = [];
  if (!state.accept(')')) {
    do {
      const type = state.parseType();
      const parameter = state.expectName('a parameter name');
      if (parameters.some((existing) => existing.name === parameter.text)) {
        state.fail(parameter, `parameter [${parameter.text}] is already defined`);
      }
      parameters.push({ type, name: parameter.text });
    } while (state.accept(','));
    state.expect(')');
  }
  if (!state.isOperator('{'))
    state.fail(state.peek(), `expected '{' but found ${describe(state.peek())}`);
  const body = parseStatement(state);
  return { name, returnType, parameters, body, line: start.line, column: start.column };
}

/** Ends a simple statement: `;`, or nothing right before `}` or the end of the script. */
function endStatement(state: ParseState): void {
  if (state.accept(';') || state.isOperator('}') || state.peek().kind === 'eof') return;
  state.fail(state.peek(), `expected ';' but found ${describe(state.peek())}`);
}

/** `Type name ...` (also `Foo name`, reported as an unknown type by `parseType`). */
function isDeclaration(state: ParseState): boolean {
  const first = state.peek();
  if (first.kind !== 'identifier' || KEYWORDS.has(first.text)) return false;
  const typeLength = state.typeLength() || 1;
  const name = state.peek(typeLength);
  return (
    name.kind === 'identifier' &&
    name.text !== 'instanceof' &&
    !state.isOperator('(', typeLength + 1)
  );
}

function parseDeclaration(state: ParseState): DeclarationStatement {
  const start = state.peek();
  const type = state.parseType();
  const declarators = [];
  do {
    const name = state.expectName('a variable name');
    const init = state.accept('=') ? parseExpression(state) : null;
    declarators.push({ name: name.text, init, line: name.line, column: name.column });
  } while (state.accept(','));
  return { kind: 'Declaration', type, declarators, line: start.line, column: start.column };
}

function parseStatement(state: ParseState): Statement {
  return state.nested(() => {
    const token = state.peek();
    const position = { line: token.line, column: token.column };
    if (state.accept('{')) {
      const body: Statement[] = [];
      while (!state.accept('}')) {
        if (state.peek().kind === 'eof')
          state.fail(state.peek(), "expected '}' but found end of script");
        body.push(parseStatement(state));
      }
      return {
        kind: 'Block',
        body,
        declares: body.some((statement) => statement.kind === 'Declaration'),
        ...position,
      };
    }
    if (state.accept(';')) return { kind: 'Empty', ...position };
    if (token.kind === 'identifier') {
      switch (token.text) {
        case 'if': {
          state.next();
          const test = parseCondition(state);
          const consequent = parseStatement(state);
          const alternate = state.isKeyword('else') ? (state.next(), parseStatement(state)) : null;
          return { kind: 'If', test, consequent, alternate, ...position };
        }
        case 'while': {
          state.next();
          const test = parseCondition(state);
          return { kind: 'While', test, body: parseLoopBody(state), ...position };
        }
        case 'do': {
          state.next();
          const body = parseLoopBody(state);
          state.expectKeyword('while');
          const test = parseCondition(state);
          endStatement(state);
          return { kind: 'DoWhile', body, test, ...position };
        }
        case 'for':
          return parseFor(state);
        case 'break':
        case 'continue':
          if (state.loopDepth === 0) state.fail(token, `'${token.text}' outside of a loop`);
          state.next();
          endStatement(state);
          return { kind: token.text === 'break' ? 'Break' : 'Continue', ...position };
        case 'return': {
          state.next();
          const ends =
            state.isOperator(';') || state.isOperator('}') || state.peek().kind === 'eof';
          const argument = ends ? null : parseExpression(state);
          endStatement(state);
          return { kind: 'Return', argument, ...position };
        }
        case 'throw': {
          state.next();
          const argument = parseExpression(state);
          endStatement(state);
          return { kind: 'Throw', argument, ...position };
        }
        case 'try':
          return parseTry(state);
        case 'else':
        case 'catch':
          return state.unexpected(token);
        default:
          if (isDeclaration(state)) {
            const declaration = parseDeclaration(state);
            endStatement(state);
            return declaration;
          }
      }
    }
    const expression = parseExpression(state);
    endStatement(state);
    return { kind: 'Expression', expression, implicitReturn: false, ...position };
  });
}

function parseCondition(state: ParseState): Expression {
  state.expect('(');
  const test = parseExpression(state);
  state.expect(')');
  return test;
}

function parseFor(state: ParseState): Statement {
  const keyword = state.expectKeyword('for');
  const position = { line: keyword.line, column: keyword.column };
  state.expect('(');
  // for (Type x : items) / for (x in items)
  const typeLength = state.typeLength();
  if (
    typeLength > 0 &&
    state.peek(typeLength).kind === 'identifier' &&
    state.isOperator(':', typeLength + 1)
  ) {
    const type = state.parseType();
    const name = state.expectName('a loop variable').text;
    state.expect(':');
    return parseForEachRest(state, type, name, position);
  }
  if (state.peek().kind === 'identifier' && state.isKeyword('in', 1)) {
    const name = state.expectName('a loop variable').text;
    state.expectKeyword('in');
    return parseForEachRest(state, 'def', name, position);
  }
  let init: DeclarationStatement | Expression[] = [];
  if (!state.isOperator(';'))
    init = isDeclaration(state) ? parseDeclaration(state) : parseExpressionList(state);
  state.expect(';');
  const test = state.isOperator(';') ? null : parseExpression(state);
  state.expect(';');
  const update = state.isOperator(')') ? [] : parseExpressionList(state);
  state.expect(')');
  return { kind: 'For', init, test, update, body: parseLoopBody(state), ...position };
}

function parseForEachRest(
  state: ParseState,
  type: TypeName,
  name: string,
  position: { line: number; column: number },
): Statement {
  const iterable = parseExpression(state);
  state.expect(')');
  return { kind: 'ForEach', type, name, iterable, body: parseLoopBody(state), ...position };
}

function parseLoopBody(state: ParseState): Statement {
  state.loopDepth++;
  try {
    return parseStatement(state);
  } finally {
    state.loopDepth--;
  }
}

function parseExpressionList(state: ParseState): Expression[] {
  const expressions = [parseExpression(state)];
  while (state.accept(',')) expressions.push(parseExpression(state));
  return expressions;
}

function parseTry(state: ParseState): Statement {
  const keyword = state.expectKeyword('try');
  if (!state.isOperator('{'))
    state.fail(state.peek(), `expected '{' but found ${describe(state.peek())}`);
  const block = parseStatement(state);
  const handlers = [];
  while (state.isKeyword('catch')) {
    state.next();
    state.expect('(');
    const type = state.parseType();
    const name = state.expectName('an exception variable').text;
    state.expect(')');
    if (!state.isOperator('{'))
      state.fail(state.peek(), `expected '{' but found ${describe(state.peek())}`);
    handlers.push({ type, name, body: parseStatement(state) });
  }
  if (handlers.length === 0) state.fail(state.peek(), "expected 'catch' after try block");
  return { kind: 'Try', block, handlers, line: keyword.line, column: keyword.column };
}

/**
 * Painless returns the value of a script's last statement when it is an expression that yields
 * a value (`ctx.a == 1`), looking into the final branches of `if`/`else` and `try` too.
 * Assignments and `++`/`--` used as statements yield nothing.
 */
function markImplicitReturns(statements: readonly Statement[]): void {
  const last = statements[statements.length - 1];
  if (last === undefined) return;
  switch (last.kind) {
    case 'Expression':
      last.implicitReturn = last.expression.kind !== 'Assign' && last.expression.kind !== 'Update';
      return;
    case 'Block':
      return markImplicitReturns(last.body);
    case 'If':
      markImplicitReturns([last.consequent]);
      if (last.alternate) markImplicitReturns([last.alternate]);
      return;
    case 'Try':
      markImplicitReturns([last.block]);
      for (const handler of last.handlers) markImplicitReturns([handler.body]);
      return;
    default:
      return;
  }
}
