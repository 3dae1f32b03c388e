import { defineProcessor } from '../../processor-definition.js';
import { createCombination } from './score-combinations.js';
import { checkTechniquesCompatible, createNormalization } from './score-normalization.js';

export interface NormalizationProcessorConfig {
  normalization?: { technique?: string; parameters?: Record<string, unknown> };
  combination?: { technique?: string; parameters?: Record<string, unknown> };
  'sub-query-scores': boolean;
}

/** The `technique` + `parameters` clause both sections share. */
export const techniqueClause = (what: string, defaultTechnique: string) => ({
  type: 'object',
  additionalProperties: false,
  description: `How scores are ${what}.`,
  properties: {
    technique: { type: 'string', description: `The ${what} technique (default ${defaultTechnique}).` },
    parameters: { type: 'object', description: `The technique's parameters.` },
  },
});

export const SUB_QUERY_SCORES_OPTION = {
  type: 'boolean',
  default: false,
  description: 'Add each hit\'s raw sub-query scores as `fields.hybridization_sub_query_scores`.',
} as const;

/**
 * `normalization-processor` (neural-search NormalizationProcessorFactory): a phase results
 * processor that normalizes a `hybrid` query's sub-query scores (`min_max` by default, `l2`,
 * `z_score`, `rrf`) and combines them (`arithmetic_mean` by default, `geometric_mean`,
 * `harmonic_mean`, with optional `weights`).
 */
export const normalizationProcessor = defineProcessor({
  type: 'normalization-processor',
  kind: 'search_phase_results',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      normalization: techniqueClause('normalized', 'min_max'),
      combination: techniqueClause('combined', 'arithmetic_mean'),
      'sub-query-scores': SUB_QUERY_SCORES_OPTION,
    },
  },
  create(config: NormalizationProcessorConfig) {
    const normalization = createNormalization(config.normalization?.technique ?? 'min_max', config.normalization?.parameters);
    const combination = createCombination(config.combination?.technique ?? 'arithmetic_mean', config.combination?.parameters);
    checkTechniquesCompatible(normalization.name, combination.name);
    return { type: 'normalization-processor', scoring: { normalization, combination, subQueryScores: config['sub-query-scores'] } };
  },
});
