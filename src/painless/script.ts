/**
 * Compiling and running scripts: the public entry points of the interpreter.
 */
import type { OpenSearchError } from '../errors/opensearch-error.js';
import { withDeadline } from './deadline.js';
import { compileError, toOpenSearchError } from './errors.js';
import { runProgram } from './evaluator.js';
import { DEFAULT_MAX_STEPS, DEFAULT_TIMEOUT_MS, type Builtin } from './execution-context.js';
import { exportInPlace } from './export-values.js';
import { parseProgram } from './parser.js';

/** Options for `compilePainless`. */
export interface PainlessCompileOptions {
  /** Extra top-level functions, e.g. `{ escape: painlessEscape }`; a script function of the same name wins. */
  readonly builtins?: Readonly<Record<string, Builtin>>;
}

/** Limits for one run. */
export interface PainlessBudget {
  /** Statements plus loop iterations (default 1,000,000, Painless's loop counter). */
  readonly maxSteps?: number;
  /** Wall-clock limit in milliseconds (default 1000). */
  readonly timeoutMs?: number;
}

/** A compiled script; safe to cache and to run many times, each run with its own variables. */
export interface PainlessScript {
  readonly source: string;
  /** Runs the script; returns its result as plain JS, or throws an `OpenSearchError`. */
  execute(variables: Readonly<Record<string, unknown>>, budget?: PainlessBudget): unknown;
}

/** Parses and checks a script; throws a 400 `script_exception` compile error. */
export function compilePainless(
  source: string,
  options: PainlessCompileOptions = {},
): PainlessScript {
  const program = parseProgram(source);
  const builtins = options.builtins ?? {};
  for (const call of program.calls) {
    const known =
      program.functions.has(`${call.name}/${call.args.length}`) ||
      Object.hasOwn(builtins, call.name);
    if (!known)
      throw compileError(
        call,
        `unknown function [${call.name}] with ${call.args.length} argument(s)`,
      );
  }
  return {
    source,
    execute(variables, budget = {}) {
      try {
        const maxSteps = budget.maxSteps ?? DEFAULT_MAX_STEPS;
        return withDeadline(budget.timeoutMs ?? DEFAULT_TIMEOUT_MS, () =>
          exportInPlace(runProgram(program, variables, builtins, maxSteps)),
        );
      } catch (error) {
        throw toOpenSearchError(error) satisfies OpenSearchError;
      } finally {
        // Values the script stored into the caller's documents must be plain JSON values too.
        exportInPlace(Object.values(variables));
      }
    },
  };
}

const MAX_CACHED_SCRIPTS = 500;
const cache = new Map<
  string,
  { builtins: PainlessCompileOptions['builtins']; script: PainlessScript }
>();

/** `compilePainless` with a bounded LRU cache keyed by source (and builtins object identity). */
export function compilePainlessCached(
  source: string,
  options: PainlessCompileOptions = {},
): PainlessScript {
  const cached = cache.get(source);
  if (cached !== undefined && cached.builtins === options.builtins) {
    cache.delete(source);
    cache.set(source, cached); // re-insert: Map order is the recency order
    return cached.script;
  }
  const script = compilePainless(source, options);
  cache.set(source, { builtins: options.builtins, script });
  if (cache.size > MAX_CACHED_SCRIPTS) {
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  return script;
}
