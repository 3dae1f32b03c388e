import { illegalArgument } from '../../../errors/opensearch-error.js';
import { f32 } from '../../../util/float32.js';
import {
  checkCombinationParameters,
  checkWeightsMatch,
  describeCombination,
  parseWeights,
  weightOf,
  type CombinationWeights,
} from './combination-weights.js';

/**
 * How one document's normalized sub-query scores become its hybrid score. `scores` has one entry
 * per sub-query, 0.0 where the sub-query did not return the document (ScoreCombiner fills a
 * fresh float[] only where a sub-query has the document).
 */
export interface ScoreCombinationTechnique {
  readonly name: string;
  /** The technique and its weights, as explanations print them. */
  describe(): string;
  combine(scores: readonly number[]): number;
}

type CombinationFactory = (weights: CombinationWeights) => Omit<ScoreCombinationTechnique, 'name' | 'describe'>;

/**
 * Σ term(sᵢ, wᵢ) and Σ wᵢ over the sub-queries whose score counts, each sum kept in float32 as
 * neural-search keeps it.
 */
function weightedSums(
  scores: readonly number[],
  weights: CombinationWeights,
  counts: (score: number) => boolean,
  term: (score: number, weight: number) => number,
): { sum: number; sumOfWeights: number } {
  let sum = 0;
  let sumOfWeights = 0;
  scores.forEach((score, index) => {
    if (!counts(score)) return;
    const weight = weightOf(weights, index);
    sum = f32(sum + term(score, weight));
    sumOfWeights = f32(sumOfWeights + weight);
  });
  return { sum, sumOfWeights };
}

const everyScore = (score: number) => score >= 0;
const positiveScore = (score: number) => score > 0;
const weighted = (score: number, weight: number) => f32(score * weight);

/** Σ wᵢ·sᵢ / Σ wᵢ over every sub-query (missing ones count with 0). */
const arithmeticMean: CombinationFactory = (weights) => ({
  combine(scores) {
    const { sum, sumOfWeights } = weightedSums(scores, weights, everyScore, weighted);
    return sumOfWeights === 0 ? 0 : f32(sum / sumOfWeights);
  },
});

/** exp(Σ wᵢ·ln sᵢ / Σ wᵢ) over the sub-queries with a positive score (ln 0 is undefined). */
const geometricMean: CombinationFactory = (weights) => ({
  combine(scores) {
    const { sum, sumOfWeights } = weightedSums(scores, weights, positiveScore, (score, weight) => weight * Math.log(score));
    return sumOfWeights === 0 ? 0 : f32(Math.exp(f32(sum / sumOfWeights)));
  },
});

/** Σ wᵢ / Σ (wᵢ / sᵢ) over the sub-queries with a positive score. */
const harmonicMean: CombinationFactory = (weights) => ({
  combine(scores) {
    const { sum, sumOfWeights } = weightedSums(scores, weights, positiveScore, (score, weight) => f32(weight / score));
    return sum > 0 ? f32(sumOfWeights / sum) : 0;
  },
});

/** Σ wᵢ·rrfᵢ: reciprocal ranks add up (not divided by the weights). */
const reciprocalRankSum: CombinationFactory = (weights) => ({
  combine(scores) {
    const { sum, sumOfWeights } = weightedSums(scores, weights, everyScore, weighted);
    return sumOfWeights === 0 ? 0 : sum;
  },
});

/** neural-search's ScoreCombinationFactory, by technique name. */
const COMBINATIONS = {
  arithmetic_mean: arithmeticMean,
  geometric_mean: geometricMean,
  harmonic_mean: harmonicMean,
  rrf: reciprocalRankSum,
} as const satisfies Record<string, CombinationFactory>;

export type CombinationName = keyof typeof COMBINATIONS;

/** The combination techniques the normalization processor accepts after a score-based normalization. */
export const MEAN_COMBINATIONS: readonly CombinationName[] = ['arithmetic_mean', 'geometric_mean', 'harmonic_mean'];

/** Builds a combination technique from its name and `parameters`, with neural-search's messages. */
export function createCombination(name: string, parameters: Readonly<Record<string, unknown>> | undefined): ScoreCombinationTechnique {
  if (!Object.hasOwn(COMBINATIONS, name)) throw illegalArgument('provided combination technique is not supported');
  checkCombinationParameters(parameters);
  const weights = parseWeights(parameters);
  const technique = COMBINATIONS[name as CombinationName](weights);
  return {
    name,
    // RRF explanations never list weights (RRFScoreCombinationTechnique.describe).
    describe: () => describeCombination(name, name === 'rrf' ? [] : weights),
    combine(scores) {
      checkWeightsMatch(weights, scores.length);
      return technique.combine(scores);
    },
  };
}
