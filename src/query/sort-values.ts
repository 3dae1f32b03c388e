/**
 * Evaluating a parsed sort: each document's sort values (min for asc, max for desc on arrays,
 * unless `mode` says otherwise) and the comparison that orders hits. Values are raw, as OpenSearch
 * reports them: dates as epoch millis, booleans as 0/1, a missing value as null.
 */
import type { EvalContext } from './context.js';
import type { EvalDoc } from './field-values.js';
import { badValue } from './errors.js';
import { fielddataError, noMapping, type SortKey } from './sort.js';
import { compareTerms, type Term } from './terms.js';

/** A document's value for one key; null when missing. */
function sortValue(key: SortKey, doc: EvalDoc, score: number, ctx: EvalContext): Term | null {
  if (key.kind === 'score') return score;
  if (key.kind === 'doc') return doc.ordinal;
  const field = key.field;
  if (field === null) return null;
  const groups = ctx.values(field, doc);
  if (field.kind === 'dynamic' && groups.some((g) => g.type === 'text'))
    throw fielddataError(key.name);
  const terms = groups.flatMap((g) => [...g.terms]);
  if (terms.length === 0) return null;
  const mode = key.mode ?? (key.descending ? 'max' : 'min');
  const numbers = terms.filter((t): t is number => typeof t === 'number');
  if ((mode === 'sum' || mode === 'avg' || mode === 'median') && numbers.length === terms.length) {
    const sum = numbers.reduce((a, b) => a + b, 0);
    if (mode === 'sum') return sum;
    if (mode === 'avg') return sum / numbers.length;
    const sorted = [...numbers].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1
      ? (sorted[mid] ?? 0)
      : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  }
  return terms.reduce((best, t) =>
    (mode === 'max' ? compareTerms(t, best) > 0 : compareTerms(t, best) < 0) ? t : best,
  );
}

/** Computes every key's value for a document, substituting a custom `missing` value. */
export function sortValues(
  keys: readonly SortKey[],
  doc: EvalDoc,
  score: number,
  ctx: EvalContext,
): Array<Term | null> {
  return keys.map((key) => {
    const value = sortValue(key, doc, score, ctx);
    return value !== null || typeof key.missing === 'string' ? value : key.missing.term;
  });
}

/**
 * Rejects, at evaluation time (as OpenSearch's shards do), sorts on `_version` (a metadata field
 * without field data) and on dynamic fields no record has and no `unmapped_type` covers (which
 * includes `_primary_term`, not a field at all).
 */
export function checkDynamicKeys(
  keys: readonly SortKey[],
  docs: readonly EvalDoc[],
  ctx: EvalContext,
): void {
  for (const key of keys) {
    if (key.name === '_version')
      throw badValue('Fielddata is not supported on field [_version] of type [_version]');
    if (key.field?.kind !== 'dynamic' || key.unmappedType !== null) continue;
    const field = key.field;
    if (!docs.some((doc) => ctx.values(field, doc).length > 0)) throw noMapping(key.name);
  }
}

/** Orders two documents' sort values; missing values go first or last regardless of direction. */
export function compareSortValues(
  keys: readonly SortKey[],
  a: ReadonlyArray<Term | null>,
  b: ReadonlyArray<Term | null>,
): number {
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (key === undefined || (x === null && y === null)) continue;
    if (x === null || y === null) return (x === null) === (key.missing === 'first') ? -1 : 1;
    const c = compareTerms(x, y);
    if (c !== 0) return key.descending ? -c : c;
  }
  return 0;
}
