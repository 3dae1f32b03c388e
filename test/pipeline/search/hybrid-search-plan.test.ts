import { describe, expect, it } from 'vitest';
import { checkResultWindow, planHybridSearch, subQuerySearch } from '../../../src/pipeline/search/hybrid-search-plan.js';

type Json = Record<string, unknown>;

const term = (value: string) => ({ term: { tag: value } });
const hybrid = (extra: Json = {}) => ({ hybrid: { queries: [term('a'), term('b')], ...extra } });

describe('planHybridSearch', () => {
  it('should send each sub-query with the search options, and count and aggregate the union', () => {
    const plan = planHybridSearch({
      query: hybrid(),
      _source: ['title'],
      highlight: { fields: { title: {} } },
      post_filter: term('p'),
      aggs: { tags: { terms: { field: 'tag' } } },
      track_total_hits: 100,
      min_score: 0.2,
      ext: { rerank: {} },
    });
    expect(subQuerySearch(plan, 1, 30)).toEqual({ _source: ['title'], highlight: { fields: { title: {} } }, post_filter: term('p'), query: term('b'), from: 0, size: 30 });
    expect(plan.count).toEqual({
      size: 0,
      query: { bool: { should: [term('a'), term('b')] } },
      track_total_hits: 100,
      post_filter: term('p'),
      aggs: { tags: { terms: { field: 'tag' } } },
    });
    expect(plan).toMatchObject({ from: 0, size: 10, depth: 10, minScore: 0.2, explain: false, order: { kind: 'score' } });
  });

  it('should read from, size, explain and track_total_hits from the URL before the body', () => {
    const plan = planHybridSearch({ query: hybrid({ pagination_depth: 50 }), size: 3 }, { from: '5', size: '7', explain: 'true', track_total_hits: 'false' });
    expect(plan).toMatchObject({ from: 5, size: 7, depth: 50, explain: true });
    expect(plan.count).toBeUndefined();
    expect(subQuerySearch(plan, 0, 50)).toEqual({ query: term('a'), from: 0, size: 50, explain: true });
  });

  it('should keep a field sort and search_after for each sub-query', () => {
    const plan = planHybridSearch({ query: hybrid(), sort: [{ n: 'desc' }], search_after: [3] });
    expect(plan.order).toEqual({ kind: 'fields', descending: [true] });
    expect(subQuerySearch(plan, 0, 10)).toMatchObject({ sort: [{ n: 'desc' }], search_after: [3] });
  });

  it.each<[string, Json, Json, string]>([
    ['scroll', { query: hybrid() }, { scroll: '1m' }, 'Scroll operation is not supported in hybrid query'],
    ['a negative depth', { query: hybrid({ pagination_depth: -1 }) }, {}, 'pagination_depth should be greater than 0'],
    ['search_after without a field sort', { query: hybrid(), search_after: [1] }, {}, 'search_after needs a sort on fields in a hybrid query'],
    ['min_score with a field sort', { query: hybrid(), sort: ['n'], min_score: 1 }, {}, 'min_score applies to the combined score of a hybrid query: sort by _score or not at all to use it'],
    ['rescore with a field sort', { query: hybrid(), sort: ['n'], rescore: {} }, {}, 'Cannot use [sort] option in conjunction with [rescore].'],
    ['collapse', { query: hybrid(), collapse: { field: 'n' } }, {}, 'collapse is not available for hybrid queries run by the sidecar'],
    ['a negative size', { query: hybrid(), size: -1 }, {}, '[size] parameter cannot be negative, found [-1]'],
  ])('should refuse %s', (_name, body, url, reason) => {
    expect(() => planHybridSearch(body, url as Record<string, string>)).toThrow(expect.objectContaining({ status: 400, reason }));
  });

  it('should refuse from + size, then a depth, beyond the result window', () => {
    expect(() => checkResultWindow(planHybridSearch({ query: hybrid({ pagination_depth: 20 }), from: 15, size: 10 }), 20)).toThrow(
      'Result window is too large, from + size must be less than or equal to: [20] but was [25].',
    );
    expect(() => checkResultWindow(planHybridSearch({ query: hybrid({ pagination_depth: 21 }) }), 20)).toThrow(
      'pagination_depth should be less than or equal to index.max_result_window setting',
    );
    expect(() => checkResultWindow(planHybridSearch({ query: hybrid({ pagination_depth: 20 }) }), 20)).not.toThrow();
  });
});
