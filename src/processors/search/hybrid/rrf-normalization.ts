import { illegalArgument } from '../../../errors/opensearch-error.js';
import { f32 } from '../../../util/float32.js';
import type { ScoreNormalizationTechnique } from './score-normalization.js';
import { checkNormalizationParameters } from './technique-parameters.js';

export const RANK_CONSTANT = 'rank_constant';
const DEFAULT_RANK_CONSTANT = 60;
const MIN_RANK_CONSTANT = 1;
const MAX_RANK_CONSTANT = 10_000;
const SCORE_SCALE = 10_000_000_000;

/**
 * `rrf` (RRFNormalizationTechnique): each result's score becomes 1 / (rank_constant + rank + 1),
 * its rank (0-based) taken in its sub-query's results over all shards, rounded half-up to 10
 * decimals; the combination then adds the ranks up.
 */
export function rrfNormalization(parameters: Readonly<Record<string, unknown>> | undefined): ScoreNormalizationTechnique {
  checkNormalizationParameters(parameters, [RANK_CONSTANT]);
  const rankConstant = parseRankConstant(parameters);
  return {
    name: 'rrf',
    describe: () => `rrf, rank_constant [${rankConstant}]`,
    normalize: (lists) => lists.map((scores) => scores.map((_score, rank) => reciprocalRank(rankConstant + rank + 1))),
  };
}

/** 1 / denominator rounded half-up to 10 decimals, exactly as the integer division neural-search uses. */
function reciprocalRank(denominator: number): number {
  const numerator = Math.floor((2 * SCORE_SCALE + denominator) / (2 * denominator));
  return f32(numerator / SCORE_SCALE);
}

function parseRankConstant(parameters: Readonly<Record<string, unknown>> | undefined): number {
  if (parameters === undefined || !Object.hasOwn(parameters, RANK_CONSTANT)) return DEFAULT_RANK_CONSTANT;
  const raw = parameters[RANK_CONSTANT];
  // NumberUtils.createInteger(String.valueOf(value)): integers, in decimal or as text.
  const text = String(raw);
  if (!/^[+-]?\d+$/.test(text.trim()) || typeof raw === 'boolean') {
    throw illegalArgument(`parameter [${RANK_CONSTANT}] must be an integer`);
  }
  const rankConstant = Number(text);
  if (!(rankConstant >= MIN_RANK_CONSTANT && rankConstant <= MAX_RANK_CONSTANT)) {
    throw illegalArgument(
      `rank constant must be in the interval between ${MIN_RANK_CONSTANT} and ${MAX_RANK_CONSTANT}, submitted rank constant: ${rankConstant}`,
    );
  }
  return rankConstant;
}
