/**
 * Expression evaluation. Each node evaluates its operands first and then does its own operation,
 * so a fault that reaches a node's handler without a position happened in that node's own
 * operation: the handler stamps it with the node's line and column.
 */
import type { AssignOperator, AssignTarget, BinaryOperator, Expression } from './ast.js';
import { mapKey } from './collection-methods.js';
import { ScriptFault, type SourcePosition } from './errors.js';
import type { ExecutionContext, Scope, Variable } from './execution-context.js';
import { castToType, coerceToType, isInstanceOf } from './java-types.js';
import { mapSet, newMap } from './java-values.js';
import { readElement, readField, writeElement, writeField } from './member-access.js';
import { invokeMethod } from './methods.js';
import { applyBinary, applyUnary, increment, requireBoolean } from './operators.js';
import { findConstructor, findStaticField, findStaticMethod } from './statics.js';

/** Attributes a fault that has no position yet to `position`. */
export function stampPosition(error: unknown, position: SourcePosition): void {
  if (error instanceof ScriptFault && error.position === undefined) {
    error.position = { line: position.line, column: position.column };
  }
}

/** Runs `operation`, attributing an unpositioned fault to `position`. */
export function withPosition<T>(position: SourcePosition, operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    stampPosition(error, position);
    throw error;
  }
}

/** Evaluates a condition; Painless has no truthiness, so a non-boolean fails at the condition. */
export function evaluateCondition(
  node: Expression,
  scope: Scope,
  context: ExecutionContext,
  where: string,
): boolean {
  const value = evaluate(node, scope, context);
  try {
    return requireBoolean(value, where);
  } catch (error) {
    stampPosition(error, node);
    throw error;
  }
}

/** Evaluates an expression to an interpreter value. */
export function evaluate(node: Expression, scope: Scope, context: ExecutionContext): unknown {
  // try/catch inline rather than withPosition: this runs for every node, so no closure per call.
  try {
    return evaluateNode(node, scope, context);
  } catch (error) {
    stampPosition(error, node);
    throw error;
  }
}

function evaluateNode(node: Expression, scope: Scope, context: ExecutionContext): unknown {
  switch (node.kind) {
    case 'Literal':
      return node.value;
    case 'Identifier':
      return lookup(node.name, scope).value;
    case 'ListLiteral':
      return node.elements.map((element) => evaluate(element, scope, context));
    case 'MapLiteral': {
      const map = newMap();
      for (const entry of node.entries) {
        const key = mapKey(evaluate(entry.key, scope, context));
        mapSet(map, key, evaluate(entry.value, scope, context));
      }
      return map;
    }
    case 'Member': {
      const object = evaluate(node.object, scope, context);
      if (node.nullSafe && (object === null || object === undefined)) return null;
      return readField(object, node.name);
    }
    case 'Index': {
      const object = evaluate(node.object, scope, context);
      return readElement(object, evaluate(node.index, scope, context));
    }
    case 'Call':
      return context.callFunction(node.name, evaluateAll(node.args, scope, context));
    case 'MethodCall': {
      const object = evaluate(node.object, scope, context);
      if (node.nullSafe && (object === null || object === undefined)) return null;
      return invokeMethod(object, node.name, evaluateAll(node.args, scope, context));
    }
    case 'StaticCall':
      return required(findStaticMethod(node.className, node.name)).call(
        null,
        evaluateAll(node.args, scope, context),
      );
    case 'StaticField':
      return required(findStaticField(node.className, node.name)).value;
    case 'New':
      return required(findConstructor(node.className)).call(
        null,
        evaluateAll(node.args, scope, context),
      );
    case 'Unary':
      return applyUnary(node.operator, evaluate(node.operand, scope, context));
    case 'Binary': {
      const left = evaluate(node.left, scope, context);
      return applyBinary(node.operator, left, evaluate(node.right, scope, context));
    }
    case 'Logical': {
      const left = evaluateCondition(node.left, scope, context, node.operator);
      if (node.operator === '&&' ? !left : left) return left;
      return evaluateCondition(node.right, scope, context, node.operator);
    }
    case 'Conditional': {
      const test = evaluateCondition(node.test, scope, context, '?:');
      return evaluate(test ? node.consequent : node.alternate, scope, context);
    }
    case 'Elvis': {
      const left = evaluate(node.left, scope, context);
      return left === null || left === undefined ? evaluate(node.right, scope, context) : left;
    }
    case 'Cast':
      return castToType(node.type, evaluate(node.operand, scope, context));
    case 'InstanceOf':
      return isInstanceOf(evaluate(node.operand, scope, context), node.type);
    case 'Assign':
      return assign(node.target, node.operator, node.value, scope, context);
    case 'Update':
      return update(node.target, node.operator === '++' ? 1 : -1, node.prefix, scope, context);
  }
}

