/**
 * Hybrid search through the proxy, for a cluster without neural-search (the stand-in): the
 * sidecar runs each sub-query and scores the pool as neural-search does. Every expected score is
 * worked out here by hand from the sub-queries' raw scores, which the sub-queries fix exactly
 * (one constant score per document).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ndjson, send, startProxySetup, type ProxySetup } from '../helpers/proxy-setup.js';
import { errorReason } from '../helpers/test-app.js';

let setup: ProxySetup;

/** A query scoring each listed document with exactly its number. */
const scored = (scores: Record<string, number>) => ({
  dis_max: { queries: Object.entries(scores).map(([id, boost]) => ({ constant_score: { filter: { ids: { values: [id] } }, boost } })) },
});

// Sub-query A returns d1..d4, B returns d2, d3, d5: d1 and d4 are missing from B, d5 from A.
const A = { d1: 4, d2: 3, d3: 2, d4: 1 };
const B = { d2: 0.9, d3: 0.5, d5: 0.1 };
const hybrid = (extra: Record<string, unknown> = {}) => ({ hybrid: { queries: [scored(A), scored(B)], ...extra } });

/** Normalized scores per technique, worked out from A and B (absent: the sub-query did not return the document). */
const NORMALIZED: Record<string, [Record<string, number>, Record<string, number>]> = {
  // (s − min) / (max − min); an exact 0 becomes 0.001.
  min_max: [
    { d1: 1, d2: 2 / 3, d3: 1 / 3, d4: 0.001 },
    { d2: 1, d3: 0.5, d5: 0.001 },
  ],
  // s / √(Σ s²): √30 for A, √1.07 for B.
  l2: [
    { d1: 4 / Math.sqrt(30), d2: 3 / Math.sqrt(30), d3: 2 / Math.sqrt(30), d4: 1 / Math.sqrt(30) },
    { d2: 0.9 / Math.sqrt(1.07), d3: 0.5 / Math.sqrt(1.07), d5: 0.1 / Math.sqrt(1.07) },
  ],
  // (s − mean) / sample deviation: A mean 2.5, deviation √(5/3); B mean 0.5, deviation 0.4. A result ≤ 0
  // becomes 0.001, and B's d3, equal to its mean, takes B's highest raw score (0.9), as neural-search does.
  z_score: [
    { d1: 1.5 / Math.sqrt(5 / 3), d2: 0.5 / Math.sqrt(5 / 3), d3: 0.001, d4: 0.001 },
    { d2: 1, d3: 0.9, d5: 0.001 },
  ],
};

/** The combinations, over the sub-queries that returned the document (absent ones count 0). */
const COMBINE: Record<string, (scores: Array<number | undefined>, weights: number[]) => number> = {
  arithmetic_mean: (scores, weights) => scores.reduce<number>((sum, score, i) => sum + weights[i]! * (score ?? 0), 0) / weights.reduce((a, b) => a + b, 0),
  geometric_mean: (scores, weights) => {
    const present = scores.flatMap((score, i) => (score === undefined ? [] : [[score, weights[i]!] as const]));
    return Math.exp(present.reduce((sum, [score, weight]) => sum + weight * Math.log(score), 0) / present.reduce((sum, [, weight]) => sum + weight, 0));
  },
  harmonic_mean: (scores, weights) => {
    const present = scores.flatMap((score, i) => (score === undefined ? [] : [[score, weights[i]!] as const]));
    return present.reduce((sum, [, weight]) => sum + weight, 0) / present.reduce((sum, [score, weight]) => sum + weight / score, 0);
  },
};

function expectedRanking(normalization: string, combination: string, weights = [1, 1]): Array<[string, number]> {
  const [first, second] = NORMALIZED[normalization]!;
  const ids = ['d1', 'd2', 'd3', 'd4', 'd5'];
  return ids
    .map((id): [string, number] => [id, COMBINE[combination]!([first[id], second[id]], weights)])
    .sort((left, right) => right[1] - left[1]);
}

async function hybridSearch(pipeline: Record<string, unknown>, body: Record<string, unknown>, path = '/hybrid/_search') {
  await send(setup.test, 'PUT', '/_search/pipeline/hybrid-test', pipeline);
  return send(setup.test, 'POST', `${path}${path.includes('?') ? '&' : '?'}search_pipeline=hybrid-test`, body);
}

