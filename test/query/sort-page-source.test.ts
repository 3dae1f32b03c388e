/** Sorting, pagination, total-hit tracking and `_source` filtering. */
import { describe, expect, it } from 'vitest';
import { ML_MODEL_INDEX, ML_MODEL_MAPPING, search } from '../../src/query/index.js';
import { IDF_EMBEDDING, MODELS, NAME_AVG, tfRef } from './fixtures.js';

const run = (body: unknown) =>
  search({ records: MODELS, body, mapping: ML_MODEL_MAPPING, index: ML_MODEL_INDEX });
const ids = (body: unknown) => run(body).hits.hits.map((h) => h._id);

describe('sort', () => {
  const SORTS: Array<{ name: string; sort: unknown; ids: string[]; values?: unknown[] }> = [
    {
      name: 'date asc, missing last',
      sort: { created_time: 'asc' },
      ids: ['m5', 'm1', 'm2', 'm4', 'm3', 'm6'],
      values: [
        [1699999000000],
        [1700000000000],
        [1700000100000],
        [1700000300000],
        [1700092800000],
        [null],
      ],
    },
    {
      name: 'date desc, missing still last',
      sort: [{ created_time: { order: 'desc' } }],
      ids: ['m3', 'm4', 'm2', 'm1', 'm5', 'm6'],
    },
    {
      name: 'missing first',
      sort: [{ created_time: { order: 'asc', missing: '_first' } }],
      ids: ['m6', 'm5', 'm1', 'm2', 'm4', 'm3'],
    },
    {
      name: 'keyword by code point',
      sort: 'name.keyword',
      ids: ['m4', 'm2', 'm6', 'm5', 'm1', 'm3'],
    },
    {
      name: 'two keys with _id desc',
      sort: ['model_state', { _id: 'desc' }],
      ids: ['m5', 'm3', 'm1', 'm4', 'm2', 'm6'],
      values: [
        ['DEPLOYED', 'm5'],
        ['DEPLOYED', 'm3'],
        ['DEPLOYED', 'm1'],
        ['DEPLOY_FAILED', 'm4'],
        ['REGISTERED', 'm2'],
        ['UNDEPLOYED', 'm6'],
      ],
    },
    {
      name: 'boolean desc reports 1/0',
      sort: [{ is_hidden: 'desc' }, '_doc'],
      ids: ['m3', 'm4', 'm6', 'm1', 'm2', 'm5'],
      values: [
        [1, 2],
        [1, 3],
        [1, 5],
        [0, 0],
        [0, 1],
        [0, 4],
      ],
    },
    {
      name: 'object sub-field',
      sort: [{ 'model_config.embedding_dimension': 'asc' }],
      ids: ['m5', 'm1', 'm2', 'm3', 'm4', 'm6'],
    },
    { name: 'dynamic .keyword', sort: ['tags.keyword'], ids: ['m2', 'm1', 'm3', 'm4', 'm5', 'm6'] },
    {
      name: 'unmapped with unmapped_type keeps record order',
      sort: [{ nope: { unmapped_type: 'keyword' } }],
      ids: ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'],
    },
    { name: '_doc desc', sort: { _doc: 'desc' }, ids: ['m6', 'm5', 'm4', 'm3', 'm2', 'm1'] },
  ];

  it.each(SORTS)('$name', ({ sort, ids: expected, values }) => {
    const response = run({ sort });
    expect(response.hits.hits.map((h) => h._id)).toEqual(expected);
    if (values !== undefined) expect(response.hits.hits.map((h) => h.sort)).toEqual(values);
    expect(response.hits.max_score).toBeNull();
    for (const hit of response.hits.hits) expect(hit._score).toBeNull();
  });

  it('keeps scores with track_scores', () => {
    const response = run({
      query: { match: { name: 'embedding' } },
      sort: [{ created_time: 'desc' }],
      track_scores: true,
    });
    expect(response.hits.hits.map((h) => h._id)).toEqual(['m3', 'm1']);
    expect(response.hits.hits[1]?._score).toBeCloseTo(IDF_EMBEDDING * tfRef(1, 3, NAME_AVG), 5);
    expect(response.hits.max_score).toBeCloseTo(IDF_EMBEDDING * tfRef(2, 2, NAME_AVG), 5);
  });

  it('sorts by _score ascending with sort values', () => {
    const response = run({ query: { match: { name: 'embedding' } }, sort: [{ _score: 'asc' }] });
    expect(response.hits.hits.map((h) => h._id)).toEqual(['m1', 'm3']);
    expect(response.hits.hits[0]?.sort?.[0]).toBeCloseTo(IDF_EMBEDDING * tfRef(1, 3, NAME_AVG), 5);
    expect(response.hits.hits[0]?._score).toBeCloseTo(IDF_EMBEDDING * tfRef(1, 3, NAME_AVG), 5);
  });

  it('reads date math in a missing value at the search’s injected time', () => {
    const hits = search({
      records: MODELS,
      body: { sort: [{ created_time: { order: 'asc', missing: 'now' } }] },
      mapping: ML_MODEL_MAPPING,
      index: ML_MODEL_INDEX,
      now: 1700000200000,
    }).hits.hits;
    expect(hits.map((hit) => hit._id)).toEqual(['m5', 'm1', 'm2', 'm6', 'm4', 'm3']);
    expect(hits[3]!.sort).toEqual([1700000200000]);
  });

  it('treats a lone _score sort as relevance order (no sort values)', () => {
    const response = run({ query: { match: { name: 'embedding' } }, sort: ['_score'] });
    expect(response.hits.hits.map((h) => h._id)).toEqual(['m3', 'm1']);
    expect(response.hits.hits[0]?.sort).toBeUndefined();
    expect(response.hits.max_score).not.toBeNull();
  });
});

