import { describe, expect, it } from 'vitest';
import { embeddingAnswer, embeddingPredictor, failingPredictor, FakePredictor, vectorFor } from './helpers.js';
import { NEURAL_DEFAULTS_ATTRIBUTE, neuralDefaultsFrom, rewriteNeuralQueries } from '../../../src/processors/search/index.js';

type Json = Record<string, unknown>;

const neural = (field: string, parameters: Json) => ({ neural: { [field]: { query_text: 'hello', ...parameters } } });
const knn = (field: string, text: string, parameters: Json, model = 'm1') => ({ knn: { [field]: { vector: vectorFor(`${model}:${text}`), ...parameters } } });
const match = { match: { title: 'hello' } };

describe('rewriteNeuralQueries', () => {
  it.each<[string, Json, Json]>([
    ['a top-level neural query with the default k', { query: neural('emb', { model_id: 'm1' }) }, { query: knn('emb', 'hello', { k: 10 }) }],
    ['an explicit k', { query: neural('emb', { model_id: 'm1', k: 5 }) }, { query: knn('emb', 'hello', { k: 5 }) }],
    ['min_score instead of k', { query: neural('emb', { model_id: 'm1', min_score: 0.4 }) }, { query: knn('emb', 'hello', { min_score: 0.4 }) }],
    ['max_distance instead of k', { query: neural('emb', { model_id: 'm1', max_distance: 2 }) }, { query: knn('emb', 'hello', { max_distance: 2 }) }],
    [
      'filter, boost, _name, method_parameters, rescore and expand_nested_docs passed through',
      { query: neural('emb', { model_id: 'm1', filter: { term: { lang: 'en' } }, boost: 2, _name: 'n', method_parameters: { ef_search: 100 }, rescore: { oversample_factor: 1.5 }, expand_nested_docs: true }) },
      { query: knn('emb', 'hello', { k: 10, boost: 2, filter: { term: { lang: 'en' } }, method_parameters: { ef_search: 100 }, rescore: { oversample_factor: 1.5 }, expand_nested_docs: true, _name: 'n' }) },
    ],
    ['inside bool.must', { query: { bool: { must: [match, neural('emb', { model_id: 'm1' })] } } }, { query: { bool: { must: [match, knn('emb', 'hello', { k: 10 })] } } }],
    ['inside bool.filter given as one object', { query: { bool: { filter: neural('emb', { model_id: 'm1' }) } } }, { query: { bool: { filter: knn('emb', 'hello', { k: 10 }) } } }],
    [
      'two clauses inside bool.should',
      { query: { bool: { should: [neural('a', { model_id: 'm1' }), neural('b', { model_id: 'm1', query_text: 'world' })] } } },
      { query: { bool: { should: [knn('a', 'hello', { k: 10 }), knn('b', 'world', { k: 10 })] } } },
    ],
    [
      'inside nested',
      { query: { nested: { path: 'chunks', query: neural('chunks.emb', { model_id: 'm1' }) } } },
      { query: { nested: { path: 'chunks', query: knn('chunks.emb', 'hello', { k: 10 }) } } },
    ],
    ['inside constant_score', { query: { constant_score: { filter: neural('emb', { model_id: 'm1' }) } } }, { query: { constant_score: { filter: knn('emb', 'hello', { k: 10 }) } } }],
    ['inside dis_max', { query: { dis_max: { queries: [neural('emb', { model_id: 'm1' })] } } }, { query: { dis_max: { queries: [knn('emb', 'hello', { k: 10 })] } } }],
    ['inside boosting', { query: { boosting: { positive: neural('emb', { model_id: 'm1' }), negative: match, negative_boost: 0.2 } } }, { query: { boosting: { positive: knn('emb', 'hello', { k: 10 }), negative: match, negative_boost: 0.2 } } }],
    ['inside function_score', { query: { function_score: { query: neural('emb', { model_id: 'm1' }) } } }, { query: { function_score: { query: knn('emb', 'hello', { k: 10 }) } } }],
    ['inside hybrid', { query: { hybrid: { queries: [match, neural('emb', { model_id: 'm1' })] } } }, { query: { hybrid: { queries: [match, knn('emb', 'hello', { k: 10 })] } } }],
    ['in post_filter', { query: match, post_filter: neural('emb', { model_id: 'm1' }) }, { query: match, post_filter: knn('emb', 'hello', { k: 10 }) }],
    [
      'in a rescore query',
      { query: match, rescore: { window_size: 10, query: { rescore_query: neural('emb', { model_id: 'm1' }) } } },
      { query: match, rescore: { window_size: 10, query: { rescore_query: knn('emb', 'hello', { k: 10 }) } } },
    ],
  ])('should rewrite %s', async (_name, body, expected) => {
    const predictor = embeddingPredictor();
    await rewriteNeuralQueries(body, { predictor });
    expect(body).toEqual(expected);
  });

  it('should leave a body without neural clauses alone and call no model', async () => {
    const predictor = embeddingPredictor();
    const body = { query: { bool: { must: [match] } }, size: 3 };
    await rewriteNeuralQueries(body, { predictor });
    expect(body).toEqual({ query: { bool: { must: [match] } }, size: 3 });
    expect(predictor.calls).toEqual([]);
  });

  it.each<[string, string | undefined, Record<string, string> | undefined, string]>([
    ['the default model id', 'm-default', undefined, 'm-default'],
    ['the field default over the default', 'm-default', { emb: 'm-field' }, 'm-field'],
    ['the field default alone', undefined, { emb: 'm-field' }, 'm-field'],
    ['the default when only another field has one', 'm-default', { other: 'm-field' }, 'm-default'],
  ])('should use %s when the clause names no model', async (_name, defaultModelId, fieldModelIds, model) => {
    const predictor = embeddingPredictor();
    const body = { query: neural('emb', {}) };
    await rewriteNeuralQueries(body, { predictor, defaultModelId, fieldModelIds });
    expect(body).toEqual({ query: knn('emb', 'hello', { k: 10 }, model) });
    expect(predictor.calls.map((call) => call.modelId)).toEqual([model]);
  });

  it('should prefer the model id in the clause over every default', async () => {
    const predictor = embeddingPredictor();
    const body = { query: neural('emb', { model_id: 'm1' }) };
    await rewriteNeuralQueries(body, { predictor, defaultModelId: 'm-default', fieldModelIds: { emb: 'm-field' } });
    expect(predictor.calls.map((call) => call.modelId)).toEqual(['m1']);
  });

  it('should send the text as one text_docs predict, and an image after the text (null without text)', async () => {
    const predictor = embeddingPredictor();
    const body = { query: { bool: { should: [neural('a', { model_id: 'm1' }), { neural: { b: { query_image: 'aW1n', model_id: 'm1' } } }] } } };
    await rewriteNeuralQueries(body, { predictor });
    expect(predictor.calls.map((call) => call.input)).toEqual([
      { kind: 'text_docs', textDocs: ['hello'] },
      { kind: 'text_docs', textDocs: [null, 'aW1n'] },
    ]);
  });

  it('should embed the same text with the same model once, and different models separately', async () => {
    const predictor = embeddingPredictor();
    const body = {
      query: { bool: { should: [neural('a', { model_id: 'm1' }), neural('b', { model_id: 'm1' }), neural('c', { model_id: 'm2' })] } },
    };
    await rewriteNeuralQueries(body, { predictor });
    expect(predictor.calls.map((call) => call.modelId)).toEqual(['m1', 'm2']);
    expect(body.query.bool.should).toEqual([knn('a', 'hello', { k: 10 }), knn('b', 'hello', { k: 10 }), knn('c', 'hello', { k: 10 }, 'm2')]);
  });

  it('should run the embeddings of one body concurrently', async () => {
    const pending: Array<() => void> = [];
    const predictor = new FakePredictor(
      (_modelId, input) =>
        new Promise((resolve) => pending.push(() => resolve(embeddingAnswer(vectorFor(String(input.kind === 'text_docs' ? input.textDocs[0] : '')))))),
    );
    const body = { query: { bool: { should: [neural('a', { model_id: 'm1' }), neural('b', { model_id: 'm1', query_text: 'other' })] } } };
    const rewrite = rewriteNeuralQueries(body, { predictor });
    await new Promise((resolve) => setImmediate(resolve));
    expect(predictor.calls).toHaveLength(2);
    pending.forEach((release) => release());
    await rewrite;
    expect(body.query.bool.should[1]).toEqual({ knn: { b: { vector: vectorFor('other'), k: 10 } } });
  });

  it.each<[string, Json, string, string]>([
    ['two fields', { neural: { a: { query_text: 'x', model_id: 'm' }, b: { query_text: 'y' } } }, 'parsing_exception', "[neural] query doesn't support multiple fields, found [a] and [b]"],
    ['no field', { neural: {} }, 'illegal_argument_exception', 'Field name must be provided for neural query'],
    ['no query text', { neural: { a: { model_id: 'm' } } }, 'illegal_argument_exception', 'Either query text or image text must be provided for neural query'],
    ['a blank query text', { neural: { a: { query_text: '  ', model_id: 'm' } } }, 'illegal_argument_exception', 'Either query text or image text must be provided for neural query'],
    ['k and min_score', { neural: { a: { query_text: 'x', model_id: 'm', k: 3, min_score: 0.2 } } }, 'illegal_argument_exception', 'Only one of k, max_distance, or min_score can be provided'],
    ['min_score and max_distance', { neural: { a: { query_text: 'x', model_id: 'm', min_score: 0.2, max_distance: 1 } } }, 'illegal_argument_exception', 'Only one of k, max_distance, or min_score can be provided'],
    ['an unknown parameter', { neural: { a: { query_text: 'x', model_id: 'm', size: 3 } } }, 'parsing_exception', '[neural] query does not support [size]'],
    ['a list parameter', { neural: { a: { query_text: ['x'], model_id: 'm' } } }, 'parsing_exception', '[neural] unknown token [START_ARRAY] after [query_text]'],
    ['a decimal k', { neural: { a: { query_text: 'x', model_id: 'm', k: 2.5 } } }, 'illegal_argument_exception', 'Value [2.5] has a decimal part'],
    ['no model id and only another field default', { neural: { a: { query_text: 'x' } } }, 'illegal_argument_exception', 'model id must be provided in neural query or a default model id must be set in search request processor'],
  ])('should refuse %s with neural-search message, before any model call', async (_name, clause, type, reason) => {
    const predictor = embeddingPredictor();
    const body = { query: { bool: { must: [neural('ok', { model_id: 'm1' }), clause] } } };
    const before = structuredClone(body);
    await expect(rewriteNeuralQueries(body, { predictor, fieldModelIds: { other: 'm9' } })).rejects.toMatchObject({ status: 400, type, reason });
    expect(predictor.calls).toEqual([]);
    expect(body).toEqual(before);
  });

  it('should keep a model failure status and leave the body as it was', async () => {
    const body = { query: neural('emb', { model_id: 'm1' }) };
    await expect(rewriteNeuralQueries(body, { predictor: failingPredictor(429, 'Request is throttled at model level.') })).rejects.toMatchObject({
      status: 429,
      reason: 'Request is throttled at model level.',
    });
    expect(body).toEqual({ query: neural('emb', { model_id: 'm1' }) });
  });

  it('should refuse an answer without a vector as the knn query would', async () => {
    const predictor = new FakePredictor(() => ({ inference_results: [{ output: [{ name: 'response', dataAsMap: {} }], status_code: 200 }] }));
    await expect(rewriteNeuralQueries({ query: neural('emb', { model_id: 'm1' }) }, { predictor })).rejects.toMatchObject({ reason: '[knn] requires query vector' });
  });

  it('should read the defaults an enricher left in the attributes, and none otherwise', () => {
    expect(neuralDefaultsFrom(new Map())).toEqual({});
    const attributes = new Map<string, unknown>([[NEURAL_DEFAULTS_ATTRIBUTE, { defaultModelId: 'm', fieldModelIds: { a: 'n' } }]]);
    expect(neuralDefaultsFrom(attributes)).toEqual({ defaultModelId: 'm', fieldModelIds: { a: 'n' } });
  });
});
