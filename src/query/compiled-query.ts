/**
 * The public face of a compiled query: a predicate and a scorer over `StoredRecord`s that callers
 * can combine with their own filters (access control, tenancy) without rebuilding the DSL.
 */
import type { StoredRecord } from '../store/store.js';
import { compileNode, type CompileOptions } from './compile-query.js';
import { EvalContext } from './context.js';
import type { FieldMapping } from './field-mapping.js';
import type { EvalDoc } from './field-values.js';
import { GlobMatcher } from './glob.js';
import type { QueryNode } from './query-node.js';
import { removePaths } from './source-filter.js';

/** A plain record predicate, e.g. an access-control check. */
export type RecordPredicate = (record: StoredRecord) => boolean;

/** A query compiled once, evaluable against any number of records. */
export interface CompiledQuery {
  /** The compiled clause tree (for composing inside another compiled query). */
  readonly node: QueryNode;
  /** True when `record` matches; needs no collection statistics. */
  matches(record: StoredRecord): boolean;
  /**
   * Binds BM25 statistics to `records` (the searched collection) and returns a scorer giving a
   * record's score, or null when it does not match.
   */
  scorer(records: readonly StoredRecord[]): (record: StoredRecord) => number | null;
  /** This query plus a non-scoring filter, the way a bool `filter` clause would add it. */
  withFilter(filter: CompiledQuery | RecordPredicate): CompiledQuery;
}

/** Options for `compileQuery`. */
export interface CompileQueryOptions extends CompileOptions {
  /** Index name `_index` queries compare against. */
  readonly index?: string;
  /**
   * Source paths (`*` globs) invisible to the query, e.g. `credential`. They are removed before
   * evaluation, so no query (prefix, range, exists...) can probe a secret's content.
   */
  readonly hiddenFields?: readonly string[];
}

/** Builds the documents a query sees: visible source, metadata, record order. */
export function toEvalDocs(
  records: readonly StoredRecord[],
  index: string,
  hidden: readonly GlobMatcher[],
): EvalDoc[] {
  return records.map((record, ordinal) => ({
    record,
    id: record.id,
    index,
    source: removePaths(record.source, hidden),
    nestedPath: null,
    ordinal,
  }));
}

/** Wraps a node as a `CompiledQuery`. */
export function wrapNode(
  node: QueryNode,
  index: string,
  hidden: readonly GlobMatcher[],
): CompiledQuery {
  const compiled: CompiledQuery = {
    node,
    matches(record) {
      const docs = toEvalDocs([record], index, hidden);
      const [doc] = docs;
      return doc !== undefined && node.evaluate(doc, new EvalContext(docs, false)) !== null;
    },
    scorer(records) {
      const docs = toEvalDocs(records, index, hidden);
      const byRecord = new Map(docs.map((doc) => [doc.record, doc]));
      const ctx = new EvalContext(docs, true);
      return (record) => {
        const doc = byRecord.get(record) ?? toEvalDocs([record], index, hidden)[0];
        return doc === undefined ? null : node.evaluate(doc, ctx);
      };
    },
    withFilter(filter) {
      const test: QueryNode =
        typeof filter === 'function'
          ? { evaluate: (doc) => (filter(doc.record) ? 0 : null) }
          : filter.node;
      return wrapNode(
        {
          evaluate: (doc, ctx) =>
            test.evaluate(doc, ctx) === null ? null : node.evaluate(doc, ctx),
        },
        index,
        hidden,
      );
    },
  };
  return compiled;
}

/** Compiles a query DSL object (undefined = match_all) against `mapping`; throws a 400 on any problem. */
export function compileQuery(
  query: unknown,
  mapping: FieldMapping,
  options: CompileQueryOptions = {},
): CompiledQuery {
  const node = compileNode(query ?? { match_all: {} }, mapping, 'query', options);
  return wrapNode(
    node,
    options.index ?? '',
    (options.hiddenFields ?? []).map((p) => new GlobMatcher(p)),
  );
}
