import { describe, expect, it } from 'vitest';
import { checkHybridPlacement, parseHybridQuery, pushDownHybridFilters } from '../../../../src/processors/search/index.js';

type Json = Record<string, unknown>;

const term = (value: string) => ({ term: { tag: value } });

describe('hybrid query', () => {
  it('should read queries (a list, or one query), pagination_depth, a neutral boost and a name', () => {
    expect(parseHybridQuery({ queries: [term('a'), term('b')], pagination_depth: 20, boost: 1.0, _name: 'h' })).toEqual({
      queries: [term('a'), term('b')],
      paginationDepth: 20,
    });
    expect(parseHybridQuery({ queries: term('a') })).toEqual({ queries: [term('a')] });
  });

  it.each<[string, unknown, string, string]>([
    ['no queries', { pagination_depth: 5 }, 'parsing_exception', "[hybrid] requires 'queries' field with at least one clause"],
    ['six queries', { queries: Array.from({ length: 6 }, () => term('a')) }, 'parsing_exception', 'Number of sub-queries exceeds maximum supported by [hybrid] query'],
    ['a filter list', { queries: [term('a')], filter: [term('b')] }, 'parsing_exception', "[hybrid] query's [filter] field must be a query object"],
    ['a boost', { queries: [term('a')], boost: 0.5 }, 'parsing_exception', '[hybrid] query does not support [boost]'],
    ['an unknown field', { queries: [term('a')], size: 5 }, 'parsing_exception', 'Field is not supported by [hybrid] query'],
    ['a decimal depth', { queries: [term('a')], pagination_depth: 2.5 }, 'parsing_exception', '[hybrid] failed to parse field [pagination_depth]'],
  ])('should refuse %s', (_name, value, type, reason) => {
    expect(() => parseHybridQuery(value)).toThrow(expect.objectContaining({ status: 400, type, reason }));
  });

  it.each<[string, Json, Json]>([
    ['a bool gains a filter clause', { bool: { should: [term('a')], filter: term('x') } }, { bool: { should: [term('a')], filter: [term('x'), term('f')] } }],
    ['a knn clause filters its neighbours', { knn: { v: { vector: [1], k: 3 } } }, { knn: { v: { vector: [1], k: 3, filter: term('f') } } }],
    [
      'a knn filter is combined with its own',
      { knn: { v: { vector: [1], k: 3, filter: term('x') } } },
      { knn: { v: { vector: [1], k: 3, filter: { bool: { must: [term('x')], filter: [term('f')] } } } } },
    ],
    ['a neural clause filters its neighbours', { neural: { v: { query_text: 'q' } } }, { neural: { v: { query_text: 'q', filter: term('f') } } }],
    ['any other query is wrapped', term('a'), { bool: { must: [term('a')], filter: [term('f')] } }],
  ])('should push the hybrid filter down: %s', (_name, query, expected) => {
    const body: Json = { query: { hybrid: { queries: [query], filter: term('f') } } };
    pushDownHybridFilters(body);
    expect(body).toEqual({ query: { hybrid: { queries: [expected] } } });
  });

  it('should accept a hybrid query at the top only', () => {
    expect(() => checkHybridPlacement({ query: { hybrid: { queries: [term('a')] } } })).not.toThrow();
    for (const query of [{ bool: { must: [{ hybrid: { queries: [term('a')] } }] } }, { hybrid: { queries: [{ hybrid: { queries: [term('a')] } }] } }]) {
      expect(() => checkHybridPlacement({ query })).toThrow('hybrid query must be a top level query and cannot be wrapped into other queries');
    }
  });
});
