/**
 * Statement execution, function calls and the top-level run. Control flow travels as return
 * values (`BREAK`, `CONTINUE`, `ReturnSignal`) rather than JS exceptions, which keeps loops cheap;
 * only faults are thrown.
 */
import type { Expression, Program, Statement, TypeName } from './ast.js';
import { OpenSearchError } from '../errors/opensearch-error.js';
import { ScriptFault, classCast, nullPointer } from './errors.js';
import { evaluate, evaluateCondition, stampPosition, withPosition } from './evaluate-expression.js';
import { ExecutionContext, Scope, type Builtin, type Variable } from './execution-context.js';
import { plainCopy } from './export-values.js';
import { coerceToType, isExceptionSubtype } from './java-types.js';
import { JavaException, kindOf, makeDouble } from './java-values.js';

const BREAK = Symbol('break');
const CONTINUE = Symbol('continue');

class ReturnSignal {
  constructor(readonly value: unknown) {}
}

/** How a statement ended: normally (undefined), or by break, continue or return. */
type Completion = undefined | typeof BREAK | typeof CONTINUE | ReturnSignal;

/** Painless initializes declared-but-unassigned locals to their type's default. */
function defaultValue(type: TypeName): unknown {
  switch (type) {
    case 'byte':
    case 'short':
    case 'int':
    case 'long':
      return 0;
    case 'float':
    case 'double':
      return makeDouble(0);
    case 'boolean':
      return false;
    case 'char':
      return '\0';
    default:
      return null;
  }
}

/** Runs a compiled program with the caller's top-level variables; returns the raw result. */
export function runProgram(
  program: Program,
  variables: Readonly<Record<string, unknown>>,
  builtins: Readonly<Record<string, Builtin>>,
  maxSteps: number,
): unknown {
  const context = new ExecutionContext(program, builtins, maxSteps, callFunction);
  const globals = new Scope(null);
  for (const [name, value] of Object.entries(variables))
    globals.declare(name, 'def', value ?? null);
  const scope = new Scope(globals);
  for (const statement of program.body) {
    const completion = execute(statement, scope, context);
    if (completion instanceof ReturnSignal) return completion.value;
  }
  return null;
}

function callFunction(name: string, args: unknown[], context: ExecutionContext): unknown {
  const declaration = context.program.functions.get(`${name}/${args.length}`);
  if (declaration !== undefined) {
    context.enterCall(name);
    try {
      // A fresh scope chain: like Painless functions, these see their parameters and nothing else.
      const scope = new Scope(null);
      declaration.parameters.forEach((parameter, index) =>
        scope.declare(
          parameter.name,
          parameter.type,
          coerceToType(parameter.type, args[index], false),
        ),
      );
      const completion = execute(declaration.body, scope, context);
      if (declaration.returnType === 'void') return null;
      const value = completion instanceof ReturnSignal ? completion.value : null;
      return withPosition(declaration, () => coerceToType(declaration.returnType, value, false));
    } finally {
      context.leaveCall();
    }
  }
  const builtin = Object.hasOwn(context.builtins, name) ? context.builtins[name] : undefined;
  if (builtin === undefined)
    throw new ScriptFault(`unknown function [${name}/${args.length}]`, 'IllegalArgumentException');
  try {
    return builtin(...args.map((arg) => plainCopy(arg))) ?? null;
  } catch (error) {
    if (error instanceof OpenSearchError || error instanceof ScriptFault) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new ScriptFault(`function [${name}] failed: ${message}`, 'RuntimeException');
  }
}

function execute(node: Statement, scope: Scope, context: ExecutionContext): Completion {
  try {
    context.tick();
    return executeNode(node, scope, context);
  } catch (error) {
    stampPosition(error, node);
    throw error;
  }
}

