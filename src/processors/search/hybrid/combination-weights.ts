import { illegalArgument } from '../../../errors/opensearch-error.js';
import { f32, javaFloatString } from '../../../util/float32.js';

const WEIGHTS = 'weights';
// neural-search's DELTA_FOR_SCORE_ASSERTION: weights may sum to 1 within this.
const WEIGHT_SUM_DELTA = 0.01;

/** The per-sub-query weights of a combination technique; empty means 1.0 for every sub-query. */
export type CombinationWeights = readonly number[];

/**
 * Checks a combination technique's `parameters` (ScoreCombinationUtil.validateParams): only
 * `weights`, and it must be a list of numbers.
 */
export function checkCombinationParameters(parameters: Readonly<Record<string, unknown>> | undefined): void {
  if (parameters === undefined) return;
  if (Object.keys(parameters).some((name) => name !== WEIGHTS)) {
    throw illegalArgument(`provided parameter for combination technique is not supported. supported parameters are [${WEIGHTS}]`);
  }
  const weights = parameters[WEIGHTS];
  if (weights !== undefined && (!Array.isArray(weights) || !weights.every((weight) => typeof weight === 'number'))) {
    throw illegalArgument(`parameter [${WEIGHTS}] must be a collection of numbers`);
  }
}

/**
 * The weights as Java floats (ScoreCombinationUtil.getWeights): each in [0, 1], summing to 1.0
 * within 0.01.
 */
export function parseWeights(parameters: Readonly<Record<string, unknown>> | undefined): CombinationWeights {
  const raw = parameters?.[WEIGHTS];
  if (!Array.isArray(raw)) return [];
  const weights = raw.map((weight) => f32(weight as number));
  const listed = `[${weights.map(javaFloatString).join(', ')}]`;
  if (weights.some((weight) => !(weight >= 0 && weight <= 1))) {
    throw illegalArgument(`all weights must be in range [0.0 ... 1.0], submitted weights: ${listed}`);
  }
  const sum = weights.reduce((total, weight) => f32(total + weight), 0);
  if (Math.abs(1 - sum) > WEIGHT_SUM_DELTA) {
    throw illegalArgument(`sum of weights for combination must be equal to 1.0, submitted weights: ${listed}`);
  }
  return weights;
}

/** The weight of sub-query `index`: the configured one, else 1.0. */
export const weightOf = (weights: CombinationWeights, index: number): number => weights[index] ?? 1;

/** Weights, when given, must number the sub-queries (ScoreCombinationUtil.validateIfWeightsMatchScores). */
export function checkWeightsMatch(weights: CombinationWeights, subQueries: number): void {
  if (weights.length === 0 || weights.length === subQueries) return;
  throw illegalArgument(`number of weights [${weights.length}] must match number of sub-queries [${subQueries}] in hybrid query`);
}

/** `arithmetic_mean, weights [0.3, 0.7]` (ExplanationUtils.describeCombinationTechnique). */
export function describeCombination(name: string, weights: CombinationWeights): string {
  return weights.length === 0 ? name : `${name}, weights [${weights.map(javaFloatString).join(', ')}]`;
}
