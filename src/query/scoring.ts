/**
 * Lucene's BM25 similarity (Lucene 9, as used by OpenSearch 2.x), k1 = 1.2, b = 0.75:
 *
 *   idf(t)   = ln(1 + (docCount - docFreq(t) + 0.5) / (docFreq(t) + 0.5))
 *   score    = boost · idf(t) · freq / (freq + k1 · (1 - b + b · dl / avgdl))
 *   avgdl    = sumTotalTermFreq / docCount  (over documents that have the field)
 *   dl       = the document's field length after Lucene's lossy one-byte norm encoding
 *
 * A phrase scores the same way with freq = number of phrase occurrences and idf = Σ idf(term).
 * Statistics come from the records being searched (one shard, no deleted docs), so scores equal
 * a single-shard OpenSearch index holding exactly those documents (up to float32 rounding).
 */

export const BM25_K1 = 1.2;
export const BM25_B = 0.75;

/** Per-field collection statistics. */
export interface FieldStats {
  /** Documents with at least one token in the field. */
  readonly docCount: number;
  /** Total number of tokens in the field across those documents. */
  readonly sumTotalTermFreq: number;
  /** Number of documents containing `term`. */
  docFreq(term: string): number;
}

/** Inverse document frequency as Lucene's BM25Similarity computes it. */
export const idf = (docFreq: number, docCount: number): number =>
  Math.log(1 + (docCount - docFreq + 0.5) / (docFreq + 0.5));

/** Lucene SmallFloat.longToInt4: 4 significant bits, the rest as a shift. */
function longToInt4(value: number): number {
  const numBits = 32 - Math.clz32(value);
  if (numBits < 4) return value;
  const shift = numBits - 4;
  return ((value >>> shift) & 0x07) | ((shift + 1) << 3);
}

/** Lucene SmallFloat.int4ToLong. */
function int4ToLong(encoded: number): number {
  const bits = encoded & 0x07;
  const shift = (encoded >>> 3) - 1;
  return shift === -1 ? bits : (bits | 0x08) * 2 ** shift;
}

/** Lengths below this are encoded exactly (SmallFloat.NUM_FREE_VALUES = 255 - longToInt4(MAX_INT)). */
const NUM_FREE_VALUES = 255 - longToInt4(0x7fffffff);

/** The field length a BM25 norm round-trips to (exact below 24, then 4 significant bits). */
export function normalizedLength(length: number): number {
  if (length < NUM_FREE_VALUES) return length;
  return NUM_FREE_VALUES + int4ToLong(longToInt4(length - NUM_FREE_VALUES));
}

/** BM25 score of one term (or phrase, with the idf sum) occurring `freq` times. */
export function bm25(options: {
  readonly freq: number;
  readonly idf: number;
  readonly fieldLength: number;
  readonly stats: FieldStats;
  readonly boost: number;
}): number {
  const { freq, stats } = options;
  if (freq <= 0) return 0;
  const avgdl = stats.docCount === 0 ? 1 : stats.sumTotalTermFreq / stats.docCount;
  const dl = normalizedLength(options.fieldLength);
  const norm = BM25_K1 * (1 - BM25_B + (BM25_B * dl) / avgdl);
  return options.boost * options.idf * (freq / (freq + norm));
}
