import { describe, expect, it } from 'vitest';
import { normalizationProcessor } from '../../../../src/processors/search/hybrid/normalization-processor.js';
import { createCombination } from '../../../../src/processors/search/hybrid/score-combinations.js';
import { createNormalization } from '../../../../src/processors/search/hybrid/score-normalization.js';
import { build } from '../helpers.js';

type Json = Record<string, unknown>;

const normalize = (technique: string, parameters: Json | undefined, lists: number[][]) => createNormalization(technique, parameters).normalize(lists);
const combine = (technique: string, parameters: Json | undefined, scores: number[]) => createCombination(technique, parameters).combine(scores);

function expectClose(actual: number[][], expected: number[][]): void {
  expect(actual.map((list) => list.length)).toEqual(expected.map((list) => list.length));
  actual.forEach((list, i) => list.forEach((score, j) => expect(score).toBeCloseTo(expected[i]![j]!, 6)));
}

describe('normalization techniques', () => {
  it.each<[string, Json | undefined, number[][], number[][]]>([
    // (s − min) / (max − min) per sub-query; the lowest (an exact 0) becomes 0.001.
    ['min_max', undefined, [[4, 3, 2, 1], [0.9, 0.5, 0.1]], [[1, 2 / 3, 1 / 3, 0.001], [1, 0.5, 0.001]]],
    // A sub-query with one result, or with equal results, gives 1.0.
    ['min_max', undefined, [[7], [2, 2]], [[1], [1, 1]]],
    // lower bound `apply` (the default mode) at 2: scores above it use it as the minimum.
    ['min_max', { lower_bounds: [{ min_score: 2 }] }, [[4, 3, 2, 1]], [[1, 0.5, 1 / 3, 0.001]]],
    // `clip`: scores below the bound become 0.001, the bound is the minimum.
    ['min_max', { lower_bounds: [{ mode: 'clip', min_score: 2 }] }, [[4, 3, 2, 1]], [[1, 0.5, 0.001, 0.001]]],
    ['min_max', { lower_bounds: [{ mode: 'ignore', min_score: 2 }] }, [[4, 3, 2, 1]], [[1, 2 / 3, 1 / 3, 0.001]]],
    // upper bound `apply` at 3: scores below it use it as the maximum.
    ['min_max', { upper_bounds: [{ max_score: 3 }] }, [[4, 3, 2, 1]], [[1, 2 / 3, 0.5, 0.001]]],
    // `clip`: scores above the bound become 1.0, the bound is the maximum.
    ['min_max', { upper_bounds: [{ mode: 'clip', max_score: 3 }] }, [[4, 3, 2, 1]], [[1, 1, 0.5, 0.001]]],
    // s / √(Σ s²); a zero norm gives 0.
    ['l2', undefined, [[3, 4], [0, 0]], [[0.6, 0.8], [0, 0]]],
    // (s − mean) / sample deviation (mean 2.5, deviation √(5/3)); ≤ 0 → 0.001.
    ['z_score', undefined, [[4, 3, 2, 1]], [[1.5 / Math.sqrt(5 / 3), 0.5 / Math.sqrt(5 / 3), 0.001, 0.001]]],
    // A score equal to the mean takes the sub-query's highest score (neural-search's edge case).
    ['z_score', undefined, [[0.9, 0.5, 0.1], [5]], [[1, 0.9, 0.001], [5]]],
    // 1 / (rank_constant + rank), rank from 1.
    ['rrf', undefined, [[9, 8, 7], [1]], [[1 / 61, 1 / 62, 1 / 63], [1 / 61]]],
    ['rrf', { rank_constant: 1 }, [[9, 8]], [[0.5, 1 / 3]]],
    ['rrf', { rank_constant: '10' }, [[9]], [[1 / 11]]],
  ])('%s %j', (technique, parameters, lists, expected) => {
    expectClose(normalize(technique, parameters, lists), expected);
  });

  it('should round reciprocal ranks half-up to 10 decimals, as float32', () => {
    // 1/3 rounds to 0.3333333333, whose float32 prints 0.33333334.
    expect(normalize('rrf', { rank_constant: 2 }, [[1]])).toEqual([[Math.fround(0.3333333333)]]);
  });

  it('should describe itself for explanations', () => {
    expect(createNormalization('min_max', undefined).describe()).toBe('min_max');
    expect(createNormalization('min_max', { lower_bounds: [{ mode: 'clip', min_score: 0.5 }, {}], upper_bounds: [{ max_score: 0.9 }, {}] }).describe()).toBe(
      'min_max, lower bounds [(clip, 0.5), (apply, 0.0)], upper bounds [(apply, 0.9), (apply, 1.0)]',
    );
    expect(createNormalization('rrf', { rank_constant: 5 }).describe()).toBe('rrf, rank_constant [5]');
  });

  it('should refuse bounds that do not number the sub-queries when it runs', () => {
    expect(() => normalize('min_max', { lower_bounds: [{}, {}] }, [[1, 2]])).toThrow(
      'expected bounds array to contain 1 elements matching the number of sub-queries, but found a mismatch',
    );
  });

  it.each<[string, string, Json, string]>([
    ['an unknown technique', 'max', {}, 'provided normalization technique is not supported'],
    ['an unknown parameter', 'min_max', { colour: 1 }, 'unrecognized parameters in normalization technique'],
    ['a parameter of l2', 'l2', { lower_bounds: [] }, 'unrecognized parameters in normalization technique'],
    ['bounds that are not a list', 'min_max', { lower_bounds: 'x' }, 'unrecognized parameters in normalization technique'],
    ['an unknown key in a bound', 'min_max', { lower_bounds: [{ max_score: 1 }] }, 'unrecognized parameters in normalization technique'],
    ['six bounds', 'min_max', { lower_bounds: [{}, {}, {}, {}, {}, {}] }, 'lower_bounds size 6 should be less than or equal to 5'],
    ['an unknown mode', 'min_max', { upper_bounds: [{ mode: 'soft' }] }, 'invalid mode: soft, valid values are: apply, clip, ignore'],
    ['a bound out of range', 'min_max', { lower_bounds: [{ min_score: 10_001 }] }, 'min_score must be a valid finite number between -10000.000000 and 10000.000000'],
    ['a bound that is not a number', 'min_max', { upper_bounds: [{ max_score: 'high' }] }, 'invalid format for max_score: must be a valid float value'],
    ['a decimal rank constant', 'rrf', { rank_constant: 2.5 }, 'parameter [rank_constant] must be an integer'],
    ['a rank constant out of range', 'rrf', { rank_constant: 0 }, 'rank constant must be in the interval between 1 and 10000, submitted rank constant: 0'],
  ])('should refuse %s with neural-search\'s message', (_name, technique, parameters, message) => {
    expect(() => createNormalization(technique, parameters)).toThrow(expect.objectContaining({ status: 400, type: 'illegal_argument_exception', reason: message }));
  });
});

