/**
 * The `rescore` option with the `query` rescorer, as OpenSearch's QueryRescorer runs it on a
 * shard: the top `window_size` hits (default 10) are scored again by `rescore_query`; a hit the
 * rescore query matches scores combine(query_weight × score, rescore_query_weight × rescore)
 * (`score_mode` total by default, multiply, avg, max, min), every other hit query_weight × score;
 * then all hits are sorted again. Rescorers run in order. `sort` cannot be combined with it.
 */
import { compileQuery, type SearchHit, type SearchResponse } from '../../../src/query/index.js';
import { isJsonObject, type JsonObject } from './json.js';
import { rewriteKnn, type KnnScope } from './knn.js';
import { parsingException } from './responses.js';

const SCORE_MODES = {
  total: (a: number, b: number) => a + b,
  multiply: (a: number, b: number) => a * b,
  avg: (a: number, b: number) => (a + b) / 2,
  max: Math.max,
  min: Math.min,
} as const satisfies Record<string, (a: number, b: number) => number>;

/** One parsed rescorer. */
export interface Rescorer {
  readonly windowSize: number;
  readonly query: unknown;
  readonly queryWeight: number;
  readonly rescoreQueryWeight: number;
  readonly combine: (a: number, b: number) => number;
}

const weight = (options: JsonObject, key: string): number => {
  const value = options[key] ?? 1;
  if (typeof value !== 'number') throw parsingException(`[query] failed to parse field [${key}]`);
  return value;
};

/** Parses `rescore` (one rescorer or a list of them). */
export function parseRescorers(value: unknown): Rescorer[] {
  return (Array.isArray(value) ? value : [value]).map((entry) => {
    if (!isJsonObject(entry)) throw parsingException('[rescore] must be an object');
    const options = entry['query'];
    if (!isJsonObject(options) || options['rescore_query'] === undefined) {
      throw parsingException('missing rescore type');
    }
    const mode = options['score_mode'] ?? 'total';
    if (typeof mode !== 'string' || !Object.hasOwn(SCORE_MODES, mode)) {
      throw parsingException(`[query] failed to parse field [score_mode]`);
    }
    const windowSize = entry['window_size'] ?? 10;
    if (typeof windowSize !== 'number') throw parsingException('[rescore] failed to parse field [window_size]');
    return {
      windowSize,
      query: options['rescore_query'],
      queryWeight: weight(options, 'query_weight'),
      rescoreQueryWeight: weight(options, 'rescore_query_weight'),
      combine: SCORE_MODES[mode as keyof typeof SCORE_MODES],
    };
  });
}

/** Rescores the hits of a response that holds the shard's top hits, in place. */
export function rescoreHits(response: SearchResponse, rescorers: readonly Rescorer[], scope: KnnScope): void {
  const byId = new Map(scope.documents.map((document) => [document.id, document]));
  let hits: SearchHit[] = response.hits.hits;
  for (const rescorer of rescorers) {
    const compiled = compileQuery(rewriteKnn(rescorer.query, scope), scope.mapping, { index: scope.index.name });
    const score = compiled.scorer(scope.documents);
    hits = hits.map((hit, position) => {
      const first = (hit._score ?? 0) * rescorer.queryWeight;
      const document = byId.get(hit._id);
      const second = position < rescorer.windowSize && document !== undefined ? score(document) : null;
      const rescored = second === null ? first : rescorer.combine(first, second * rescorer.rescoreQueryWeight);
      return { ...hit, _score: Math.fround(rescored) };
    });
    hits.sort((a, b) => (b._score ?? 0) - (a._score ?? 0));
  }
  response.hits.hits = hits;
}
