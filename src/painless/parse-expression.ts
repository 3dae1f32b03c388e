/**
 * Expression parsing by precedence climbing, with Painless's precedence (lowest first):
 * assignment, elvis `?:`, conditional `? :`, `||`, `&&`, `|`, `^`, `&`, equality, `instanceof`,
 * relational, shifts, additive, multiplicative, unary/casts, postfix (`.x`, `?.x`, `[i]`, calls).
 */
import type { AssignOperator, AssignTarget, BinaryOperator, Expression } from './ast.js';
import { isTypeKeyword } from './java-types.js';
import type { Token } from './lexer.js';
import { checkArity } from './method-support.js';
import { KEYWORDS, ParseState, describe } from './parse-state.js';
import { findConstructor, findStaticField, findStaticMethod, isStaticClass } from './statics.js';
import { JavaDouble, isIntegral, makeDouble } from './java-values.js';

// prettier-ignore
const ASSIGN_OPERATORS = new Set(['=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>=', '>>>=']);

/** Binding strength of binary operators; `instanceof` sits between relational and equality. */
// prettier-ignore
const PRECEDENCE: Readonly<Record<string, number>> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5,
  '==': 6, '!=': 6, '===': 6, '!==': 6,
  instanceof: 7,
  '<': 8, '<=': 8, '>': 8, '>=': 8,
  '<<': 9, '>>': 9, '>>>': 9,
  '+': 10, '-': 10,
  '*': 11, '/': 11, '%': 11,
};

const at = (token: Token): { line: number; column: number } => ({
  line: token.line,
  column: token.column,
});

/** Parses one full expression, assignments included. */
export function parseExpression(state: ParseState): Expression {
  return state.nested(() => parseAssignment(state));
}

function parseAssignment(state: ParseState): Expression {
  const target = parseElvis(state);
  const operator = state.peek();
  if (operator.kind !== 'operator' || !ASSIGN_OPERATORS.has(operator.text)) return target;
  if (target.kind !== 'Identifier' && target.kind !== 'Member' && target.kind !== 'Index') {
    state.fail(operator, `cannot assign to this expression with '${operator.text}'`);
  }
  state.next();
  const value = parseExpression(state);
  return {
    kind: 'Assign',
    operator: operator.text as AssignOperator,
    target,
    value,
    ...at(operator),
  };
}

function parseElvis(state: ParseState): Expression {
  const left = parseConditional(state);
  const operator = state.peek();
  if (!state.accept('?:')) return left;
  return { kind: 'Elvis', left, right: state.nested(() => parseElvis(state)), ...at(operator) };
}

function parseConditional(state: ParseState): Expression {
  const test = parseBinary(state, 1);
  const operator = state.peek();
  if (!state.accept('?')) return test;
  const consequent = parseExpression(state);
  state.expect(':');
  const alternate = state.nested(() => parseConditional(state));
  return { kind: 'Conditional', test, consequent, alternate, ...at(operator) };
}

function parseBinary(state: ParseState, minimum: number): Expression {
  let left = parseUnary(state);
  for (;;) {
    const operator = state.peek();
    const isBinary =
      operator.kind === 'operator' ||
      (operator.kind === 'identifier' && operator.text === 'instanceof');
    const precedence = isBinary ? PRECEDENCE[operator.text] : undefined;
    if (
      precedence === undefined ||
      precedence < minimum ||
      !Object.hasOwn(PRECEDENCE, operator.text)
    )
      return left;
    state.next();
    if (operator.text === 'instanceof') {
      left = { kind: 'InstanceOf', operand: left, type: state.parseType(), ...at(operator) };
    } else if (operator.text === '&&' || operator.text === '||') {
      left = {
        kind: 'Logical',
        operator: operator.text,
        left,
        right: parseBinary(state, precedence + 1),
        ...at(operator),
      };
    } else {
      const right = parseBinary(state, precedence + 1);
      left = {
        kind: 'Binary',
        operator: operator.text as BinaryOperator,
        left,
        right,
        ...at(operator),
      };
    }
  }
}

function parseUnary(state: ParseState): Expression {
  return state.nested(() => {
    const token = state.peek();
    if (token.kind === 'operator') {
      if (token.text === '++' || token.text === '--') {
        state.next();
        const target = parseUnary(state);
        requireAssignable(state, target, token);
        return { kind: 'Update', operator: token.text, prefix: true, target, ...at(token) };
      }
      if (token.text === '!' || token.text === '~' || token.text === '-' || token.text === '+') {
        state.next();
        const operand = parseUnary(state);
        // Fold `-2147483648` and friends into a constant, as Java does for literals.
        if (
          token.text === '-' &&
          operand.kind === 'Literal' &&
          (typeof operand.value === 'number' || operand.value instanceof JavaDouble)
        ) {
          const value = typeof operand.value === 'number' ? operand.value : operand.value.value;
          return {
            kind: 'Literal',
            value: isIntegral(operand.value) ? -value : makeDouble(-value),
            ...at(token),
          };
        }
        return { kind: 'Unary', operator: token.text, operand, ...at(token) };
      }
      if (token.text === '(') {
        const typeLength = state.typeLength(1);
        if (typeLength > 0 && state.isOperator(')', 1 + typeLength)) {
          state.next();
          const type = state.parseType();
          state.expect(')');
          return { kind: 'Cast', type, operand: parseUnary(state), ...at(token) };
        }
      }
    }
    return parsePostfix(state);
  });
}

function requireAssignable(
  state: ParseState,
  target: Expression,
  operator: Token,
): asserts target is AssignTarget {
  if (target.kind !== 'Identifier' && target.kind !== 'Member' && target.kind !== 'Index') {
    state.fail(operator, `'${operator.text}' needs a variable, field or element`);
  }
}

