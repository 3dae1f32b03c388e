import { describe, expect, it } from 'vitest';
import { neuralQueryEnricherProcessor } from '../../../src/processors/search/neural-query-enricher.js';
import { NEURAL_DEFAULTS_ATTRIBUTE, neuralDefaultsFrom, rewriteNeuralQueries } from '../../../src/processors/search/index.js';
import { build, embeddingPredictor, requestContext, vectorFor } from './helpers.js';

type Json = Record<string, unknown>;

const enricher = (options: Json) => build(neuralQueryEnricherProcessor, options);
const neural = (field: string, parameters: Json = {}) => ({ neural: { [field]: { query_text: 'q', ...parameters } } });

describe('neural_query_enricher', () => {
  it.each<[string, Json, Json, Json]>([
    ['the default model id', { default_model_id: 'd' }, { query: neural('emb') }, { query: neural('emb', { model_id: 'd' }) }],
    ['the field default', { default_model_id: 'd', neural_field_default_id: { emb: 'f' } }, { query: neural('emb') }, { query: neural('emb', { model_id: 'f' }) }],
    ['the default for a field without its own', { default_model_id: 'd', neural_field_default_id: { other: 'f' } }, { query: neural('emb') }, { query: neural('emb', { model_id: 'd' }) }],
    ['nothing over an explicit model id', { default_model_id: 'd' }, { query: neural('emb', { model_id: 'mine' }) }, { query: neural('emb', { model_id: 'mine' }) }],
    [
      'every clause of a bool and a hybrid',
      { neural_field_default_id: { a: 'fa', b: 'fb' } },
      { query: { hybrid: { queries: [{ bool: { should: [neural('a'), neural('b')] } }, neural('a')] } } },
      { query: { hybrid: { queries: [{ bool: { should: [neural('a', { model_id: 'fa' }), neural('b', { model_id: 'fb' })] } }, neural('a', { model_id: 'fa' })] } } },
    ],
    [
      'neural_sparse clauses too',
      { default_model_id: 'd' },
      { query: { neural_sparse: { text_sparse: { query_text: 'q' } } } },
      { query: { neural_sparse: { text_sparse: { query_text: 'q', model_id: 'd' } } } },
    ],
  ])('should give %s', async (_name, options, body, expected) => {
    const context = requestContext(body);
    await enricher(options).processRequest(context);
    expect(context.body).toEqual(expected);
  });

  it('should refuse a clause it has no model id for, as neural-search does', async () => {
    const context = requestContext({ query: neural('emb') });
    await expect(enricher({ neural_field_default_id: { other: 'f' } }).processRequest(context)).rejects.toMatchObject({
      status: 400,
      type: 'illegal_argument_exception',
      reason: 'model id must be provided in neural query or a default model id must be set in search request processor',
    });
  });

  it('should leave its defaults for the final rewrite, which then covers clauses added later', async () => {
    const context = requestContext({ query: { match_all: {} } });
    await enricher({ default_model_id: 'd', neural_field_default_id: { emb: 'f' } }).processRequest(context);
    expect(context.attributes.get(NEURAL_DEFAULTS_ATTRIBUTE)).toEqual({ defaultModelId: 'd', fieldModelIds: { emb: 'f' } });
    // A later processor (e.g. ml_inference with a query_template) adds a neural clause without a model id.
    context.body = { query: { bool: { must: [neural('emb'), neural('other')] } } };
    const predictor = embeddingPredictor();
    await rewriteNeuralQueries(context.body, { predictor, ...neuralDefaultsFrom(context.attributes) });
    expect(context.body).toEqual({
      query: { bool: { must: [{ knn: { emb: { vector: vectorFor('f:q'), k: 10 } } }, { knn: { other: { vector: vectorFor('d:q'), k: 10 } } }] } },
    });
  });

  it('should let a second enricher refine the first one field by field', async () => {
    const context = requestContext({ query: { match_all: {} } });
    await enricher({ default_model_id: 'd1', neural_field_default_id: { a: 'fa' } }).processRequest(context);
    await enricher({ neural_field_default_id: { b: 'fb' } }).processRequest(context);
    expect(neuralDefaultsFrom(context.attributes)).toEqual({ defaultModelId: 'd1', fieldModelIds: { a: 'fa', b: 'fb' } });
  });

  it.each<[string, Json, Json]>([
    ['neither option', {}, { type: 'illegal_argument_exception', reason: 'model Id or neural info map either of them should be provided' }],
    ['a non-string default', { default_model_id: 3 }, { type: 'parse_exception', reason: "[default_model_id] property isn't a string, but of type [java.lang.Integer]" }],
    ['a list of field defaults', { neural_field_default_id: ['a'] }, { type: 'parse_exception', reason: "[neural_field_default_id] property isn't a map, but of type [java.util.ArrayList]" }],
    ['an unknown option', { default_model_id: 'd', model_id: 'x' }, { type: 'parse_exception', reason: "processor [neural_query_enricher] doesn't support one or more provided configuration parameters: [model_id]" }],
  ])('should refuse %s', (_name, options, error) => {
    expect(() => enricher(options)).toThrow(expect.objectContaining({ status: 400, ...error }));
  });
});