const ranking = (response: { body: any }): Array<[string, number]> => response.body.hits.hits.map((hit: any) => [hit._id, hit._score]);

function expectRanking(actual: Array<[string, number]>, expected: Array<[string, number]>): void {
  expect(actual.map(([id]) => id)).toEqual(expected.map(([id]) => id));
  actual.forEach(([, score], index) => expect(score).toBeCloseTo(expected[index]![1], 5));
}

const normalizationPipeline = (normalization: Record<string, unknown>, combination: Record<string, unknown>) => ({
  phase_results_processors: [{ 'normalization-processor': { normalization, combination } }],
});

beforeAll(async () => {
  setup = await startProxySetup();
  await send(setup.test, 'PUT', '/hybrid', { mappings: { properties: { tag: { type: 'keyword' }, n: { type: 'integer' } } } });
  const lines = ['d1', 'd2', 'd3', 'd4', 'd5', 'd6'].flatMap((id, index) => [{ index: { _id: id } }, { tag: index % 2 === 0 ? 'even' : 'odd', n: 10 - index }]);
  const bulk = await send(setup.test, 'POST', '/hybrid/_bulk?refresh=true', ndjson(...lines));
  expect(bulk.body.errors).toBe(false);
});
afterAll(async () => setup.close());

describe('hybrid scores', () => {
  it.each([
    ['min_max', 'arithmetic_mean'],
    ['min_max', 'geometric_mean'],
    ['min_max', 'harmonic_mean'],
    ['l2', 'arithmetic_mean'],
    ['l2', 'geometric_mean'],
    ['l2', 'harmonic_mean'],
    ['z_score', 'arithmetic_mean'],
  ])('should normalize with %s and combine with %s as neural-search does', async (normalization, combination) => {
    const response = await hybridSearch(normalizationPipeline({ technique: normalization }, { technique: combination }), { query: hybrid() });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expectRanking(ranking(response), expectedRanking(normalization, combination));
  });

  it.each([['arithmetic_mean'], ['geometric_mean'], ['harmonic_mean']])('should weigh the sub-queries with %s', async (combination) => {
    const response = await hybridSearch(
      normalizationPipeline({ technique: 'min_max' }, { technique: combination, parameters: { weights: [0.3, 0.7] } }),
      { query: hybrid() },
    );
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expectRanking(ranking(response), expectedRanking('min_max', combination, [0.3, 0.7]));
  });

  it('should default to min_max and arithmetic_mean, count the union of matches, and keep tied documents in first-seen order', async () => {
    const response = await hybridSearch({ phase_results_processors: [{ 'normalization-processor': {} }] }, { query: hybrid() });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    // d1: (1 + 0) / 2; d2: (2/3 + 1) / 2; d3: (1/3 + 0.5) / 2; d4 and d5 tie at (0.001 + 0) / 2: A returned d4 first.
    expectRanking(ranking(response), [['d2', 5 / 6], ['d1', 0.5], ['d3', 5 / 12], ['d4', 0.0005], ['d5', 0.0005]]);
    expect(response.body.hits.total).toEqual({ value: 5, relation: 'eq' });
    expect(response.body.hits.max_score).toBe(response.body.hits.hits[0]._score);
    // Scores print as Java prints floats.
    expect(response.body.hits.hits[0]._score).toBe(0.8333334);
  });

  it('should give 1.0 to a sub-query whose results all score the same', async () => {
    const response = await hybridSearch({ phase_results_processors: [{ 'normalization-processor': {} }] }, {
      query: { hybrid: { queries: [scored({ d1: 2, d2: 2 }), scored({ d2: 5 })] } },
    });
    expectRanking(ranking(response), [['d2', 1], ['d1', 0.5]]);
  });

  it('should rank by reciprocal rank fusion with score-ranker-processor, with the rank constant and weights', async () => {
    const rrf = (rank: number, constant = 60) => 1 / (constant + rank);
    const byDefault = await hybridSearch({ phase_results_processors: [{ 'score-ranker-processor': {} }] }, { query: hybrid() });
    // Ranks (1-based): A d1 1, d2 2, d3 3, d4 4; B d2 1, d3 2, d5 3.
    expectRanking(ranking(byDefault), [['d2', rrf(2) + rrf(1)], ['d3', rrf(3) + rrf(2)], ['d1', rrf(1)], ['d4', rrf(4)], ['d5', rrf(3)]].sort((a, b) => (b[1] as number) - (a[1] as number)) as Array<[string, number]>);
    const weighted = await hybridSearch(
      { phase_results_processors: [{ 'score-ranker-processor': { combination: { technique: 'rrf', rank_constant: 1, parameters: { weights: [0.3, 0.7] } } } }] },
      { query: hybrid() },
    );
    expectRanking(ranking(weighted), [
      ['d2', 0.3 / 3 + 0.7 / 2],
      ['d3', 0.3 / 4 + 0.7 / 3],
      ['d5', 0.7 / 4],
      ['d1', 0.3 / 2],
      ['d4', 0.3 / 5],
    ]);
  });

  it('should apply min_score to the combined score, and count only what remains', async () => {
    const response = await hybridSearch(normalizationPipeline({}, {}), { query: hybrid(), min_score: 0.4 });
    expectRanking(ranking(response), [['d2', 5 / 6], ['d1', 0.5], ['d3', 5 / 12]]);
    expect(response.body.hits.total).toEqual({ value: 3, relation: 'eq' });
  });

  it('should add the raw sub-query scores to the hits with sub-query-scores', async () => {
    const response = await hybridSearch({ phase_results_processors: [{ 'normalization-processor': { 'sub-query-scores': true } }] }, {
      query: hybrid({ pagination_depth: 10 }),
      size: 2,
    });
    expect(response.body.hits.hits.map((hit: any) => hit.fields.hybridization_sub_query_scores)).toEqual([[3, 0.9], [4, 0]]);
  });
});

