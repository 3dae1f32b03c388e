import { describe, expect, it } from 'vitest';
import { scoreRankerProcessor } from '../../../../src/processors/search/hybrid/score-ranker-processor.js';
import { build } from '../helpers.js';

type Json = Record<string, unknown>;

const processor = (options: Json) => build(scoreRankerProcessor, options);

describe('score-ranker-processor', () => {
  it('should rank by rrf with rank constant 60 by default', () => {
    const { scoring } = processor({});
    expect([scoring.normalization.describe(), scoring.combination.describe()]).toEqual(['rrf, rank_constant [60]', 'rrf']);
    const [ranks] = scoring.normalization.normalize([[0.9, 0.8, 0.1]]);
    expect(ranks).toEqual([1 / 61, 1 / 62, 1 / 63].map((rank) => Math.fround(Number(rank.toFixed(10)))));
    expect(scoring.combination.combine([1 / 61, 0])).toBeCloseTo(1 / 61, 7);
  });

  it('should take the rank constant and weights of its combination', () => {
    const { scoring } = processor({ combination: { technique: 'rrf', rank_constant: 1, parameters: { weights: [0.3, 0.7] } }, 'sub-query-scores': true });
    expect(scoring.normalization.normalize([[5, 4]])).toEqual([[0.5, Math.fround(0.3333333333)]]);
    // 0.3 × 1/2 + 0.7 × 1/3.
    expect(scoring.combination.combine([0.5, 1 / 3])).toBeCloseTo(0.15 + 0.7 / 3, 6);
    expect(scoring.subQueryScores).toBe(true);
  });

  it.each<[string, Json, string]>([
    ['a rank constant out of range', { combination: { rank_constant: 10_001 } }, 'rank constant must be in the interval between 1 and 10000, submitted rank constant: 10001'],
    ['a rank constant that is not an integer', { combination: { rank_constant: 'sixty' } }, 'parameter [rank_constant] must be an integer'],
    ['weights not summing to 1', { combination: { parameters: { weights: [0.5, 0.6] } } }, 'sum of weights for combination must be equal to 1.0, submitted weights: [0.5, 0.6]'],
    ['an unknown combination', { combination: { technique: 'borda' } }, 'provided combination technique is not supported'],
  ])('should refuse %s with neural-search\'s message', (_name, options, reason) => {
    expect(() => processor(options)).toThrow(expect.objectContaining({ status: 400, reason }));
  });

  it('should refuse an unknown key in its combination', () => {
    expect(() => processor({ combination: { rank: 3 } })).toThrow(expect.objectContaining({ status: 400, reason: "[combination] doesn't support the parameter [rank]" }));
  });
});
