/**
 * Reads one resolved field out of one document as indexed terms, grouped by type: a mapped field
 * yields one group, an unmapped (dynamic) field one group per JSON type found, because dynamic
 * mapping types each value by what it is.
 */
import { analyzeValues, type Token } from './analyzer.js';
import type { LeafType } from './field-mapping.js';
import type { JsonMap } from './json.js';
import type { StoredRecord } from '../store/store.js';
import type { ResolvedField } from './resolve-field.js';
import { dynamicIgnoreAbove, dynamicTypeOf, storedTerm, type Term } from './terms.js';
import { collectValues, flattenLeaves } from './values.js';

/** A document as queries see it: a record's visible source, or one nested object of it. */
export interface EvalDoc {
  /** The record this document is (or, for a nested document, belongs to). */
  readonly record: StoredRecord;
  readonly id: string;
  readonly index: string;
  /** The source root; for a nested doc, `{path: element}` so full field names still resolve. */
  readonly source: JsonMap;
  /** Null for a top-level document, else the nested path this document lives at. */
  readonly nestedPath: string | null;
  /** Position in the searched records (tie-breaks sorting like Lucene's doc id). */
  readonly ordinal: number;
}

/** The indexed terms of one field in one document, for one field type. */
export interface FieldValues {
  readonly type: LeafType;
  readonly terms: readonly Term[];
  /** Text fields only: positioned tokens (phrases) whose count is the field length (BM25). */
  readonly tokens?: readonly Token[];
}

const textValues = (values: readonly unknown[]): FieldValues => {
  const strings = values
    .filter((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
    .map(String);
  const tokens = analyzeValues(strings);
  return { type: 'text', terms: tokens.map((t) => t.term), tokens };
};

const typedValues = (
  type: LeafType,
  values: readonly unknown[],
  ignoreAbove?: number,
): FieldValues => {
  if (type === 'text') return textValues(values);
  const terms: Term[] = [];
  for (const value of values) {
    const term = storedTerm(type, value, ignoreAbove);
    if (term !== null) terms.push(term);
  }
  return { type, terms };
};

const nonEmpty = (groups: FieldValues[]): FieldValues[] => groups.filter((g) => g.terms.length > 0);

/** Dynamic mapping: strings are text (plus `.keyword`), numbers long/double, booleans boolean. */
function dynamicValues(
  field: Extract<ResolvedField, { kind: 'dynamic' }>,
  doc: EvalDoc,
): FieldValues[] {
  const byType = new Map<LeafType, unknown[]>();
  for (const value of collectValues(doc.source, field.sourcePath)) {
    const type = dynamicTypeOf(value);
    if (type === null) continue;
    // OpenSearch keeps one numeric type per dynamic field; comparing numerically makes the
    // long/double split irrelevant, so both land in one `double` group.
    const key: LeafType = type === 'long' ? 'double' : type;
    byType.set(key, [...(byType.get(key) ?? []), value]);
  }
  const groups = [...byType].map(([type, values]) => typedValues(type, values));
  if (field.keywordOf !== null) {
    const parents = collectValues(doc.source, field.keywordOf).filter((v) => typeof v === 'string');
    groups.push(typedValues('keyword', parents, dynamicIgnoreAbove));
  }
  return nonEmpty(groups);
}

/** The indexed values of `field` in `doc` (empty when the field is not in this document's scope). */
export function readField(field: ResolvedField, doc: EvalDoc): FieldValues[] {
  switch (field.kind) {
    case 'meta':
      if (doc.nestedPath !== null) return [];
      if (field.meta === '_seq_no') return [{ type: 'long', terms: [doc.record.seqNo] }];
      return [{ type: 'keyword', terms: [field.meta === '_id' ? doc.id : doc.index] }];
    case 'leaf':
      if (field.nestedPath !== doc.nestedPath) return [];
      return nonEmpty([
        typedValues(field.type, collectValues(doc.source, field.sourcePath), field.ignoreAbove),
      ]);
    case 'flat': {
      if (field.nestedPath !== doc.nestedPath) return [];
      const leaves = flattenLeaves(collectValues(doc.source, field.rootPath));
      const chosen = field.key === null ? leaves : leaves.filter(([key]) => key === field.key);
      return nonEmpty([{ type: 'keyword', terms: chosen.map(([, value]) => String(value)) }]);
    }
    case 'dynamic':
      return field.nestedPath === doc.nestedPath ? dynamicValues(field, doc) : [];
    default:
      return [];
  }
}