describe('combination techniques', () => {
  it.each<[string, Json | undefined, number[], number]>([
    // Σ wᵢsᵢ / Σ wᵢ over every sub-query: a 0 (missing) counts.
    ['arithmetic_mean', undefined, [0.5, 0], 0.25],
    ['arithmetic_mean', { weights: [0.3, 0.7] }, [1, 0.5], 0.65],
    // exp(Σ wᵢ ln sᵢ / Σ wᵢ) over positive scores only: a 0 is skipped.
    ['geometric_mean', undefined, [0.25, 1], 0.5],
    ['geometric_mean', undefined, [0.25, 0], 0.25],
    ['geometric_mean', { weights: [0.5, 0.5] }, [0, 0], 0],
    // Σ wᵢ / Σ (wᵢ / sᵢ) over positive scores only.
    ['harmonic_mean', undefined, [0.5, 1], 2 / 3],
    ['harmonic_mean', { weights: [0.2, 0.8] }, [0.5, 0], 0.5],
    // Reciprocal ranks add up, weighted, not divided.
    ['rrf', undefined, [1 / 61, 1 / 62], 1 / 61 + 1 / 62],
    ['rrf', { weights: [0.3, 0.7] }, [0.5, 0.25], 0.325],
  ])('%s %j of %j', (technique, parameters, scores, expected) => {
    expect(combine(technique, parameters, scores)).toBeCloseTo(expected, 6);
  });

  it('should describe itself with its weights, except rrf', () => {
    expect(createCombination('harmonic_mean', { weights: [0.25, 0.75] }).describe()).toBe('harmonic_mean, weights [0.25, 0.75]');
    expect(createCombination('arithmetic_mean', { weights: [1] }).describe()).toBe('arithmetic_mean, weights [1.0]');
    expect(createCombination('rrf', { weights: [0.5, 0.5] }).describe()).toBe('rrf');
  });

  it.each<[string, string, Json | undefined, string]>([
    ['an unknown technique', 'average', undefined, 'provided combination technique is not supported'],
    ['an unknown parameter', 'arithmetic_mean', { weight: [1] }, 'provided parameter for combination technique is not supported. supported parameters are [weights]'],
    ['weights that are not a list', 'geometric_mean', { weights: 0.5 }, 'parameter [weights] must be a collection of numbers'],
    ['a weight out of range', 'arithmetic_mean', { weights: [1.5, -0.5] }, 'all weights must be in range [0.0 ... 1.0], submitted weights: [1.5, -0.5]'],
    ['weights not summing to 1', 'harmonic_mean', { weights: [0.3, 0.3] }, 'sum of weights for combination must be equal to 1.0, submitted weights: [0.3, 0.3]'],
  ])('should refuse %s with neural-search\'s message', (_name, technique, parameters, message) => {
    expect(() => createCombination(technique, parameters)).toThrow(expect.objectContaining({ status: 400, reason: message }));
  });

  it('should accept weights summing to 1 within 0.01', () => {
    expect(() => createCombination('arithmetic_mean', { weights: [0.333, 0.333, 0.333] })).not.toThrow();
  });

  it('should refuse weights that do not number the sub-queries when it combines', () => {
    expect(() => combine('arithmetic_mean', { weights: [0.5, 0.5] }, [1, 1, 1])).toThrow('number of weights [2] must match number of sub-queries [3] in hybrid query');
  });
});

