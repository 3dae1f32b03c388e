/**
 * Shared helpers for the Painless tests: run a snippet, or capture the OpenSearchError it throws.
 */
import { OpenSearchError } from '../../src/errors/opensearch-error.js';
import { compilePainless, painlessEscape, type PainlessBudget } from '../../src/painless/index.js';

/** Compiles and runs `source` with ML Commons' `escape` builtin available. */
export function run(
  source: string,
  variables: Record<string, unknown> = {},
  budget?: PainlessBudget,
): unknown {
  return compilePainless(source, { builtins: { escape: painlessEscape } }).execute(
    variables,
    budget,
  );
}

/** Runs `source` and returns the error it throws; fails the test if it does not throw one. */
export function runError(
  source: string,
  variables: Record<string, unknown> = {},
  budget?: PainlessBudget,
): OpenSearchError {
  try {
    run(source, variables, budget);
  } catch (error) {
    if (error instanceof OpenSearchError) return error;
    throw new Error(`expected an OpenSearchError, got ${String(error)}`);
  }
  throw new Error(`expected ${JSON.stringify(source)} to throw`);
}

/** The reason of the compile error `source` raises. */
export function compileErrorOf(source: string): OpenSearchError {
  try {
    compilePainless(source);
  } catch (error) {
    if (error instanceof OpenSearchError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(source)} not to compile`);
}