describe('search_after', () => {
  const seqNoOf = (id: string): number => MODELS.find((m) => m.id === id)?.seqNo ?? -1;
  const PAGES: Array<{ name: string; body: Record<string, unknown>; ids: string[] }> = [
    {
      name: 'a date and _id sort, after the second hit',
      body: { sort: [{ created_time: 'asc' }, '_id'], search_after: [1700000000000, 'm1'] },
      ids: ['m2', 'm4', 'm3', 'm6'],
    },
    {
      name: 'a date given as text',
      body: { sort: [{ created_time: 'asc' }], search_after: ['2023-11-14T22:13:20Z'] },
      ids: ['m2', 'm4', 'm3', 'm6'],
    },
    {
      name: 'descending, with size',
      body: { sort: [{ _id: 'desc' }], search_after: ['m4'], size: 2 },
      ids: ['m3', 'm2'],
    },
    {
      name: 'a null value continues among documents missing the field',
      body: { sort: [{ created_time: 'asc' }, '_id'], search_after: [null, 'm0'] },
      ids: ['m6'],
    },
    {
      name: 'a number given as text for a numeric field',
      body: { sort: ['model_config.embedding_dimension', '_id'], search_after: ['1536', 'm1'] },
      ids: ['m2', 'm3', 'm4', 'm6'],
    },
  ];

  it.each(PAGES)('$name', ({ body, ids: expected }) => {
    expect(ids(body)).toEqual(expected);
  });

  it('pages through every hit with _seq_no, reporting the total of all matches', () => {
    const seen: string[] = [];
    let after: unknown[] | undefined;
    for (let page = 0; page < 4; page += 1) {
      const response = run({
        size: 2,
        sort: [{ _seq_no: 'asc' }],
        ...(after === undefined ? {} : { search_after: after }),
      });
      expect(response.hits.total).toEqual({ value: 6, relation: 'eq' });
      for (const hit of response.hits.hits) {
        expect(hit.sort).toEqual([seqNoOf(hit._id)]);
        seen.push(hit._id);
      }
      after = response.hits.hits.at(-1)?.sort;
      if (after === undefined) break;
    }
    expect(seen).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6']);
  });

  it('reports no max_score when search_after leaves no hit, even with track_scores', () => {
    const response = run({ sort: ['_id'], search_after: ['zz'], track_scores: true });
    expect(response.hits).toEqual({ total: { value: 6, relation: 'eq' }, max_score: null, hits: [] });
  });

  it('queries _seq_no with term and range', () => {
    expect(ids({ query: { term: { _seq_no: seqNoOf('m3') } } })).toEqual(['m3']);
    expect(ids({ query: { range: { _seq_no: { gt: seqNoOf('m4') } } } })).toEqual(['m5', 'm6']);
  });
});