function evaluateAll(
  args: readonly Expression[],
  scope: Scope,
  context: ExecutionContext,
): unknown[] {
  return args.map((arg) => evaluate(arg, scope, context));
}

/** Statics and constructors were checked at compile time; this only satisfies the type checker. */
function required<T>(value: T | undefined): T {
  if (value === undefined) throw new ScriptFault('internal error: unresolved static member', null);
  return value;
}

function lookup(name: string, scope: Scope): Variable {
  const variable = scope.lookup(name);
  if (variable === undefined)
    throw new ScriptFault(`cannot resolve symbol [${name}]`, 'IllegalArgumentException');
  return variable;
}

/** Where an assignment writes: a variable, or an object's field or element (parts evaluated once). */
interface Location {
  readonly target: AssignTarget;
  readonly variable: Variable | null;
  readonly object: unknown;
  readonly index: unknown;
}

function locate(target: AssignTarget, scope: Scope, context: ExecutionContext): Location {
  switch (target.kind) {
    case 'Identifier':
      try {
        return { target, variable: lookup(target.name, scope), object: null, index: null };
      } catch (error) {
        stampPosition(error, target);
        throw error;
      }
    case 'Member':
      return {
        target,
        variable: null,
        object: evaluate(target.object, scope, context),
        index: null,
      };
    case 'Index': {
      // Java evaluates the target's object and index before the assigned value.
      const object = evaluate(target.object, scope, context);
      return { target, variable: null, object, index: evaluate(target.index, scope, context) };
    }
  }
}

function readAt(location: Location): unknown {
  const { target } = location;
  try {
    if (location.variable !== null) return location.variable.value;
    return target.kind === 'Member'
      ? readField(location.object, target.name)
      : readElement(location.object, location.index);
  } catch (error) {
    stampPosition(error, target);
    throw error;
  }
}

/** Stores the value and returns what was stored (after a declared type converted it). */
function writeAt(location: Location, value: unknown, compound: boolean): unknown {
  const { target } = location;
  try {
    if (location.variable !== null) {
      location.variable.value = coerceToType(location.variable.type, value, compound);
      return location.variable.value;
    }
    if (target.kind === 'Member') writeField(location.object, target.name, value);
    else writeElement(location.object, location.index, value);
    return value;
  } catch (error) {
    stampPosition(error, target);
    throw error;
  }
}

function assign(
  target: AssignTarget,
  operator: AssignOperator,
  valueNode: Expression,
  scope: Scope,
  context: ExecutionContext,
): unknown {
  const location = locate(target, scope, context);
  if (operator === '=') return writeAt(location, evaluate(valueNode, scope, context), false);
  const current = readAt(location);
  const binary = operator.slice(0, -1) as BinaryOperator;
  return writeAt(location, applyBinary(binary, current, evaluate(valueNode, scope, context)), true);
}

function update(
  target: AssignTarget,
  delta: 1 | -1,
  prefix: boolean,
  scope: Scope,
  context: ExecutionContext,
): unknown {
  const location = locate(target, scope, context);
  const previous = readAt(location);
  const updated = writeAt(location, increment(previous, delta), true);
  return prefix ? updated : previous;
}
