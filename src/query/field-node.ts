/**
 * Builds a query node from a per-type term test. For a mapped field the test is built once at
 * compile time, so a value the field cannot take is a 400 before anything runs. For an unmapped
 * (dynamic) field each JSON type found gets its own test, built lazily; a value that cannot
 * apply to that type simply does not match, as it would against a dynamically mapped index.
 */
import { isOpenSearchError } from '../errors/opensearch-error.js';
import type { LeafType } from './field-mapping.js';
import type { FieldValues } from './field-values.js';
import { NO_MATCH, type QueryNode } from './query-node.js';
import type { ResolvedField } from './resolve-field.js';
import type { Term } from './terms.js';

/** A test for one indexed term. */
export type TermTest = (term: Term) => boolean;

/** Builds the test for values of `type`; may throw a 400 when the query cannot apply to it. */
export type TestFactory = (type: LeafType) => TermTest;

/** The single type a resolved field indexes as, or null when it is typed per value (dynamic). */
export function fixedType(field: ResolvedField): LeafType | null {
  switch (field.kind) {
    case 'leaf':
      return field.type;
    case 'meta':
      return field.meta === '_seq_no' ? 'long' : 'keyword';
    case 'flat':
      return 'keyword';
    default:
      return null;
  }
}

/** Returns a function that picks (and memoises) the test for each value group. */
export function testsFor(
  field: ResolvedField,
  factory: TestFactory,
): (group: FieldValues) => TermTest | null {
  const type = fixedType(field);
  if (type !== null) {
    const test = factory(type);
    return () => test;
  }
  const tests = new Map<LeafType, TermTest | null>();
  return (group) => {
    if (!tests.has(group.type)) {
      try {
        tests.set(group.type, factory(group.type));
      } catch (error) {
        if (!isOpenSearchError(error)) throw error;
        tests.set(group.type, null);
      }
    }
    return tests.get(group.type) ?? null;
  };
}

/** A constant-scoring node matching documents where any indexed term of `field` passes the test. */
export function termTestNode(field: ResolvedField, factory: TestFactory, score: number): QueryNode {
  if (field.kind === 'none' || field.kind === 'object') return NO_MATCH;
  const pick = testsFor(field, factory);
  return {
    evaluate(doc, ctx) {
      for (const group of ctx.values(field, doc)) {
        const test = pick(group);
        if (test !== null && group.terms.some(test)) return score;
      }
      return null;
    },
  };
}