describe('hybrid pages, filters and sorts', () => {
  const pipeline = normalizationPipeline({}, {});

  it('should give over two pages exactly the hits of one larger page', async () => {
    const whole = await hybridSearch(pipeline, { query: hybrid({ pagination_depth: 10 }), size: 4 });
    const first = await hybridSearch(pipeline, { query: hybrid({ pagination_depth: 10 }), size: 2 });
    const second = await hybridSearch(pipeline, { query: hybrid({ pagination_depth: 10 }), from: 2, size: 2 });
    expect([...ranking(first), ...ranking(second)]).toEqual(ranking(whole));
    expect(ranking(whole)).toHaveLength(4);
  });

  it('should pool only `size` results per sub-query without pagination_depth, as neural-search does', async () => {
    // Each sub-query contributes its best one: A d1, B d2; each normalizes to 1.0 alone, so they tie at 0.5.
    const response = await hybridSearch(pipeline, { query: hybrid(), size: 1 });
    expectRanking(ranking(response), [['d1', 0.5]]);
    expect(response.body.hits.total.value).toBe(5);
  });

  it('should ask each sub-query for the depth times the primary shard count', async () => {
    await send(setup.test, 'PUT', '/sharded', { settings: { number_of_shards: 3 } });
    await send(setup.test, 'POST', '/sharded/_doc/x?refresh=true', { tag: 'even' });
    const response = await hybridSearch(pipeline, { query: hybrid({ pagination_depth: 4 }), size: 2 }, '/sharded/_search');
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const sent = setup.cluster.requests.filter((request) => request.path === '/sharded/_search').slice(-3).map((request) => JSON.parse(request.body));
    expect(sent.filter((body) => body.size === 12)).toHaveLength(2);
    expect(sent.find((body) => body.size === 0)?.query).toEqual({ bool: { should: [scored(A), scored(B)] } });
  });

  it('should push the hybrid filter into every sub-query and filter the count too', async () => {
    const response = await hybridSearch(pipeline, { query: hybrid({ filter: { term: { tag: 'odd' } } }) });
    // Odd documents: d2, d4. A: d2 3, d4 1 → 1, 0.001; B: d2 only → 1.
    expectRanking(ranking(response), [['d2', 1], ['d4', 0.0005]]);
    expect(response.body.hits.total.value).toBe(2);
  });

  it('should apply post_filter to every sub-query', async () => {
    const response = await hybridSearch(pipeline, { query: hybrid(), post_filter: { term: { tag: 'even' } } });
    // Even documents: d1, d3, d5. A: d1 4, d3 2 → 1, 0.001; B: d3 0.5, d5 0.1 → 1, 0.001.
    expectRanking(ranking(response), [['d1', 0.5], ['d3', 0.5005], ['d5', 0.0005]].sort((a, b) => (b[1] as number) - (a[1] as number)) as Array<[string, number]>);
  });

  it('should sort by fields over the union of the sub-queries, with null scores', async () => {
    const response = await hybridSearch(pipeline, { query: hybrid(), sort: [{ n: 'asc' }], size: 3 });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.hits.hits.map((hit: any) => [hit._id, hit._score, hit.sort])).toEqual([
      ['d5', null, [6]],
      ['d4', null, [7]],
      ['d3', null, [8]],
    ]);
    expect(response.body.hits.max_score).toBeNull();
  });

  it('should give sort values of the combined score when sorted by _score', async () => {
    const response = await hybridSearch(pipeline, { query: hybrid({ pagination_depth: 10 }), sort: ['_score'], size: 1 });
    expect(response.body.hits.hits[0]).toMatchObject({ _id: 'd2', _score: 0.8333334, sort: [0.8333334] });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['from without pagination_depth', { query: hybrid(), from: 2 }, 'pagination_depth is missing in the search request'],
    ['a page past the pool', { query: hybrid({ pagination_depth: 2 }), from: 6 }, 'Reached end of search result, increase pagination_depth value to see more results'],
    ['a depth beyond the result window', { query: hybrid({ pagination_depth: 10_001 }) }, 'pagination_depth should be less than or equal to index.max_result_window setting'],
    ['_score mixed with a field sort', { query: hybrid(), sort: ['_score', { n: 'asc' }] }, '_score sort criteria cannot be applied with any other criteria. Please select one sort criteria out of them.'],
    ['track_scores with a field sort', { query: hybrid(), sort: [{ n: 'asc' }], track_scores: true }, 'Hybrid search results when sorted by any field, docId or _id, track_scores must be set to false.'],
    ['track_scores with the default order', { query: hybrid(), sort: ['_score'], track_scores: true }, 'Hybrid search results are by default sorted by _score, track_scores must be set to false.'],
    ['six sub-queries', { query: { hybrid: { queries: Array.from({ length: 6 }, () => scored(A)) } } }, 'Number of sub-queries exceeds maximum supported by [hybrid] query'],
    ['no sub-query', { query: { hybrid: { queries: [] } } }, "[hybrid] requires 'queries' field with at least one clause"],
    ['a boost', { query: hybrid({ boost: 2 }) }, '[hybrid] query does not support [boost]'],
    ['an unknown field', { query: hybrid({ colour: 'red' }) }, 'Field is not supported by [hybrid] query'],
    ['a nested hybrid query', { query: { bool: { must: [hybrid()] } } }, 'hybrid query must be a top level query and cannot be wrapped into other queries'],
  ])('should refuse %s with neural-search\'s message', async (_name, body, reason) => {
    const response = await hybridSearch(pipeline, body);
    expect(response.status).toBe(400);
    expect(errorReason(response.body)).toBe(reason);
  });

  it('should refuse weights that do not number the sub-queries when the search runs', async () => {
    const response = await hybridSearch(normalizationPipeline({}, { parameters: { weights: [0.2, 0.3, 0.5] } }), { query: hybrid() });
    expect(response.status).toBe(400);
    expect(errorReason(response.body)).toBe('number of weights [3] must match number of sub-queries [2] in hybrid query');
  });

  it('should answer the cluster\'s error when a sub-query fails', async () => {
    const response = await hybridSearch(pipeline, { query: { hybrid: { queries: [scored(A), { regexp: { tag: 'o.*' } }] } } });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toContain('regexp');
  });
});

