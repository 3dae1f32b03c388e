import { illegalArgument } from '../../../errors/opensearch-error.js';
import { minMaxNormalization } from './min-max-normalization.js';
import { rrfNormalization } from './rrf-normalization.js';
import { MEAN_COMBINATIONS, type CombinationName } from './score-combinations.js';
import { l2Normalization, zScoreNormalization } from './statistical-normalizations.js';

/**
 * How each sub-query's raw scores are brought to one scale. `lists` holds, per sub-query, the
 * float32 scores of its results over all shards in rank order; the answer has the same shape.
 */
export interface ScoreNormalizationTechnique {
  readonly name: string;
  /** The technique and its parameters, as explanations print them. */
  describe(): string;
  normalize(lists: ReadonlyArray<readonly number[]>): number[][];
}

type NormalizationFactory = (parameters: Readonly<Record<string, unknown>> | undefined) => ScoreNormalizationTechnique;

/** neural-search's ScoreNormalizationFactory, by technique name. */
const NORMALIZATIONS = {
  min_max: minMaxNormalization,
  l2: l2Normalization,
  rrf: rrfNormalization,
  z_score: zScoreNormalization,
} as const satisfies Record<string, NormalizationFactory>;

/** The combinations each normalization accepts (COMBINATION_TECHNIQUE_FOR_NORMALIZATION_METHODS). */
const COMPATIBLE_COMBINATIONS: Record<keyof typeof NORMALIZATIONS, readonly CombinationName[]> = {
  min_max: MEAN_COMBINATIONS,
  l2: MEAN_COMBINATIONS,
  rrf: MEAN_COMBINATIONS,
  z_score: ['arithmetic_mean'],
};

/** Builds a normalization technique from its name and `parameters`, with neural-search's messages. */
export function createNormalization(name: string, parameters: Readonly<Record<string, unknown>> | undefined): ScoreNormalizationTechnique {
  if (!Object.hasOwn(NORMALIZATIONS, name)) throw illegalArgument('provided normalization technique is not supported');
  return NORMALIZATIONS[name as keyof typeof NORMALIZATIONS](parameters);
}

/** Refuses a combination the normalization cannot feed (ScoreNormalizationFactory.isTechniquesCompatible). */
export function checkTechniquesCompatible(normalization: string, combination: string): void {
  const supported = COMPATIBLE_COMBINATIONS[normalization as keyof typeof NORMALIZATIONS] ?? [];
  if ((supported as readonly string[]).includes(combination)) return;
  throw illegalArgument(
    `provided combination technique ${combination} is not supported for normalization technique ${normalization}. Supported techniques are: ${supported.join(', ')}`,
  );
}
