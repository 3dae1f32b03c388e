import { describe, expect, it } from 'vitest';
import { rewriteNeuralSparseQueries } from '../../../src/processors/search/index.js';
import { dataAsMapAnswer, FakePredictor } from './helpers.js';

type Json = Record<string, unknown>;

/** A sparse model answering `{"response": [{<word>: <word length / 2>}]}` per text. */
const sparsePredictor = () =>
  new FakePredictor((_modelId, input) => {
    if (input.kind !== 'text_docs') throw new Error(`unexpected ${input.kind} input`);
    return dataAsMapAnswer({ response: input.textDocs.map((text) => Object.fromEntries(String(text).split(' ').map((word) => [word, word.length / 2]))) });
  });

const feature = (field: string, token: string, weight: number) => ({ rank_feature: { field: `${field}.${token}`, linear: {}, boost: weight } });

async function rewrite(body: Json, options: Json = {}, predictor = sparsePredictor()): Promise<Json> {
  await rewriteNeuralSparseQueries(body, { predictor, ...options });
  return body;
}

describe('neural_sparse rewrite', () => {
  it('should encode query_text with the model and score the tokens with linear rank_feature clauses', async () => {
    const predictor = sparsePredictor();
    const body = await rewrite({ query: { neural_sparse: { emb: { query_text: 'hi there', model_id: 'm' } } } }, {}, predictor);
    expect(body).toEqual({ query: { bool: { should: [feature('emb', 'hi', 1), feature('emb', 'there', 2.5)] } } });
    expect(predictor.calls).toEqual([{ modelId: 'm', input: { kind: 'text_docs', textDocs: ['hi there'] } }]);
  });

  it('should take query_tokens as they are, keep the boost and name, and encode each text once', async () => {
    const predictor = sparsePredictor();
    const clause = (extra: Json) => ({ neural_sparse: { emb: { query_text: 'same', model_id: 'm', ...extra } } });
    const body = await rewrite(
      { query: { bool: { should: [clause({}), clause({ boost: 3 }), { neural_sparse: { emb: { query_tokens: { a: 0.5 }, _name: 'tokens' } } }] } } },
      {},
      predictor,
    );
    expect(body).toEqual({
      query: {
        bool: {
          should: [
            { bool: { should: [feature('emb', 'same', 2)] } },
            { bool: { should: [feature('emb', 'same', 2)], boost: 3 } },
            { bool: { should: [feature('emb', 'a', 0.5)], _name: 'tokens' } },
          ],
        },
      },
    });
    expect(predictor.calls).toHaveLength(1);
  });

  it('should use the field default, then the default model id', async () => {
    const predictor = sparsePredictor();
    await rewrite(
      { query: { bool: { must: [{ neural_sparse: { a: { query_text: 'x' } } }, { neural_sparse: { b: { query_text: 'y' } } }] } } },
      { defaultModelId: 'd', fieldModelIds: { a: 'fa' } },
      predictor,
    );
    expect(predictor.calls.map((call) => call.modelId)).toEqual(['fa', 'd']);
  });

  it('should match nothing for no usable token and skip dotted tokens (no rank_features field has them)', async () => {
    expect(await rewrite({ query: { neural_sparse: { emb: { query_tokens: {} } } } })).toEqual({ query: { match_none: {} } });
    expect(await rewrite({ query: { neural_sparse: { emb: { query_tokens: { '.': 1, ok: 2 } } } } })).toEqual({
      query: { bool: { should: [feature('emb', 'ok', 2)] } },
    });
  });

  it('should split eligible clauses in two phases, the light tokens in a rescore over the window', async () => {
    const twoPhase = { prune: { type: 'max_ratio' as const, ratio: Math.fround(0.5) }, windowSize: 50 };
    const tokens = { big: 4, mid: 2, small: 1 };
    const body = await rewrite(
      {
        query: { bool: { boost: 2, should: [{ neural_sparse: { emb: { query_tokens: tokens, boost: 3 } } }], must: [{ neural_sparse: { emb: { query_tokens: tokens } } }] } },
        rescore: { query: { rescore_query: { match_all: {} }, query_weight: 0.5 } },
      },
      { twoPhase },
    );
    expect(body).toEqual({
      query: {
        bool: {
          boost: 2,
          // max_ratio 0.5 keeps weights ≥ 2; the clause outside bool.should is not split.
          should: [{ bool: { should: [feature('emb', 'big', 4), feature('emb', 'mid', 2)], boost: 3 } }],
          must: [{ bool: { should: [feature('emb', 'big', 4), feature('emb', 'mid', 2), feature('emb', 'small', 1)] } }],
        },
      },
      rescore: [
        { query: { rescore_query: { match_all: {} }, query_weight: 0.5 } },
        // The split clause's boost times its bools' (2 × 3), weighted by the earlier rescores' query weights.
        { window_size: 50, query: { rescore_query: { bool: { should: [{ bool: { should: [feature('emb', 'small', 1)], boost: 6 } }], boost: 0.5 } } } },
      ],
    });
  });

  it.each<[string, Json, string]>([
    ['a clause without model id or tokens', { emb: { query_text: 'q' } }, '[neural_sparse] query on [emb] needs a model_id (or a neural_query_enricher default) or query_tokens'],
    ['two fields', { a: { query_text: 'q' }, b: {} }, "[neural_sparse] query doesn't support multiple fields, found [a] and [b]"],
    ['an empty text', { emb: { query_text: '', model_id: 'm' } }, 'query_text field can not be empty'],
    ['a model and an analyzer', { emb: { query_text: 'q', model_id: 'm', analyzer: 'standard' } }, 'Cannot use both [model_id: m] and [analyzer: standard] for neural sparse query tokenization.'],
    ['an analyzer (it runs in the cluster only)', { emb: { query_text: 'q', analyzer: 'standard' } }, '[neural_sparse] analyzer [standard] cannot run outside the cluster'],
    ['a weight of 0', { emb: { query_tokens: { a: 0 } } }, 'weight must be in (0, 64.0], got: 0.0'],
    ['an object parameter', { emb: { query_text: 'q', filter: {} } }, '[neural_sparse] unknown token [START_OBJECT] after [filter]'],
  ])('should refuse %s', async (_name, value, reason) => {
    await expect(rewrite({ query: { neural_sparse: value } })).rejects.toMatchObject({ status: 400, reason: expect.stringContaining(reason) });
  });
});
