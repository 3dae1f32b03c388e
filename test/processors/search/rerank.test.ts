import { describe, expect, it } from 'vitest';
import { rerankProcessor } from '../../../src/processors/search/rerank.js';
import { build, failingPredictor, FakePredictor, hitsOf, responseContext, searchResponse } from './helpers.js';

type Json = Record<string, unknown>;

/** A cross-encoder: one `similarity` tensor per document, scored by the document's length. */
const crossEncoder = (score: (text: string) => number = (text) => text.length) =>
  new FakePredictor((_modelId, input) => {
    if (input.kind !== 'text_similarity') throw new Error('text_similarity input expected');
    return { inference_results: input.textDocs.map((text) => ({ output: [{ name: 'similarity', data_type: 'FLOAT32' as const, shape: [1], data: [score(text)] }], status_code: 200 })) };
  });

const hits = [
  { _id: 'a', _score: 3, _source: { title: 'T', body: 'xy' } },
  { _id: 'b', _score: 2, _source: { title: 'Title', body: ['long', 'body'] } },
  { _id: 'c', _score: 1, _source: { body: 'z' }, fields: { title: ['from fields'] } },
];

const ML_CONFIG = { ml_opensearch: { model_id: 'cross' }, context: { document_fields: ['title', 'body'] } };

const rerank = async (config: Json, request: Json, predictor = crossEncoder(), pageHits: Json[] = hits, total?: number) => {
  const context = responseContext(request, searchResponse(pageHits, total));
  await build(rerankProcessor, config, predictor).processResponse(context);
  return context.response;
};

const withQueryText = { query: { match: { text: 'what?' } }, ext: { rerank: { query_context: { query_text: 'what?' } } } };

