/**
 * Per-search evaluation state: the documents in scope, a cache of analysed field values (each
 * record's text is analysed once per field, not once per clause), and the BM25 statistics of the
 * fields that `match` clauses score against.
 */
import { readField, type EvalDoc, type FieldValues } from './field-values.js';
import { isJsonMap, objectFrom, type JsonMap } from './json.js';
import type { ResolvedField } from './resolve-field.js';
import type { FieldStats } from './scoring.js';
import { collectValues } from './values.js';

/** Wraps a nested element so full field names (`owner.name`) still resolve inside it. */
function wrapAt(path: readonly string[], element: JsonMap): JsonMap {
  let wrapped: JsonMap = element;
  for (let i = path.length - 1; i >= 0; i--) wrapped = objectFrom([[path[i] ?? '', wrapped]]);
  return wrapped;
}

/** The nested documents of `doc` at `path` (each object in the array at that path). */
export function nestedDocs(doc: EvalDoc, path: string): EvalDoc[] {
  const segments = path.split('.');
  return collectValues(doc.source, segments)
    .filter(isJsonMap)
    .map((element) => ({ ...doc, source: wrapAt(segments, element), nestedPath: path }));
}

/** Evaluation state shared by every clause of one compiled query for one search. */
export class EvalContext {
  // Keyed by the resolved field object, not its name: queries compiled against different
  // mappings (a caller's filter, say) may resolve the same name differently.
  private readonly cache = new WeakMap<JsonMap, Map<ResolvedField, FieldValues[]>>();
  private readonly stats = new Map<ResolvedField, Map<string, FieldStats>>();
  private readonly nestedCache = new WeakMap<JsonMap, Map<string, EvalDoc[]>>();

  /**
   * @param roots the top-level documents statistics are computed over
   * @param scoring false when only matching matters (filters, `matches()`): BM25 is skipped
   */
  constructor(
    readonly roots: readonly EvalDoc[],
    readonly scoring: boolean,
  ) {}

  /** The field's values in `doc`, analysed once per (document, resolved field). */
  values(field: ResolvedField, doc: EvalDoc): FieldValues[] {
    let perDoc = this.cache.get(doc.source);
    if (perDoc === undefined) {
      perDoc = new Map();
      this.cache.set(doc.source, perDoc);
    }
    let values = perDoc.get(field);
    if (values === undefined) {
      values = readField(field, doc);
      perDoc.set(field, values);
    }
    return values;
  }

  /** `nestedDocs`, memoised so the value cache recognises the same nested document again. */
  nested(doc: EvalDoc, path: string): EvalDoc[] {
    let perDoc = this.nestedCache.get(doc.source);
    if (perDoc === undefined) {
      perDoc = new Map();
      this.nestedCache.set(doc.source, perDoc);
    }
    let docs = perDoc.get(path);
    if (docs === undefined) {
      docs = nestedDocs(doc, path);
      perDoc.set(path, docs);
    }
    return docs;
  }

  /** BM25 statistics of a text field over every document (or nested document) in scope. */
  textStats(field: ResolvedField, nestedPath: string | null): FieldStats {
    const key = nestedPath ?? '';
    let perField = this.stats.get(field);
    if (perField === undefined) {
      perField = new Map();
      this.stats.set(field, perField);
    }
    const cached = perField.get(key);
    if (cached !== undefined) return cached;
    const docs =
      nestedPath === null
        ? this.roots
        : this.roots.flatMap((root) => this.nested(root, nestedPath));
    let docCount = 0;
    let sumTotalTermFreq = 0;
    const docFreq = new Map<string, number>();
    for (const doc of docs) {
      const tokens = this.values(field, doc).flatMap((group) =>
        group.type === 'text' ? [...group.terms] : [],
      );
      if (tokens.length === 0) continue;
      docCount += 1;
      sumTotalTermFreq += tokens.length;
      for (const term of new Set(tokens))
        docFreq.set(String(term), (docFreq.get(String(term)) ?? 0) + 1);
    }
    const stats: FieldStats = {
      docCount,
      sumTotalTermFreq,
      docFreq: (term) => docFreq.get(term) ?? 0,
    };
    perField.set(key, stats);
    return stats;
  }
}