describe('pagination and totals', () => {
  it('defaults to 10 hits and pages with from/size', () => {
    expect(ids({})).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6']);
    expect(ids({ size: 2 })).toEqual(['m1', 'm2']);
    expect(ids({ from: 2, size: 2 })).toEqual(['m3', 'm4']);
    expect(ids({ from: 5, size: 5, sort: { created_time: 'desc' } })).toEqual(['m6']);
    const past = run({ from: 10 });
    expect(past.hits.hits).toEqual([]);
    expect(past.hits.total).toEqual({ value: 6, relation: 'eq' });
  });

  it('size 0 counts without hits or max_score', () => {
    const response = run({ size: 0, query: { term: { model_state: 'DEPLOYED' } } });
    expect(response.hits).toEqual({
      total: { value: 3, relation: 'eq' },
      max_score: null,
      hits: [],
    });
  });

  it('track_total_hits', () => {
    expect(run({ track_total_hits: false }).hits.total).toBeUndefined();
    expect(run({ track_total_hits: 4 }).hits.total).toEqual({ value: 4, relation: 'gte' });
    expect(run({ track_total_hits: 6 }).hits.total).toEqual({ value: 6, relation: 'eq' });
    expect(run({ track_total_hits: true }).hits.total).toEqual({ value: 6, relation: 'eq' });
  });

  it('min_score, post_filter and terminate_after', () => {
    expect(ids({ query: { match: { name: 'embedding model' } }, min_score: 0.5 })).toEqual([
      'm1',
      'm3',
    ]);
    const post = run({
      query: { match: { name: 'embedding model' } },
      post_filter: { term: { is_hidden: false } },
    });
    expect(post.hits.hits.map((h) => h._id)).toEqual(['m1', 'm2']);
    expect(post.hits.total).toEqual({ value: 2, relation: 'eq' });
    const terminated = run({ terminate_after: 2 });
    expect(terminated.terminated_early).toBe(true);
    expect(terminated.hits.hits.map((h) => h._id)).toEqual(['m1', 'm2']);
  });

  it('renders the OpenSearch envelope and hit metadata', () => {
    const response = run({
      query: { ids: { values: ['m2'] } },
      timeout: '5s',
      version: true,
      seq_no_primary_term: true,
      explain: false,
    });
    expect(response).toMatchObject({
      timed_out: false,
      _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
    });
    expect(typeof response.took).toBe('number');
    const record = MODELS[1];
    expect(response.hits.hits[0]).toEqual({
      _index: ML_MODEL_INDEX,
      _id: 'm2',
      _version: record?.version,
      _seq_no: record?.seqNo,
      _primary_term: 1,
      _score: 1,
      _source: record?.source,
    });
    expect(Object.keys(response.hits.hits[0] ?? {})).toEqual([
      '_index',
      '_id',
      '_version',
      '_seq_no',
      '_primary_term',
      '_score',
      '_source',
    ]);
  });
});

describe('_source filtering', () => {
  const m5 = (source: unknown) =>
    run({ query: { ids: { values: ['m5'] } }, _source: source }).hits.hits[0]?._source;

  it.each([
    { name: 'false omits _source', source: false, expected: undefined },
    {
      name: 'a string includes one field',
      source: 'name',
      expected: { name: 'Local sentence transformer' },
    },
    {
      name: 'an array with an object wildcard',
      source: ['name', 'model_config.*'],
      expected: {
        name: 'Local sentence transformer',
        model_config: {
          model_type: 'bert',
          embedding_dimension: 384,
          framework_type: 'SENTENCE_TRANSFORMERS',
        },
      },
    },
    {
      name: 'includes + excludes',
      source: { includes: ['model_config'], excludes: ['model_config.framework_type'] },
      expected: { model_config: { model_type: 'bert', embedding_dimension: 384 } },
    },
    { name: 'a leading wildcard', source: '*_state', expected: { model_state: 'DEPLOYED' } },
    {
      name: 'a wildcard crossing dots',
      source: ['*dimension'],
      expected: { model_config: { embedding_dimension: 384 } },
    },
    {
      name: 'excludes only',
      source: { excludes: ['model_config', 'name', 'created_time', 'model_content_size_in_bytes'] },
      expected: {
        algorithm: 'TEXT_EMBEDDING',
        model_state: 'DEPLOYED',
        model_group_id: 'g3',
        is_hidden: false,
      },
    },
    { name: 'an unmatched include gives an empty source', source: ['nope'], expected: {} },
  ])('$name', ({ source, expected }) => {
    expect(m5(source)).toEqual(expected);
  });

  it('does not share objects with the stored record', () => {
    const hit = run({ query: { ids: { values: ['m1'] } } }).hits.hits[0];
    const config = hit?._source?.['model_config'] as Record<string, unknown>;
    config['model_type'] = 'changed';
    expect((MODELS[0]?.source['model_config'] as Record<string, unknown>)['model_type']).toBe(
      'bert',
    );
  });

  it('keeps a `__proto__` source key as data', () => {
    const source = JSON.parse('{"__proto__": {"polluted": true}, "name": "p"}') as Record<
      string,
      unknown
    >;
    const record = { collection: 'm', id: 'p', version: 1, seqNo: 0, primaryTerm: 1, source };
    for (const filter of [true, ['__proto__', 'name'], { excludes: ['name'] }]) {
      const hit = search({
        records: [record],
        body: { _source: filter },
        mapping: ML_MODEL_MAPPING,
        index: 'i',
      }).hits.hits[0];
      expect(Object.getPrototypeOf(hit?._source)).toBe(Object.prototype);
      expect(Object.hasOwn(hit?._source ?? {}, '__proto__')).toBe(true);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    }
  });
});
