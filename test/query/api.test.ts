/** compileQuery / filters, and the building blocks whose behaviour is pinned to Lucene's. */
import { describe, expect, it } from 'vitest';
import {
  analyzeTerms,
  compileQuery,
  DYNAMIC_MAPPING,
  ML_MODEL_INDEX,
  ML_MODEL_MAPPING,
  search,
} from '../../src/query/index.js';
import { parseDate, parseDateMath } from '../../src/query/dates.js';
import { minimumShouldMatch } from '../../src/query/min-should-match.js';
import { normalizedLength } from '../../src/query/scoring.js';
import type { StoredRecord } from '../../src/store/store.js';
import { IDF_EMBEDDING, IDF_MODEL, MODELS, NAME_AVG, tfRef } from './fixtures.js';

const byId = (id: string): StoredRecord => {
  const found = MODELS.find((r) => r.id === id);
  if (found === undefined) throw new Error(id);
  return found;
};

describe('compileQuery', () => {
  it('gives a predicate', () => {
    const query = compileQuery({ term: { model_state: 'DEPLOYED' } }, ML_MODEL_MAPPING);
    expect(MODELS.filter((r) => query.matches(r)).map((r) => r.id)).toEqual(['m1', 'm3', 'm5']);
  });

  it('gives a BM25 scorer bound to the searched records', () => {
    const scorer = compileQuery({ match: { name: 'embedding' } }, ML_MODEL_MAPPING).scorer(MODELS);
    expect(scorer(byId('m3'))).toBeCloseTo(IDF_EMBEDDING * tfRef(2, 2, NAME_AVG), 5);
    expect(scorer(byId('m2'))).toBeNull();
  });

  it('composes with a non-scoring filter (compiled or predicate)', () => {
    const query = compileQuery({ match: { name: 'embedding model' } }, ML_MODEL_MAPPING);
    const acl = compileQuery({ term: { is_hidden: false } }, ML_MODEL_MAPPING);
    const scorer = query
      .withFilter(acl)
      .withFilter((r) => r.id !== 'm2')
      .scorer(MODELS);
    expect(MODELS.filter((r) => scorer(r) !== null).map((r) => r.id)).toEqual(['m1']);
    expect(scorer(byId('m1'))).toBeCloseTo((IDF_EMBEDDING + IDF_MODEL) * tfRef(1, 3, NAME_AVG), 5);
  });

  it('hides fields from the query when asked', () => {
    const query = compileQuery({ exists: { field: 'connector.credential' } }, ML_MODEL_MAPPING, {
      hiddenFields: ['connector.credential'],
    });
    expect(query.matches(byId('m4'))).toBe(false);
    expect(
      compileQuery({ exists: { field: 'connector.credential' } }, ML_MODEL_MAPPING).matches(
        byId('m4'),
      ),
    ).toBe(true);
  });

  it('rejects a bad query at compile time', () => {
    expect(() => compileQuery({ regexp: { name: 'x.*' } }, ML_MODEL_MAPPING)).toThrow(
      'query [regexp] is not supported',
    );
  });

  it('defaults to match_all', () => {
    expect(compileQuery(undefined, ML_MODEL_MAPPING).matches(byId('m6'))).toBe(true);
  });
});

describe('search filter (access control)', () => {
  const body = { query: { match: { name: 'embedding model' } } };
  const unfiltered = search({
    records: MODELS,
    body,
    mapping: ML_MODEL_MAPPING,
    index: ML_MODEL_INDEX,
  });

  it.each([
    { name: 'predicate', filter: (r: StoredRecord) => r.id !== 'm1' },
    {
      name: 'compiled query',
      filter: compileQuery({ bool: { must_not: { ids: { values: ['m1'] } } } }, ML_MODEL_MAPPING),
    },
  ])('filters with a $name without changing scores or statistics', ({ filter }) => {
    const response = search({
      records: MODELS,
      body,
      mapping: ML_MODEL_MAPPING,
      index: ML_MODEL_INDEX,
      filter,
    });
    expect(response.hits.hits.map((h) => h._id)).toEqual(['m3', 'm2', 'm6']);
    expect(response.hits.total).toEqual({ value: 3, relation: 'eq' });
    for (const hit of response.hits.hits) {
      expect(hit._score).toBeCloseTo(
        unfiltered.hits.hits.find((h) => h._id === hit._id)?._score ?? Number.NaN,
        10,
      );
    }
  });
});

describe('standard analyzer', () => {
  it.each([
    { text: 'Hello, World!', terms: ['hello', 'world'] },
    { text: "can't stop", terms: ["can't", 'stop'] },
    { text: 'gpt-4o model_v2 v1.2 foo.bar', terms: ['gpt', '4o', 'model_v2', 'v1.2', 'foo.bar'] },
    { text: 'user@example.com', terms: ['user', 'example.com'] },
    { text: '東京都', terms: ['東', '京', '都'] },
    { text: 'ÉCOLE Straße', terms: ['école', 'straße'] },
    { text: '  ...  ', terms: [] },
    { text: 'x'.repeat(300), terms: ['x'.repeat(255), 'x'.repeat(45)] },
  ])('$text', ({ text, terms }) => {
    expect(analyzeTerms(text)).toEqual(terms);
  });
});

