/**
 * Per-run state: variable scopes, the step and time budget, and call depth. One context is created
 * for each `execute`, so a compiled script can run concurrently with different variables.
 */
import type { Program, TypeName } from './ast.js';
import { checkDeadline } from './deadline.js';
import { STEP_LIMIT_MESSAGE, ScriptFault, limitReached } from './errors.js';

/** A builtin function injected by the caller, e.g. ML Commons' `escape`. */
export type Builtin = (...args: unknown[]) => unknown;

/** Runs a script function or builtin; supplied by the statement evaluator (which expressions cannot import). */
export type FunctionRunner = (name: string, args: unknown[], context: ExecutionContext) => unknown;

/** Default step budget: Painless's loop counter limit. */
export const DEFAULT_MAX_STEPS = 1_000_000;
/** Default wall-clock budget of one run. */
export const DEFAULT_TIMEOUT_MS = 1000;
/** Nested function calls allowed; deep enough for real recursion, shallow enough for the JS stack. */
export const MAX_CALL_DEPTH = 100;
/** Reading the clock on every step would dominate; every 1024 steps is frequent enough. */
export const CLOCK_CHECK_INTERVAL = 1024;

/** A variable: its declared type governs what can be assigned to it. */
export interface Variable {
  readonly type: TypeName;
  value: unknown;
}

/** Block scope chain. A function body starts a fresh chain: functions see only their parameters. */
export class Scope {
  private readonly variables = new Map<string, Variable>();

  constructor(private readonly parent: Scope | null) {}

  lookup(name: string): Variable | undefined {
    for (let scope: Scope | null = this; scope !== null; scope = scope.parent) {
      const variable = scope.variables.get(name);
      if (variable !== undefined) return variable;
    }
    return undefined;
  }

  /** Java forbids shadowing a local of an enclosing block, so any visible name is a conflict. */
  declare(name: string, type: TypeName, value: unknown): Variable {
    if (this.lookup(name) !== undefined) {
      throw new ScriptFault(`variable [${name}] is already defined`, 'IllegalArgumentException');
    }
    const variable = { type, value };
    this.variables.set(name, variable);
    return variable;
  }
}

/** State of one run; the wall clock itself is kept by `withDeadline` around the run. */
export class ExecutionContext {
  private steps = 0;
  callDepth = 0;

  constructor(
    readonly program: Program,
    readonly builtins: Readonly<Record<string, Builtin>>,
    private readonly maxSteps: number,
    private readonly runFunction: FunctionRunner,
  ) {}

  /** Calls the script function or builtin `name` with evaluated arguments. */
  callFunction(name: string, args: unknown[]): unknown {
    return this.runFunction(name, args, this);
  }

  /** Counts one statement or loop iteration; fails when the budget is spent. */
  tick(): void {
    this.steps++;
    if (this.steps > this.maxSteps) throw limitReached(STEP_LIMIT_MESSAGE);
    if (this.steps % CLOCK_CHECK_INTERVAL === 0) checkDeadline();
  }

  enterCall(name: string): void {
    if (++this.callDepth > MAX_CALL_DEPTH) {
      throw limitReached(`function [${name}] nested deeper than ${MAX_CALL_DEPTH} calls`);
    }
  }

  leaveCall(): void {
    this.callDepth--;
  }
}
