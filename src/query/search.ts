/**
 * Evaluates a `_search` body over a collection's records and renders OpenSearch's response. A
 * linear scan: the query is compiled once, each record is analysed at most once per field, and
 * BM25 statistics come from the records passed in (the whole collection, before any caller
 * filter, just as an index's statistics ignore a query's filters).
 */
import type { StoredRecord } from '../store/store.js';
import type { CompiledQuery, RecordPredicate } from './compiled-query.js';
import { toEvalDocs } from './compiled-query.js';
import { EvalContext } from './context.js';
import type { FieldMapping } from './field-mapping.js';
import type { EvalDoc } from './field-values.js';
import { GlobMatcher } from './glob.js';
import { parseSearchBody } from './search-body.js';
import { searchAfterTerms } from './search-after.js';
import { sortNeedsScores } from './sort.js';
import { checkDynamicKeys, compareSortValues, sortValues } from './sort-values.js';
import { applySourceFilter, type SourceFilter } from './source-filter.js';
import type { Term } from './terms.js';

/** What `search` needs. */
export interface SearchRequest {
  readonly records: readonly StoredRecord[];
  /** The parsed search body; undefined or `{}` means match_all. */
  readonly body: unknown;
  readonly mapping: FieldMapping;
  readonly index: string;
  /** Source paths never returned and never searchable (e.g. `credential`, `connector.credential`). */
  readonly excludeSourceFields?: readonly string[];
  /**
   * A non-scoring filter applied on top of the body's query (e.g. access control). A compiled
   * filter sees the same visible source as the query (`excludeSourceFields` removed).
   */
  readonly filter?: CompiledQuery | RecordPredicate;
  /** Epoch millis `now` means in date math (default: the current time). */
  readonly now?: number;
}

/** One hit as OpenSearch renders it. */
export interface SearchHit {
  _index: string;
  _id: string;
  _version: number;
  _seq_no: number;
  _primary_term: number;
  _score: number | null;
  _source?: Record<string, unknown>;
  sort?: Array<Term | null>;
}

/** OpenSearch's search response. */
export interface SearchResponse {
  took: number;
  timed_out: false;
  terminated_early?: boolean;
  _shards: { total: 1; successful: 1; skipped: 0; failed: 0 };
  hits: {
    total?: { value: number; relation: 'eq' | 'gte' };
    max_score: number | null;
    hits: SearchHit[];
  };
}

interface Candidate {
  readonly doc: EvalDoc;
  readonly score: number;
  readonly sort: Array<Term | null> | null;
}

/** Runs a search; throws a 400 `OpenSearchError` for any problem with the body. */
export function search(request: SearchRequest): SearchResponse {
  const started = performance.now();
  const parsed = parseSearchBody(request.body, request.mapping, { now: request.now });
  const hidden = (request.excludeSourceFields ?? []).map((p) => new GlobMatcher(p));
  const docs = toEvalDocs(request.records, request.index, hidden);
  const explicitSort = parsed.sort !== null;
  const keepScores = !explicitSort || parsed.trackScores || sortNeedsScores(parsed.sort ?? []);
  const ctx = new EvalContext(docs, keepScores || parsed.minScore !== null);
  const filter = request.filter;
  const filterNode = filter === undefined || typeof filter === 'function' ? null : filter.node;
  if (parsed.sort !== null) checkDynamicKeys(parsed.sort, docs, ctx);
  const after =
    parsed.searchAfter === null
      ? null
      : searchAfterTerms(parsed.searchAfter, parsed.sort, parsed.from);

  const candidates: Candidate[] = [];
  let total = 0;
  let terminatedEarly = false;
  for (const doc of docs) {
    if (parsed.terminateAfter > 0 && total >= parsed.terminateAfter) {
      terminatedEarly = true;
      break;
    }
    if (typeof filter === 'function' && !filter(doc.record)) continue;
    if (filterNode !== null && filterNode.evaluate(doc, ctx) === null) continue;
    const score = parsed.query.evaluate(doc, ctx);
    if (score === null) continue;
    if (parsed.minScore !== null && score < parsed.minScore) continue;
    if (parsed.postFilter !== null && parsed.postFilter.evaluate(doc, ctx) === null) continue;
    const sort = parsed.sort === null ? null : sortValues(parsed.sort, doc, score, ctx);
    // Counted in the total like any match; only hits after the given values are returned.
    total += 1;
    if (after !== null && compareSortValues(parsed.sort ?? [], sort ?? [], after) <= 0) continue;
    candidates.push({ doc, score, sort });
  }

  const keys = parsed.sort;
  candidates.sort((a, b) => {
    const c =
      keys === null ? b.score - a.score : compareSortValues(keys, a.sort ?? [], b.sort ?? []);
    return c !== 0 ? c : a.doc.ordinal - b.doc.ordinal;
  });

  // OpenSearch reports no max_score when nothing is collected (size 0, no hits) or when a field
  // sort skipped scoring.
  const maxScore =
    candidates.length === 0 || parsed.size === 0 || (explicitSort && !parsed.trackScores)
      ? null
      : candidates.reduce((max, c) => Math.max(max, c.score), Number.NEGATIVE_INFINITY);
  const hits = candidates
    .slice(parsed.from, parsed.from + parsed.size)
    .map((c) => renderHit(c, request.index, keepScores, parsed.source));
  const response: SearchResponse = {
    took: Math.round(performance.now() - started),
    timed_out: false,
    _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
    hits: { max_score: maxScore, hits },
  };
  if (parsed.terminateAfter > 0) response.terminated_early = terminatedEarly;
  if (parsed.trackTotalHits !== false) {
    const cap = parsed.trackTotalHits;
    response.hits = {
      total: total > cap ? { value: cap, relation: 'gte' } : { value: total, relation: 'eq' },
      ...response.hits,
    };
  }
  return response;
}

function renderHit(
  candidate: Candidate,
  index: string,
  keepScores: boolean,
  source: SourceFilter,
): SearchHit {
  const { record } = candidate.doc;
  const hit: SearchHit = {
    _index: index,
    _id: record.id,
    _version: record.version,
    _seq_no: record.seqNo,
    _primary_term: record.primaryTerm,
    _score: keepScores ? candidate.score : null,
  };
  const filtered = applySourceFilter(candidate.doc.source, source);
  // A deep copy: callers may mutate the response without touching the store's records.
  if (filtered !== undefined) hit._source = structuredClone(filtered);
  if (candidate.sort !== null) hit.sort = candidate.sort;
  return hit;
}
