/**
 * The compiled form of a query clause and the environment clauses are compiled in. A clause is
 * parsed and validated once (every 400 is raised at compile time, before any record is read) and
 * then evaluated per document.
 */
import type { EvalContext } from './context.js';
import type { EvalDoc } from './field-values.js';
import type { FieldMapping } from './field-mapping.js';
import type { ResolvedField } from './resolve-field.js';

/** A compiled clause: the document's score when it matches, null when it does not. */
export interface QueryNode {
  evaluate(doc: EvalDoc, ctx: EvalContext): number | null;
}

/** What clause parsers need: the mapping, the clock for date math, and recursion. */
export interface CompileEnv {
  readonly mapping: FieldMapping;
  /** Epoch millis that `now` in date math means, fixed for the whole query. */
  readonly now: number;
  /** Compiles a nested query object found at `path`. */
  compile(query: unknown, path: string): QueryNode;
  /** Resolves a field name against the mapping. */
  field(name: string): ResolvedField;
}

/** Matches every document with a constant score. */
export const constantNode = (score: number): QueryNode => ({ evaluate: () => score });

/** Matches nothing. */
export const NO_MATCH: QueryNode = { evaluate: () => null };
