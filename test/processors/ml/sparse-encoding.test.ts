import { describe, expect, it } from 'vitest';
import type { ModelTensors } from '../../../src/connectors/invoke/invoke-connector.js';
import { sparseEncodingProcessor } from '../../../src/processors/ml/sparse-encoding.js';
import type { ModelPredictor } from '../../../src/processors/processor-definition.js';
import {
  buildProcessor,
  caught,
  FakePredictor,
  makeDocument,
  weightsFor,
} from './fake-predictor.js';

/** A predictor that answers every call with the same token→weight map per text. */
const fixedWeights = (weights: Record<string, unknown>): ModelPredictor => ({
  predict: async (_modelId, input) => ({
    inference_results: [
      {
        output: [
          {
            name: 'response',
            dataAsMap: {
              response: (input.kind === 'text_docs' ? input.textDocs : []).map(() => weights),
            },
          },
        ],
        status_code: 200,
      },
    ],
  }),
  isCircuitOpen: async () => false,
});

const answering = (results: ModelTensors[]): ModelPredictor => ({
  predict: async () => ({ inference_results: results }),
  isCircuitOpen: async () => false,
});

describe('sparse_encoding options', () => {
  it.each([
    [
      'prune_ratio without prune_type',
      { prune_ratio: 0.1 },
      'illegal_argument_exception',
      'prune_ratio field is not supported when prune_type is not provided',
    ],
    [
      'prune_ratio with prune_type none',
      { prune_type: 'none', prune_ratio: 0.1 },
      'illegal_argument_exception',
      'prune_ratio field is not supported when prune_type is not provided',
    ],
    [
      'an unknown prune_type',
      { prune_type: 'random' },
      'illegal_argument_exception',
      'Unknown prune type: random',
    ],
    [
      'a prune_type without ratio',
      { prune_type: 'top_k' },
      'parse_exception',
      '[prune_ratio] required property is missing',
    ],
    [
      'a fractional top_k',
      { prune_type: 'top_k', prune_ratio: 2.5 },
      'illegal_argument_exception',
      'Illegal prune_ratio 2.500000 for prune_type: top_k. prune_ratio should be positive integer.',
    ],
    [
      'a zero top_k',
      { prune_type: 'top_k', prune_ratio: 0 },
      'illegal_argument_exception',
      'Illegal prune_ratio 0.000000 for prune_type: top_k. prune_ratio should be positive integer.',
    ],
    [
      'max_ratio of 1',
      { prune_type: 'max_ratio', prune_ratio: 1 },
      'illegal_argument_exception',
      'Illegal prune_ratio 1.000000 for prune_type: max_ratio. prune_ratio should be in the range [0, 1).',
    ],
    [
      'a negative alpha_mass',
      { prune_type: 'alpha_mass', prune_ratio: -0.1 },
      'illegal_argument_exception',
      'Illegal prune_ratio -0.100000 for prune_type: alpha_mass. prune_ratio should be in the range [0, 1).',
    ],
    [
      'a negative abs_value',
      { prune_type: 'abs_value', prune_ratio: -1 },
      'illegal_argument_exception',
      'Illegal prune_ratio -1.000000 for prune_type: abs_value. prune_ratio should be non-negative.',
    ],
    [
      'a text prune_ratio',
      { prune_type: 'abs_value', prune_ratio: 'high' },
      'parse_exception',
      "[prune_ratio] property isn't a number, but of type [java.lang.String]",
    ],
  ])('refuses %s', async (_case, options, type, reason) => {
    const error = await caught(() =>
      buildProcessor(sparseEncodingProcessor, { model_id: 'm', field_map: { t: 'e' }, ...options }),
    );
    expect(error.type).toBe(type);
    expect(error.reason).toBe(reason);
  });

  it.each([
    ['no prune options', {}],
    ['prune_type none', { prune_type: 'none' }],
    ['top_k 3', { prune_type: 'top_k', prune_ratio: 3 }],
    ['abs_value 0', { prune_type: 'abs_value', prune_ratio: 0 }],
  ])('accepts %s', (_case, options) => {
    expect(
      buildProcessor(sparseEncodingProcessor, { model_id: 'm', field_map: { t: 'e' }, ...options })
        .type,
    ).toBe('sparse_encoding');
  });
});

