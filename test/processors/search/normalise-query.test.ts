import { describe, expect, it } from 'vitest';
import { normaliseQuery, normaliseSearchBody, readRequestPath } from '../../../src/processors/search/normalise-query.js';
import { readPath, setCreatingPath, setExistingPath } from '../../../src/processors/search/json-path.js';

type Json = Record<string, unknown>;

const MATCH_DEFAULTS = {
  operator: 'OR',
  prefix_length: 0,
  max_expansions: 50,
  fuzzy_transpositions: true,
  lenient: false,
  zero_terms_query: 'NONE',
  auto_generate_synonyms_phrase_query: true,
  boost: 1,
};

describe('normaliseQuery (SearchSourceBuilder printed forms)', () => {
  it.each<[string, Json, Json]>([
    ['term short form', { term: { label: 'x' } }, { term: { label: { value: 'x', boost: 1 } } }],
    ['term long form keeps boost and _name', { term: { label: { value: 'x', boost: 2, _name: 'n' } } }, { term: { label: { value: 'x', boost: 2, _name: 'n' } } }],
    ['match short form', { match: { title: 'hello' } }, { match: { title: { query: 'hello', ...MATCH_DEFAULTS } } }],
    [
      'match with options (operator upper-cased, minimum_should_match as text)',
      { match: { title: { query: 'a b', operator: 'and', minimum_should_match: 2, fuzziness: 'auto' } } },
      { match: { title: { query: 'a b', ...MATCH_DEFAULTS, operator: 'AND', minimum_should_match: '2', fuzziness: 'AUTO' } } },
    ],
    ['match_phrase', { match_phrase: { title: 'a b' } }, { match_phrase: { title: { query: 'a b', slop: 0, zero_terms_query: 'NONE', boost: 1 } } }],
    ['match_all', { match_all: {} }, { match_all: { boost: 1 } }],
    ['exists', { exists: { field: 'f' } }, { exists: { field: 'f', boost: 1 } }],
    ['prefix short form', { prefix: { f: 'ab' } }, { prefix: { f: { value: 'ab', boost: 1 } } }],
    ['wildcard short form', { wildcard: { f: 'a*' } }, { wildcard: { f: { wildcard: 'a*', boost: 1 } } }],
    ['terms', { terms: { f: ['a', 'b'] } }, { terms: { f: ['a', 'b'], boost: 1 } }],
    [
      'range gte/lt as from/to',
      { range: { price: { gte: 5, lt: 10 } } },
      { range: { price: { from: 5, to: 10, include_lower: true, include_upper: false, boost: 1 } } },
    ],
    [
      'bool with an object clause, recursively',
      { bool: { must: { term: { a: 1 } }, should: [{ match: { t: 'x' } }], minimum_should_match: 1 } },
      {
        bool: {
          must: [{ term: { a: { value: 1, boost: 1 } } }],
          should: [{ match: { t: { query: 'x', ...MATCH_DEFAULTS } } }],
          adjust_pure_negative: true,
          minimum_should_match: '1',
          boost: 1,
        },
      },
    ],
    [
      'nested with its defaults',
      { nested: { path: 'c', query: { term: { 'c.a': 'x' } } } },
      { nested: { path: 'c', query: { term: { 'c.a': { value: 'x', boost: 1 } } }, ignore_unmapped: false, score_mode: 'avg', boost: 1 } },
    ],
    ['neural gains k = 10', { neural: { emb: { query_text: 'q', model_id: 'm' } } }, { neural: { emb: { query_text: 'q', model_id: 'm', k: 10, boost: 1 } } }],
    ['an unknown clause type unchanged', { geo_shape: { loc: { shape: 1 } } }, { geo_shape: { loc: { shape: 1 } } }],
    ['a malformed term unchanged', { term: { a: 'x', b: 'y' } }, { term: { a: 'x', b: 'y' } }],
  ])('should print %s', (_name, query, expected) => {
    const before = structuredClone(query);
    expect(normaliseQuery(query)).toEqual(expected);
    expect(query).toEqual(before);
  });

  it('should be idempotent', () => {
    const query = { bool: { filter: [{ range: { p: { gt: 1 } } }, { match: { t: 'x' } }] } };
    const once = normaliseQuery(query);
    expect(normaliseQuery(once)).toEqual(once);
  });

  it('should normalise query and post_filter of a body and keep the rest', () => {
    const body = { size: 2, query: { term: { a: 'x' } }, post_filter: { term: { b: 'y' } }, ext: { ml_inference: { text: 't' } } };
    expect(normaliseSearchBody(body)).toEqual({
      size: 2,
      query: { term: { a: { value: 'x', boost: 1 } } },
      post_filter: { term: { b: { value: 'y', boost: 1 } } },
      ext: { ml_inference: { text: 't' } },
    });
  });

  it('should read a request path in the long form, and in the short form the user sent', () => {
    const body = { query: { term: { label: 'x' } } };
    const normalised = normaliseSearchBody(body);
    expect(readRequestPath(normalised, body, 'query.term.label.value')).toEqual({ found: true, value: 'x' });
    expect(readRequestPath(normalised, body, '$.query.term.label.value')).toEqual({ found: true, value: 'x' });
    const rangeBody = { query: { range: { p: { gte: 3 } } } };
    expect(readRequestPath(normaliseSearchBody(rangeBody), rangeBody, 'query.range.p.gte')).toEqual({ found: true, value: 3 });
    expect(readRequestPath(normalised, body, 'query.term.label')).toEqual({ found: true, value: 'x' });
    expect(readRequestPath(normalised, body, 'query.term.other')).toEqual({ found: false, value: undefined });
  });
});

describe('json paths', () => {
  const document = { a: { list: [{ b: 1 }, { b: 2 }], nil: null }, text: 't' };

  it.each<[string, unknown]>([
    ['a.list.1.b', 2],
    ['$.a.list[0].b', 1],
    ['$.a.list[*].b', [1, 2]],
    ['text', 't'],
  ])('should read %s', (path, value) => {
    expect(readPath(document, path)).toEqual({ found: true, value });
  });

  it.each(['a.nil', 'a.zz', '$.a.list[*].zz', 'text.deeper'])('should not find %s', (path) => {
    expect(readPath(document, path).found).toBe(false);
  });

  it('should set existing paths only, and create ext paths', () => {
    const copy = structuredClone(document) as Json;
    expect(setExistingPath(copy, '$.a.list[*].b', 0)).toBe(2);
    expect(setExistingPath(copy, 'a.missing', 0)).toBe(0);
    setCreatingPath(copy, 'ext.ml_inference.out', [1]);
    expect(copy).toEqual({ a: { list: [{ b: 0 }, { b: 0 }], nil: null }, text: 't', ext: { ml_inference: { out: [1] } } });
    expect(() => setCreatingPath(copy, 'ext.__proto__.x', 1)).toThrow('Illegal key [__proto__]');
  });
});