describe('rerank', () => {
  it('should score every hit in one text_similarity predict and re-sort by the new scores', async () => {
    const predictor = crossEncoder();
    const response = await rerank(ML_CONFIG, withQueryText, predictor);
    expect(predictor.calls).toEqual([
      { modelId: 'cross', input: { kind: 'text_similarity', queryText: 'what?', textDocs: ['Txy', 'Titlelong body', 'from fieldsz'] } },
    ]);
    expect(hitsOf(response).map((hit) => [hit['_id'], hit['_score']])).toEqual([
      ['b', 14],
      ['c', 12],
      ['a', 3],
    ]);
    expect((response['hits'] as Json)['max_score']).toBe(14);
  });

  it.each<[string, Json]>([
    ['the normalised form', { query: { match: { text: 'what?' } }, ext: { rerank: { query_context: { query_text_path: 'query.match.text.query' } } } }],
    ['the form sent', { query: { match: { text: 'what?' } }, ext: { rerank: { query_context: { query_text_path: 'query.match.text' } } } }],
  ])('should read query_text_path in %s of the request', async (_name, request) => {
    const predictor = crossEncoder();
    await rerank(ML_CONFIG, request, predictor);
    expect(predictor.calls[0]?.input).toMatchObject({ queryText: 'what?' });
  });

  it('should put unscored (NaN) hits last, keeping their order', async () => {
    const scores: Record<string, number> = { Txy: Number.NaN, 'Titlelong body': 1, 'from fieldsz': Number.NaN };
    const response = await rerank(ML_CONFIG, withQueryText, crossEncoder((text) => scores[text] ?? 0));
    expect(hitsOf(response).map((hit) => hit['_id'])).toEqual(['b', 'a', 'c']);
  });

  it('should leave a response without hits alone', async () => {
    const predictor = crossEncoder();
    await rerank(ML_CONFIG, withQueryText, predictor, [], 0);
    await rerank(ML_CONFIG, withQueryText, predictor, hits, 0);
    expect(predictor.calls).toEqual([]);
  });

  it.each<[string, Json, string]>([
    ['no rerank ext', { query: { match_all: {} } }, 'must specify query_context'],
    ['a query_context that is not a map', { ext: { rerank: { query_context: 'x' } } }, 'query_context must be a map'],
    ['both query_text and query_text_path', { ext: { rerank: { query_context: { query_text: 'a', query_text_path: 'b' } } } }, 'Cannot specify both "query_text" and "query_text_path"'],
    ['neither', { ext: { rerank: { query_context: {} } } }, 'Must specify either "query_text" or "query_text_path"'],
    ['a path to no string', { query: { match_all: {} }, ext: { rerank: { query_context: { query_text_path: 'query.match_all' } } } }, 'query_text_path must point to a string field'],
    ['a path too long', { ext: { rerank: { query_context: { query_text_path: 'a'.repeat(1001) } } } }, 'query_text_path exceeded the maximum path length of 1000 characters'],
    ['a path too deep', { ext: { rerank: { query_context: { query_text_path: Array(21).fill('a').join('.') } } } }, 'query_text_path exceeded the maximum path length of 20 nested fields'],
  ])('should refuse a request with %s', async (_name, request, reason) => {
    const predictor = crossEncoder();
    await expect(rerank(ML_CONFIG, request, predictor)).rejects.toMatchObject({ status: 400, type: 'illegal_argument_exception', reason });
    expect(predictor.calls).toEqual([]);
  });

  it('should fail when the model answers a score count that is not the hit count', async () => {
    const predictor = new FakePredictor(() => ({ inference_results: [{ output: [{ name: 'similarity', data: [1] }], status_code: 200 }] }));
    await expect(rerank(ML_CONFIG, withQueryText, predictor)).rejects.toMatchObject({ status: 500, type: 'illegal_state_exception', reason: 'scores and hits are not the same length' });
  });

  it('should keep a model failure status', async () => {
    await expect(rerank(ML_CONFIG, withQueryText, failingPredictor(400, 'Error from remote service: bad input'))).rejects.toMatchObject({
      status: 400,
      reason: 'Error from remote service: bad input',
    });
  });

  describe('by_field', () => {
    const byFieldHits = [
      { _id: 'a', _score: 1, _source: { stats: { rank: 0.2 }, x: 1 } },
      { _id: 'b', _score: 2, _source: { stats: { rank: 0.9, other: 1 } } },
    ];

    it.each<[string, Json, Json[]]>([
      ['with the defaults', {}, [{ stats: { rank: 0.9, other: 1 } }, { stats: { rank: 0.2 }, x: 1 }]],
      [
        'removing the target field and the objects it empties, keeping the old score',
        { remove_target_field: true, keep_previous_score: true },
        [{ stats: { other: 1 }, previous_score: 2 }, { x: 1, previous_score: 1 }],
      ],
      ['keeping the old score under another name', { keep_previous_score: true, previous_score_field: 'was' }, [{ stats: { rank: 0.9, other: 1 }, was: 2 }, { stats: { rank: 0.2 }, x: 1, was: 1 }]],
    ])('should rerank by a numeric field %s', async (_name, options, sources) => {
      const response = await rerank({ by_field: { target_field: 'stats.rank', ...options } }, {}, undefined, byFieldHits);
      expect(hitsOf(response).map((hit) => [hit['_id'], hit['_score']])).toEqual([
        ['b', 0.9],
        ['a', 0.2],
      ]);
      expect(hitsOf(response).map((hit) => hit['_source'])).toEqual(sources);
      expect((response['hits'] as Json)['max_score']).toBe(0.9);
    });

    it.each<[string, Json, string]>([
      ['no _source', { _id: 'x', _score: 1 }, 'There is no source field to be able to perform rerank on hit [1]'],
      ['no target field', { _id: 'x', _score: 1, _source: {} }, 'The field to rerank by is not found at hit [1]'],
      ['a non-numeric target field', { _id: 'x', _score: 1, _source: { stats: { rank: 'high' } } }, 'The field mapping to rerank by [high] is not Numerical'],
    ])('should refuse a hit with %s', async (_name, hit, reason) => {
      await expect(rerank({ by_field: { target_field: 'stats.rank' } }, {}, undefined, [byFieldHits[0]!, hit])).rejects.toMatchObject({ status: 400, reason });
    });
  });

  it.each<[string, Json, Json]>([
    ['no rerank type', {}, { type: 'illegal_argument_exception', reason: 'No rerank type found. Possible rerank types are: [ml_opensearch, by_field]' }],
    ['two rerank types', { ...ML_CONFIG, by_field: { target_field: 'a' } }, { type: 'illegal_argument_exception', reason: 'Multiple rerank types found: [ml_opensearch, by_field]. Only one is permitted.' }],
    ['ml_opensearch without context', { ml_opensearch: { model_id: 'm' } }, { type: 'parse_exception', reason: '[context] required property is missing' }],
    ['ml_opensearch without model_id', { ml_opensearch: {}, context: { document_fields: ['a'] } }, { type: 'parse_exception', reason: '[ml_opensearch.model_id] required property is missing' }],
    ['an unknown context field', { ...ML_CONFIG, context: { document_fields: ['a'], query: 'x' } }, { type: 'illegal_argument_exception', reason: 'unrecognized context field: query' }],
    ['no document fields', { ...ML_CONFIG, context: { document_fields: [] } }, { type: 'illegal_argument_exception', reason: 'document_fields must be nonempty' }],
    ['document fields that are not a list', { ...ML_CONFIG, context: { document_fields: 'title' } }, { type: 'illegal_argument_exception', reason: 'document_fields must be a list of field names' }],
    [
      'more than 50 document fields',
      { ...ML_CONFIG, context: { document_fields: Array.from({ length: 51 }, (_, index) => `f${index}`) } },
      { type: 'illegal_argument_exception', reason: 'document_fields must not contain more than 50 fields. Configure by setting plugins.neural_search.reranker_max_document_fields' },
    ],
    ['by_field without target_field', { by_field: {} }, { type: 'parse_exception', reason: '[by_field.target_field] required property is missing' }],
    ['by_field with a context', { by_field: { target_field: 'a' }, context: { document_fields: ['a'] } }, { type: 'parse_exception', reason: "processor [rerank] doesn't support one or more provided configuration parameters: [context]" }],
  ])('should refuse %s', (_name, options, error) => {
    expect(() => build(rerankProcessor, options)).toThrow(expect.objectContaining({ status: 400, ...error }));
  });
});
