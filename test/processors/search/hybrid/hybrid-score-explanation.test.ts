import { describe, expect, it } from 'vitest';
import { HYBRID_EXPLANATION_ATTRIBUTE, hybridHitKey, type HybridExplanation } from '../../../../src/processors/search/index.js';
import { hybridScoreExplanationProcessor } from '../../../../src/processors/search/hybrid/hybrid-score-explanation.js';
import { build, hitsOf, responseContext, searchResponse } from '../helpers.js';

const processor = () => build(hybridScoreExplanationProcessor, {});

const explanation: HybridExplanation = {
  description: 'arithmetic_mean combination of:',
  details: [{ value: 1, description: 'min_max normalization of:', details: [{ value: 3, description: 'raw', details: [] }] }],
};

describe('hybrid_score_explanation', () => {
  it("should replace the explained hits' explanation with their hybrid scoring, keyed by index and id", async () => {
    const context = responseContext({}, searchResponse([
      { _index: 'a', _id: '1', _score: 0.5, _explanation: { value: 3, description: 'combined score of:', details: [] } },
      { _index: 'b', _id: '1', _score: 0.25, _explanation: { value: 1, description: 'combined score of:', details: [] } },
    ]));
    context.request.attributes.set(HYBRID_EXPLANATION_ATTRIBUTE, new Map([[hybridHitKey('a', '1'), explanation]]));
    await processor().processResponse(context);
    const [first, second] = hitsOf(context.response);
    expect(first!['_explanation']).toEqual({ value: 0.5, ...explanation });
    expect(second!['_explanation']).toEqual({ value: 1, description: 'combined score of:', details: [] });
  });

  it('should leave a response without hybrid scoring (or hits without explanation) as it is', async () => {
    const response = searchResponse([{ _index: 'a', _id: '1', _score: 0.5 }]);
    const context = responseContext({}, response);
    await processor().processResponse(context);
    expect(context.response).toEqual(response);
    context.request.attributes.set(HYBRID_EXPLANATION_ATTRIBUTE, new Map([[hybridHitKey('a', '1'), explanation]]));
    await processor().processResponse(context);
    expect(context.response).toEqual(response);
  });

  it('should take no option', () => {
    expect(() => build(hybridScoreExplanationProcessor, { verbose: true })).toThrow(
      "processor [hybrid_score_explanation] doesn't support one or more provided configuration parameters: [verbose]",
    );
  });
});