function executeNode(node: Statement, scope: Scope, context: ExecutionContext): Completion {
  switch (node.kind) {
    case 'Block': {
      // A scope per block execution is only needed when the block declares something.
      const inner = node.declares ? new Scope(scope) : scope;
      for (const statement of node.body) {
        const completion = execute(statement, inner, context);
        if (completion !== undefined) return completion;
      }
      return undefined;
    }
    case 'Declaration':
      for (const declarator of node.declarators) {
        const value =
          declarator.init === null
            ? defaultValue(node.type)
            : evaluate(declarator.init, scope, context);
        try {
          scope.declare(declarator.name, node.type, coerceToType(node.type, value, false));
        } catch (error) {
          stampPosition(error, declarator);
          throw error;
        }
      }
      return undefined;
    case 'Expression': {
      const value = evaluate(node.expression, scope, context);
      return node.implicitReturn ? new ReturnSignal(value) : undefined;
    }
    case 'If':
      if (condition(node.test, scope, context, 'if'))
        return execute(node.consequent, scope, context);
      return node.alternate === null ? undefined : execute(node.alternate, scope, context);
    case 'While':
      while (condition(node.test, scope, context, 'while')) {
        const completion = execute(node.body, scope, context);
        if (completion === BREAK) break;
        if (completion instanceof ReturnSignal) return completion;
      }
      return undefined;
    case 'DoWhile':
      do {
        const completion = execute(node.body, scope, context);
        if (completion === BREAK) break;
        if (completion instanceof ReturnSignal) return completion;
      } while (condition(node.test, scope, context, 'while'));
      return undefined;
    case 'For': {
      const loopScope = new Scope(scope);
      if (Array.isArray(node.init))
        for (const expression of node.init) evaluate(expression, loopScope, context);
      else execute(node.init as Statement, loopScope, context);
      while (node.test === null || condition(node.test, loopScope, context, 'for')) {
        const completion = execute(node.body, loopScope, context);
        if (completion === BREAK) break;
        if (completion instanceof ReturnSignal) return completion;
        for (const expression of node.update) evaluate(expression, loopScope, context);
      }
      return undefined;
    }
    case 'ForEach': {
      const iterable = evaluate(node.iterable, scope, context);
      const items = withPosition(node.iterable, () => iterate(iterable));
      // One scope for the loop variable, rebound per iteration (nothing can capture it: no lambdas).
      const iterationScope = new Scope(scope);
      let variable: Variable | undefined;
      for (const item of items) {
        const value = withPosition(node, () => coerceToType(node.type, item, false));
        if (variable === undefined)
          variable = withPosition(node, () => iterationScope.declare(node.name, node.type, value));
        else variable.value = value;
        const completion = execute(node.body, iterationScope, context);
        if (completion === BREAK) break;
        if (completion instanceof ReturnSignal) return completion;
      }
      return undefined;
    }
    case 'Break':
      return BREAK;
    case 'Continue':
      return CONTINUE;
    case 'Empty':
      return undefined;
    case 'Return':
      return new ReturnSignal(
        node.argument === null ? null : evaluate(node.argument, scope, context),
      );
    case 'Throw': {
      const exception = evaluate(node.argument, scope, context);
      if (!(exception instanceof JavaException))
        throw classCast(`can only throw an exception, not [${kindOf(exception)}]`);
      throw new ScriptFault(exception.message ?? exception.javaType, exception.javaType, true);
    }
    case 'Try':
      try {
        return execute(node.block, scope, context);
      } catch (error) {
        // Interpreter limits (javaType null) and errors from builtins are not Java exceptions a script can catch.
        if (!(error instanceof ScriptFault) || error.javaType === null) throw error;
        const javaType = error.javaType;
        const handler = node.handlers.find((candidate) =>
          isExceptionSubtype(javaType, candidate.type),
        );
        if (handler === undefined) throw error;
        const handlerScope = new Scope(scope);
        handlerScope.declare(
          handler.name,
          handler.type,
          new JavaException(javaType, error.message),
        );
        return execute(handler.body, handlerScope, context);
      }
  }
}

function condition(
  test: Expression,
  scope: Scope,
  context: ExecutionContext,
  where: string,
): boolean {
  // Loop iterations count against the budget too, so `while (true) {}` with an empty body still stops.
  if (where !== 'if') context.tick();
  return evaluateCondition(test, scope, context, where);
}

/** What a for-each loop walks: a snapshot of a list (maps need keySet(), values() or entrySet()). */
function iterate(value: unknown): readonly unknown[] {
  if (value === null || value === undefined) throw nullPointer('cannot iterate over null');
  if (Array.isArray(value)) return value.slice();
  throw classCast(
    `cannot iterate over [${kindOf(value)}]; use keySet(), values() or entrySet() for a Map`,
  );
}