describe('normalization-processor', () => {
  const processor = (options: Json, tag?: string) => build(normalizationProcessor, options, undefined, tag);

  it('should default to min_max and arithmetic_mean, without sub-query scores', () => {
    const { scoring } = processor({});
    expect([scoring.normalization.name, scoring.combination.name, scoring.subQueryScores]).toEqual(['min_max', 'arithmetic_mean', false]);
  });

  it.each([
    ['min_max', 'harmonic_mean'],
    ['l2', 'geometric_mean'],
    ['rrf', 'arithmetic_mean'],
    ['z_score', 'arithmetic_mean'],
  ])('should accept %s with %s', (normalization, combination) => {
    const { scoring } = processor({ normalization: { technique: normalization }, combination: { technique: combination } });
    expect([scoring.normalization.name, scoring.combination.name]).toEqual([normalization, combination]);
  });

  it.each<[string, Json, Json]>([
    [
      'z_score with another combination than arithmetic_mean',
      { normalization: { technique: 'z_score' }, combination: { technique: 'harmonic_mean' } },
      { type: 'illegal_argument_exception', reason: 'provided combination technique harmonic_mean is not supported for normalization technique z_score. Supported techniques are: arithmetic_mean' },
    ],
    [
      'rrf as the combination of a score normalization',
      { combination: { technique: 'rrf' } },
      {
        type: 'illegal_argument_exception',
        reason: 'provided combination technique rrf is not supported for normalization technique min_max. Supported techniques are: arithmetic_mean, geometric_mean, harmonic_mean',
      },
    ],
    ['a normalization that is not an object', { normalization: 'min_max' }, { type: 'parse_exception', reason: "[normalization] property isn't a map, but of type [java.lang.String]" }],
    ['an unknown key in the combination', { combination: { technique: 'arithmetic_mean', weights: [1] } }, { type: 'parse_exception', reason: '[combination] doesn\'t support the parameter [weights]' }],
    ['an unknown option', { normalisation: {} }, { type: 'parse_exception', reason: "processor [normalization-processor:t] doesn't support one or more provided configuration parameters: [normalisation]" }],
  ])('should refuse %s when the pipeline is stored', (_name, options, error) => {
    expect(() => processor(options, 't')).toThrow(expect.objectContaining({ status: 400, ...error }));
  });
});