describe('sparse_encoding output', () => {
  it.each([
    ['{"response": [maps]} in one tensor', 'sparse' as const],
    ['one map per tensor', 'sparse_per_text' as const],
  ])('reads token weights from %s', async (_case, output) => {
    const predictor = new FakePredictor({ output });
    const document = makeDocument({ title: 'Hello World', chunks: ['one two', 'three'] });
    await buildProcessor(
      sparseEncodingProcessor,
      { model_id: 'm', field_map: { title: 'title_sparse', chunks: 'chunk_sparse' } },
      predictor,
    ).execute(document);
    expect(document.getField('title_sparse')).toEqual({ hello: 0.5, world: 0.5 });
    expect(document.getField('chunk_sparse')).toEqual([
      { sparse_encoding: weightsFor('one two') },
      { sparse_encoding: weightsFor('three') },
    ]);
    expect(predictor.textCalls).toEqual([['Hello World', 'one two', 'three']]);
  });

  const weights = { a: 0.9, b: 0.5, c: 0.3, d: 0.1 };
  it.each([
    ['none', {}, weights],
    ['top_k 2', { prune_type: 'top_k', prune_ratio: 2 }, { a: 0.9, b: 0.5 }],
    ['max_ratio 0.5', { prune_type: 'max_ratio', prune_ratio: 0.5 }, { a: 0.9, b: 0.5 }],
    ['abs_value 0.3', { prune_type: 'abs_value', prune_ratio: 0.3 }, { a: 0.9, b: 0.5, c: 0.3 }],
    // Total 1.8; running sums 0.9, 1.4, 1.7, 1.8 against 0.8 · 1.8 = 1.44.
    ['alpha_mass 0.8', { prune_type: 'alpha_mass', prune_ratio: 0.8 }, { a: 0.9, b: 0.5 }],
  ])('prunes with %s', async (_case, options, expected) => {
    const document = makeDocument({ t: 'text' });
    await buildProcessor(
      sparseEncodingProcessor,
      { model_id: 'm', field_map: { t: 'e' }, ...options },
      fixedWeights(weights),
    ).execute(document);
    expect(document.getField('e')).toEqual(expected);
  });

  it.each([
    ['a zero weight', fixedWeights({ a: 0 }), 'Pruned values must be positive'],
    [
      'a text weight',
      fixedWeights({ a: 'high' }),
      'The model token-weight map must have String keys and numeric values.',
    ],
    [
      'a response that is not a list',
      answering([{ output: [{ dataAsMap: { response: 'text' } }], status_code: 200 }]),
      "The model 'response' field must be a list of token-weight maps, but got: String.",
    ],
    [
      'a tensor without dataAsMap',
      answering([{ output: [{ data: [1, 2] }], status_code: 200 }]),
      "The model response is missing the required 'response' key.",
    ],
    ['no tensors', answering([]), 'The inference result can not be null or empty.'],
  ])('refuses an answer with %s', async (_case, predictor, reason) => {
    const document = makeDocument({ t: 'text' });
    const error = await caught(() =>
      buildProcessor(
        sparseEncodingProcessor,
        { model_id: 'm', field_map: { t: 'e' } },
        predictor,
      ).execute(document),
    );
    expect(error.reason.startsWith(reason)).toBe(true);
    expect(document.hasField('e')).toBe(false);
  });

  it('batches documents by batch_size and fails only the bad one', async () => {
    const predictor = new FakePredictor({ output: 'sparse', failMarker: 'BAD', failStatus: 422 });
    const batch = Array.from({ length: 9 }, (_, index) =>
      makeDocument({ t: index === 4 ? 'BAD text' : `word${index}` }, String(index)),
    );
    const outcomes = await buildProcessor(
      sparseEncodingProcessor,
      { model_id: 'm', field_map: { t: 'e' }, batch_size: 3 },
      predictor,
    ).executeBatch!(batch);
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'ok',
      'ok',
      'ok',
      'ok',
      'failed',
      'ok',
      'ok',
      'ok',
      'ok',
    ]);
    expect(batch[5]!.getField('e')).toEqual({ word5: 0.5 });
    // Three sub-batches; the failing one is split once (2 calls), then its bad half once more (2 calls).
    expect(predictor.calls).toHaveLength(7);
  });

  it('bounds every provider call by the batch_size the user sets, and only then', async () => {
    const run = async (options: object) => {
      const predictor = new FakePredictor({ output: 'sparse' });
      const batch = Array.from({ length: 5 }, (_, index) => makeDocument({ t: `word${index}` }, String(index)));
      await buildProcessor(sparseEncodingProcessor, { model_id: 'm', field_map: { t: 'e' }, ...options }, predictor).executeBatch!(batch);
      return predictor.textBounds;
    };
    expect(await run({ batch_size: 2 })).toEqual([2, 2, 2]);
    expect(await run({})).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});