describe('hybrid with neural sub-queries', () => {
  it('should rewrite a neural sub-query to knn, with the hybrid filter among its neighbours', async () => {
    await send(setup.test, 'PUT', '/_ingest/pipeline/embed-hybrid', {
      processors: [{ text_embedding: { model_id: setup.embeddingModel, field_map: { text: 'text_embedding' } } }],
    });
    await send(setup.test, 'PUT', '/semantic', {
      settings: { index: { knn: true, default_pipeline: 'embed-hybrid' } },
      mappings: { properties: { text: { type: 'text' }, lang: { type: 'keyword' }, text_embedding: { type: 'knn_vector', dimension: 1536, space_type: 'cosinesimil' } } },
    });
    const texts = ['vector search finds neighbours', 'cats sleep all day', 'search engines index text', 'neighbours vector search'];
    const lines = texts.flatMap((text, index) => [{ index: { _id: `t${index}` } }, { text, lang: index === 3 ? 'fr' : 'en' }]);
    expect((await send(setup.test, 'POST', '/semantic/_bulk?refresh=true', ndjson(...lines))).body.errors).toBe(false);
    const response = await hybridSearch(normalizationPipeline({}, {}), {
      query: {
        hybrid: {
          queries: [{ match: { text: 'search' } }, { neural: { text_embedding: { query_text: 'vector search neighbours', model_id: setup.embeddingModel, k: 2 } } }],
          filter: { term: { lang: 'en' } },
        },
      },
    }, '/semantic/_search');
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const sent = setup.cluster.requests.filter((request) => request.path === '/semantic/_search').map((request) => JSON.parse(request.body));
    const knn = sent.find((body) => body.query?.knn !== undefined)?.query.knn.text_embedding;
    expect(knn).toMatchObject({ k: 2, filter: { term: { lang: 'en' } } });
    expect(knn.vector).toHaveLength(1536);
    // t3 is French: filtered out of both sub-queries; t0 is the nearest English text and matches "search".
    expect(response.body.hits.hits.map((hit: any) => hit._id)).not.toContain('t3');
    expect(response.body.hits.hits[0]._id).toBe('t0');
  });
});

