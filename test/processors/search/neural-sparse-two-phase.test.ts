import { describe, expect, it } from 'vitest';
import { NEURAL_SPARSE_TWO_PHASE_ATTRIBUTE, neuralSparseTwoPhaseProcessor } from '../../../src/processors/search/neural-sparse-two-phase.js';
import { build, requestContext } from './helpers.js';

type Json = Record<string, unknown>;

const processor = (options: Json) => build(neuralSparseTwoPhaseProcessor, options);

describe('neural_sparse_two_phase_processor', () => {
  it('should leave max_ratio 0.4 and a window of 5 × size for the rewrite', async () => {
    const context = requestContext({ query: { match_all: {} }, size: 4 });
    await processor({}).processRequest(context);
    expect(context.attributes.get(NEURAL_SPARSE_TWO_PHASE_ATTRIBUTE)).toEqual({ prune: { type: 'max_ratio', ratio: Math.fround(0.4) }, windowSize: 20 });
    const unsized = requestContext({});
    await processor({ two_phase_parameter: { prune_type: 'top_k', prune_ratio: 3, expansion_rate: 2.5 } }).processRequest(unsized);
    expect(unsized.attributes.get(NEURAL_SPARSE_TWO_PHASE_ATTRIBUTE)).toEqual({ prune: { type: 'top_k', ratio: 3 }, windowSize: 25 });
  });

  it('should do nothing when disabled or with a prune ratio of 0', async () => {
    for (const options of [{ enabled: false }, { two_phase_parameter: { prune_ratio: 0 } }]) {
      const context = requestContext({});
      await processor(options).processRequest(context);
      expect(context.attributes.has(NEURAL_SPARSE_TWO_PHASE_ATTRIBUTE)).toBe(false);
    }
  });

  it('should refuse a window beyond max_window_size when the search runs', async () => {
    await expect(processor({ two_phase_parameter: { max_window_size: 100 } }).processRequest(requestContext({ size: 30 }))).rejects.toMatchObject({
      status: 400,
      reason: 'The two-phase window size of neural_sparse_two_phase_processor should be [0,100], but get the value of 150',
    });
  });

  it.each<[string, Json, string]>([
    ['an expansion rate below 1', { two_phase_parameter: { expansion_rate: 0.5 } }, 'The two_phase_parameter.expansion_rate must >= 1.0. Received: 0.500000'],
    ['a window below 50', { two_phase_parameter: { max_window_size: 10 } }, 'The two_phase_parameter.max_window_size must >= 50. Received: \n10'],
    ['a ratio outside the prune type', { two_phase_parameter: { prune_type: 'max_ratio', prune_ratio: 1.5 } }, 'Illegal prune_ratio 1.500000 for prune_type: max_ratio. prune_ratio should be in the range [0, 1).'],
    ['an unknown prune type', { two_phase_parameter: { prune_type: 'random' } }, 'Unknown prune type: random'],
    ['an unknown parameter', { two_phase_parameter: { window: 3 } }, "[two_phase_parameter] doesn't support the parameter [window]"],
  ])('should refuse %s', (_name, options, reason) => {
    expect(() => processor(options)).toThrow(expect.objectContaining({ status: 400, reason }));
  });
});