describe('Lucene details', () => {
  it('round-trips field lengths through the one-byte norm', () => {
    expect([1, 23, 24, 40, 50, 57, 100].map(normalizedLength)).toEqual([1, 23, 24, 40, 50, 56, 96]);
  });

  it('scores long fields with the quantised length', () => {
    const long = Array.from({ length: 57 }, (_, i) => (i === 0 ? 'alpha' : `w${i}`)).join(' ');
    const records: StoredRecord[] = [
      { collection: 'c', id: 'a', version: 1, seqNo: 0, primaryTerm: 1, source: { body: long } },
      { collection: 'c', id: 'b', version: 1, seqNo: 1, primaryTerm: 1, source: { body: 'beta' } },
    ];
    const response = search({
      records,
      body: { query: { match: { body: 'alpha' } } },
      mapping: DYNAMIC_MAPPING,
      index: 'i',
    });
    const avg = 58 / 2;
    const idf = Math.log(1 + (2 - 1 + 0.5) / (1 + 0.5));
    expect(response.hits.hits[0]?._score).toBeCloseTo(idf * tfRef(1, 56, avg), 6);
  });

  it.each([
    { count: 4, spec: '2', min: 2 },
    { count: 4, spec: '-1', min: 3 },
    { count: 4, spec: '75%', min: 3 },
    { count: 3, spec: '50%', min: 1 },
    { count: 3, spec: '-50%', min: 2 },
    { count: 2, spec: '3<90%', min: 2 },
    { count: 10, spec: '3<90%', min: 9 },
    { count: 2, spec: '-5', min: 0 },
  ])('minimum_should_match $spec of $count is $min', ({ count, spec, min }) => {
    expect(minimumShouldMatch(count, spec)).toBe(min);
  });

  it('parses dates and date math in UTC', () => {
    expect(parseDate('2023-11-16T00:00:00Z')).toBe(1700092800000);
    expect(parseDate('2023-11-16T01:00:00+01:00')).toBe(1700092800000);
    expect(parseDate('2023-11-16')).toBe(1700092800000);
    expect(parseDate('1700092800000')).toBe(1700092800000);
    expect(parseDate('2023-02-30')).toBeNull();
    const now = Date.UTC(2024, 1, 14, 15, 30); // Wednesday 2024-02-14T15:30Z
    expect(parseDateMath('now-1d/d', now, false)).toBe(Date.UTC(2024, 1, 13));
    expect(parseDateMath('now/d', now, true)).toBe(Date.UTC(2024, 1, 15) - 1);
    expect(parseDateMath('now/w', now, false)).toBe(Date.UTC(2024, 1, 12));
    expect(parseDateMath('2024-01-31||+1M', now, false)).toBe(Date.UTC(2024, 1, 29));
    expect(parseDateMath('2024-02-29||-1y', now, false)).toBe(Date.UTC(2023, 1, 28));
    expect(parseDateMath('now+2h', now, false)).toBe(now + 2 * 3_600_000);
  });
});

describe('indexing details', () => {
  const rec = (id: string, source: Record<string, unknown>): StoredRecord => ({
    collection: 'c',
    id,
    version: 1,
    seqNo: 0,
    primaryTerm: 1,
    source,
  });
  const ids = (records: StoredRecord[], query: unknown) =>
    search({ records, body: { query }, mapping: ML_MODEL_MAPPING, index: 'i' }).hits.hits.map(
      (h) => h._id,
    );

  it('does not index a keyword past ignore_above (the text field still has it)', () => {
    const long = `model ${'x'.repeat(260)}`;
    const records = [rec('long', { name: long }), rec('short', { name: 'model y' })];
    expect(ids(records, { term: { 'name.keyword': long } })).toEqual([]);
    expect(ids(records, { exists: { field: 'name.keyword' } })).toEqual(['short']);
    expect(ids(records, { match: { name: 'model' } })).toEqual(['short', 'long']); // shorter field scores higher
  });

  it('orders keywords by code point (UTF-8 byte order), not UTF-16 unit', () => {
    // U+FF5E (fullwidth tilde) sorts before U+1F600 in UTF-8, after it in UTF-16 units.
    const records = [
      rec('astral', { model_state: '\u{1F600}' }),
      rec('bmp', { model_state: '\uFF5E' }),
    ];
    const response = search({
      records,
      body: { sort: 'model_state' },
      mapping: ML_MODEL_MAPPING,
      index: 'i',
    });
    expect(response.hits.hits.map((h) => h._id)).toEqual(['bmp', 'astral']);
    expect(ids(records, { range: { model_state: { gt: '\uFF5E' } } })).toEqual(['astral']);
  });

  it('never lets a phrase span two array values', () => {
    const records = [
      rec('split', { description: ['alpha', 'beta'] }),
      rec('joined', { description: 'alpha beta' }),
    ];
    expect(ids(records, { match_phrase: { description: 'alpha beta' } })).toEqual(['joined']);
    expect(
      ids(records, { match: { description: { query: 'alpha beta', operator: 'and' } } }),
    ).toEqual(['split', 'joined']);
  });
});