describe('hybrid explanations, msearch and simulate', () => {
  it('should explain the combination of normalized scores with hybrid_score_explanation', async () => {
    const response = await hybridSearch(
      { phase_results_processors: [{ 'normalization-processor': { combination: { parameters: { weights: [0.3, 0.7] } } } }], response_processors: [{ hybrid_score_explanation: {} }] },
      { query: hybrid({ pagination_depth: 10 }), size: 3 },
      '/hybrid/_search?explain=true',
    );
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const [top, , third] = response.body.hits.hits;
    // d2: 0.3 × 2/3 + 0.7 × 1 = 0.9.
    expect(top._explanation).toMatchObject({
      value: top._score,
      description: 'arithmetic_mean, weights [0.3, 0.7] combination of:',
      details: [
        { value: 0.6666667, description: 'min_max normalization of:', details: [{ value: 3 }] },
        { value: 1, description: 'min_max normalization of:', details: [{ value: 0.9 }] },
      ],
    });
    expect(top._score).toBeCloseTo(0.9, 6);
    // Then d3 (0.3 × 1/3 + 0.7 × 0.5 = 0.45) and d1, which only A returned: one detail.
    expect(third).toMatchObject({ _id: 'd1', _explanation: { value: 0.3, details: [{ value: 1, details: [{ value: 4 }] }] } });
  });

  it('should leave the sub-queries\' combined explanation without hybrid_score_explanation', async () => {
    const response = await hybridSearch(normalizationPipeline({}, {}), { query: hybrid({ pagination_depth: 10 }), size: 1, explain: true });
    expect(response.body.hits.hits[0]._explanation).toMatchObject({ value: 3, description: 'combined score of:', details: [{ value: 3 }, { value: 0.9 }] });
  });

  it('should run hybrid searches inside _msearch', async () => {
    await send(setup.test, 'PUT', '/_search/pipeline/msearch-hybrid', { phase_results_processors: [{ 'score-ranker-processor': {} }] });
    const response = await send(
      setup.test,
      'POST',
      '/_msearch',
      ndjson({ index: 'hybrid', search_pipeline: 'msearch-hybrid' }, { query: hybrid({ pagination_depth: 10 }), size: 1 }, { index: 'hybrid' }, { query: { term: { tag: 'odd' } }, size: 1 }),
    );
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.responses[0].hits.hits[0]._id).toBe('d2');
    expect(response.body.responses[1].hits.total.value).toBe(3);
  });

  it('should show the searches the sub-queries become in _simulate', async () => {
    const response = await send(setup.test, 'POST', '/_search/pipeline/_simulate', {
      pipeline: normalizationPipeline({}, {}),
      request: { query: hybrid({ filter: { term: { tag: 'odd' } }, pagination_depth: 5 }), _source: false },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const filtered = (query: unknown) => ({ bool: { must: [query], filter: [{ term: { tag: 'odd' } }] } });
    expect(response.body.request.query.hybrid).toEqual({ queries: [filtered(scored(A)), filtered(scored(B))], pagination_depth: 5 });
    expect(response.body.hybrid.sub_queries).toEqual([
      { _source: false, query: filtered(scored(A)), from: 0, size: 5 },
      { _source: false, query: filtered(scored(B)), from: 0, size: 5 },
    ]);
  });
});
