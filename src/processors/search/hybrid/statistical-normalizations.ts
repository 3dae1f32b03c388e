import { f32 } from '../../../util/float32.js';
import type { ScoreNormalizationTechnique } from './score-normalization.js';
import { checkNormalizationParameters } from './technique-parameters.js';

const Z_SCORE_MIN = f32(0.001);

/** `l2` (L2ScoreNormalizationTechnique): s / √(Σ s²) per sub-query; 0 when the norm is 0. */
export function l2Normalization(parameters: Readonly<Record<string, unknown>> | undefined): ScoreNormalizationTechnique {
  checkNormalizationParameters(parameters, []);
  return {
    name: 'l2',
    describe: () => 'l2',
    normalize: (lists) =>
      lists.map((scores) => {
        const norm = f32(Math.sqrt(scores.reduce((sum, score) => f32(sum + f32(score * score)), 0)));
        return scores.map((score) => (norm === 0 ? 0 : f32(score / norm)));
      }),
  };
}

/**
 * `z_score` (ZScoreNormalizationTechnique): (s − mean) / sample standard deviation per
 * sub-query; 0.001 for a result ≤ 0; a score equal to the mean takes the sub-query's highest
 * score and a zero deviation its lowest, as neural-search does.
 */
export function zScoreNormalization(parameters: Readonly<Record<string, unknown>> | undefined): ScoreNormalizationTechnique {
  checkNormalizationParameters(parameters, []);
  return {
    name: 'z_score',
    describe: () => 'z_score',
    normalize: (lists) =>
      lists.map((scores) => {
        const { mean, deviation, max, min } = statistics(scores);
        return scores.map((score) => {
          if (mean === score) return max;
          if (deviation === 0) return min;
          const normalized = f32(f32(score - mean) / deviation);
          return normalized <= 0 ? Z_SCORE_MIN : normalized;
        });
      }),
  };
}

/** Commons Math's DescriptiveStatistics over the scores, each narrowed to float as neural-search stores them. */
function statistics(scores: readonly number[]): { mean: number; deviation: number; max: number; min: number } {
  const count = scores.length;
  if (count === 0) return { mean: 0, deviation: 0, max: 0, min: 0 };
  const roughMean = scores.reduce((sum, score) => sum + score, 0) / count;
  // Commons Math corrects the mean with a second pass, then uses the bias-corrected (n − 1) variance.
  const deviations = scores.map((score) => score - roughMean);
  const mean = roughMean + deviations.reduce((sum, delta) => sum + delta, 0) / count;
  let squares = 0;
  let sum = 0;
  for (const score of scores) {
    squares += (score - mean) ** 2;
    sum += score - mean;
  }
  const variance = count === 1 ? 0 : (squares - (sum * sum) / count) / (count - 1);
  return {
    mean: f32(mean),
    deviation: f32(Math.sqrt(variance)),
    max: Math.max(...scores),
    min: Math.min(...scores),
  };
}
