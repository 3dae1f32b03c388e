/**
 * Operators with Java semantics: int arithmetic stays int (`5 / 2` is 2, `/ by zero` throws),
 * any double operand makes the result double, `+` with a String operand concatenates Java string
 * forms, and `==` compares values.
 */
import type { BinaryOperator } from './ast.js';
import { ScriptFault, classCast, nullPointer } from './errors.js';
import { identityEquals, painlessEquals } from './java-equality.js';
import { checkStringLength, javaToString } from './java-to-string.js';
import {
  JavaDouble,
  isDouble,
  isInt32,
  isIntegral,
  isNumber,
  kindOf,
  makeDouble,
  numberValue,
} from './java-values.js';

const divisionByZero = (): ScriptFault => new ScriptFault('/ by zero', 'ArithmeticException');

function operandError(operator: string, left: unknown, right: unknown): ScriptFault {
  if (left === null || left === undefined || right === null || right === undefined) {
    return nullPointer(`cannot apply [${operator}] to null`);
  }
  return classCast(`cannot apply [${operator}] to [${kindOf(left)}] and [${kindOf(right)}]`);
}

/** Arithmetic on two numbers; int results use Java's truncating division and remainder. */
function arithmetic(
  operator: '+' | '-' | '*' | '/' | '%',
  left: number | JavaDouble,
  right: number | JavaDouble,
): number | JavaDouble {
  const a = numberValue(left);
  const b = numberValue(right);
  if (isDouble(left) || isDouble(right)) {
    switch (operator) {
      case '+':
        return makeDouble(a + b);
      case '-':
        return makeDouble(a - b);
      case '*':
        return makeDouble(a * b);
      case '/':
        return makeDouble(a / b);
      case '%':
        return makeDouble(a % b);
    }
  }
  switch (operator) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b + 0;
    case '/':
      if (b === 0) throw divisionByZero();
      return Math.trunc(a / b) + 0; // + 0 turns -0 into 0: ints have no negative zero.
    case '%':
      if (b === 0) throw divisionByZero();
      return (a % b) + 0;
  }
}

/** `&`, `|`, `^`, shifts: booleans for the logical forms, 32-bit ints when both fit, else 64-bit longs. */
function bitwise(
  operator: '&' | '|' | '^' | '<<' | '>>' | '>>>',
  left: unknown,
  right: unknown,
): unknown {
  if (
    typeof left === 'boolean' &&
    typeof right === 'boolean' &&
    (operator === '&' || operator === '|' || operator === '^')
  ) {
    if (operator === '&') return left && right;
    if (operator === '|') return left || right;
    return left !== right;
  }
  if (!isIntegral(left) || !isIntegral(right)) throw operandError(operator, left, right);
  if (isInt32(left) && isInt32(right)) {
    switch (operator) {
      case '&':
        return left & right;
      case '|':
        return left | right;
      case '^':
        return left ^ right;
      case '<<':
        return left << right;
      case '>>':
        return left >> right;
      case '>>>':
        return (left >>> right) | 0;
    }
  }
  const a = BigInt(left);
  const b = BigInt(right);
  const shift = b & 63n;
  const result = {
    '&': a & b,
    '|': a | b,
    '^': a ^ b,
    '<<': a << shift,
    '>>': a >> shift,
    '>>>': BigInt.asUintN(64, a) >> shift,
  }[operator];
  return Number(BigInt.asIntN(64, result));
}

/** String concatenation, bounded so runaway doubling fails cleanly. */
function concatenate(left: unknown, right: unknown): string {
  const leftText = javaToString(left);
  const rightText = javaToString(right);
  checkStringLength(leftText.length + rightText.length);
  return leftText + rightText;
}

/** Evaluates `left operator right` on already-evaluated operands. */
export function applyBinary(operator: BinaryOperator, left: unknown, right: unknown): unknown {
  switch (operator) {
    case '+':
      if (typeof left === 'string' || typeof right === 'string') return concatenate(left, right);
      if (isNumber(left) && isNumber(right)) return arithmetic(operator, left, right);
      throw operandError(operator, left, right);
    case '-':
    case '*':
    case '/':
    case '%':
      if (isNumber(left) && isNumber(right)) return arithmetic(operator, left, right);
      throw operandError(operator, left, right);
    case '==':
      return painlessEquals(left, right);
    case '!=':
      return !painlessEquals(left, right);
    case '===':
      return identityEquals(left, right);
    case '!==':
      return !identityEquals(left, right);
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compare(operator, left, right);
    default:
      return bitwise(operator, left, right);
  }
}

function compare(operator: '<' | '<=' | '>' | '>=', left: unknown, right: unknown): boolean {
  if (!isNumber(left) || !isNumber(right)) throw operandError(operator, left, right);
  const a = numberValue(left);
  const b = numberValue(right);
  switch (operator) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

/** Unary `-`, `+`, `~`, `!`. */
export function applyUnary(operator: '!' | '-' | '+' | '~', operand: unknown): unknown {
  if (operator === '!') return !requireBoolean(operand, '!');
  if (!isNumber(operand)) throw operandError(operator, operand, 0);
  if (operator === '~') {
    if (!isIntegral(operand)) throw classCast('cannot apply [~] to [Double]');
    return bitwise('^', operand, -1);
  }
  if (operator === '+') return operand;
  return isDouble(operand) ? makeDouble(-numberValue(operand)) : -numberValue(operand) + 0;
}

/** The boolean a condition needs; Painless has no truthiness, so anything else is an error. */
export function requireBoolean(value: unknown, where: string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === null || value === undefined)
    throw nullPointer(`cannot use null as a boolean in [${where}]`);
  throw classCast(`cannot use [${kindOf(value)}] as a boolean in [${where}]`);
}

/** `x + 1` / `x - 1` for `++` and `--`. */
export function increment(value: unknown, delta: 1 | -1): unknown {
  if (!isNumber(value)) throw operandError(delta === 1 ? '++' : '--', value, 1);
  return arithmetic('+', value, delta);
}