function parseArguments(state: ParseState): Expression[] {
  state.expect('(');
  const args: Expression[] = [];
  if (!state.accept(')')) {
    do args.push(parseExpression(state));
    while (state.accept(','));
    state.expect(')');
  }
  return args;
}

function parsePostfix(state: ParseState): Expression {
  let expression = parsePrimary(state);
  for (;;) {
    const token = state.peek();
    if (state.isOperator('.') || state.isOperator('?.')) {
      state.next();
      // Any word may follow a dot: `ctx.type`, `params.if` are map keys, not keywords.
      const name = state.peek();
      if (name.kind !== 'identifier')
        state.fail(name, `expected a field or method name but found ${describe(name)}`);
      state.next();
      const nullSafe = token.text === '?.';
      expression = state.isOperator('(')
        ? {
            kind: 'MethodCall',
            object: expression,
            name: name.text,
            args: parseArguments(state),
            nullSafe,
            ...at(name),
          }
        : { kind: 'Member', object: expression, name: name.text, nullSafe, ...at(name) };
    } else if (state.accept('[')) {
      const index = parseExpression(state);
      state.expect(']');
      expression = { kind: 'Index', object: expression, index, ...at(token) };
    } else if (state.isOperator('++') || state.isOperator('--')) {
      requireAssignable(state, expression, token);
      state.next();
      expression = {
        kind: 'Update',
        operator: token.text as '++' | '--',
        prefix: false,
        target: expression,
        ...at(token),
      };
    } else {
      return expression;
    }
  }
}

function parsePrimary(state: ParseState): Expression {
  const token = state.peek();
  switch (token.kind) {
    case 'number':
    case 'string':
      state.next();
      return { kind: 'Literal', value: token.value, ...at(token) };
    case 'operator':
      if (state.accept('(')) {
        const inner = parseExpression(state);
        state.expect(')');
        return inner;
      }
      if (token.text === '[') return parseCollectionLiteral(state);
      return state.unexpected(token);
    case 'identifier':
      return parseWord(state, token);
    default:
      return state.unexpected(token);
  }
}

/** `[]`, `[:]`, `[a, b]`, `['k': v]`. */
function parseCollectionLiteral(state: ParseState): Expression {
  const open = state.expect('[');
  if (state.accept(']')) return { kind: 'ListLiteral', elements: [], ...at(open) };
  if (state.accept(':')) {
    state.expect(']');
    return { kind: 'MapLiteral', entries: [], ...at(open) };
  }
  const first = parseExpression(state);
  if (state.accept(':')) {
    const entries = [{ key: first, value: parseExpression(state) }];
    while (state.accept(',')) {
      const key = parseExpression(state);
      state.expect(':');
      entries.push({ key, value: parseExpression(state) });
    }
    state.expect(']');
    return { kind: 'MapLiteral', entries, ...at(open) };
  }
  const elements = [first];
  while (state.accept(',')) elements.push(parseExpression(state));
  state.expect(']');
  return { kind: 'ListLiteral', elements, ...at(open) };
}

/** Keywords, `new`, static members, calls and variables. */
function parseWord(state: ParseState, token: Token): Expression {
  const word = token.text;
  if (word === 'true' || word === 'false' || word === 'null') {
    state.next();
    return { kind: 'Literal', value: word === 'null' ? null : word === 'true', ...at(token) };
  }
  if (word === 'new') return parseNew(state);
  if (isStaticClass(word) && state.isOperator('.', 1)) {
    state.next();
    state.next();
    const member = state.expectName('a static method or field name');
    if (state.isOperator('(')) {
      const args = parseArguments(state);
      const definition = findStaticMethod(word, member.text);
      if (definition === undefined)
        state.fail(member, `static method [${word}.${member.text}] is not allowed`);
      checkArityAtCompile(state, member, () =>
        checkArity(definition, args.length, `${word}.${member.text}`),
      );
      return { kind: 'StaticCall', className: word, name: member.text, args, ...at(member) };
    }
    if (findStaticField(word, member.text) === undefined)
      state.fail(member, `static field [${word}.${member.text}] is not allowed`);
    return { kind: 'StaticField', className: word, name: member.text, ...at(member) };
  }
  if (isTypeKeyword(word) || KEYWORDS.has(word)) {
    state.fail(
      token,
      isTypeKeyword(word) && state.isOperator('.', 1)
        ? `unknown class [${word}]`
        : `unexpected '${word}'`,
    );
  }
  state.next();
  if (state.isOperator('(')) {
    const call: Expression = {
      kind: 'Call',
      name: word,
      args: parseArguments(state),
      ...at(token),
    };
    state.calls.push(call);
    return call;
  }
  return { kind: 'Identifier', name: word, ...at(token) };
}

function parseNew(state: ParseState): Expression {
  const keyword = state.expectKeyword('new');
  const type = state.peek();
  if (type.kind !== 'identifier') state.unexpected(type);
  state.next();
  if (state.isOperator('[')) state.fail(type, 'arrays are not supported; use a List');
  const constructor = findConstructor(type.text);
  if (constructor === undefined) state.fail(type, `constructor [${type.text}] is not allowed`);
  const args = parseArguments(state);
  checkArityAtCompile(state, type, () => checkArity(constructor, args.length, `new ${type.text}`));
  return { kind: 'New', className: type.text, args, ...at(keyword) };
}

/** Turns an arity fault into a compile error at `token`. */
function checkArityAtCompile(state: ParseState, token: Token, check: () => void): void {
  try {
    check();
  } catch (error) {
    state.fail(token, error instanceof Error ? error.message : String(error));
  }
}
