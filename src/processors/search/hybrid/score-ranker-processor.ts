import { defineProcessor } from '../../processor-definition.js';
import { SUB_QUERY_SCORES_OPTION } from './normalization-processor.js';
import { RANK_CONSTANT, rrfNormalization } from './rrf-normalization.js';
import { createCombination } from './score-combinations.js';

export interface ScoreRankerConfig {
  combination?: { technique?: string; rank_constant?: number | string; parameters?: Record<string, unknown> };
  'sub-query-scores': boolean;
}

/**
 * `score-ranker-processor` (neural-search RRFProcessorFactory): a phase results processor that
 * scores a `hybrid` query's results by reciprocal rank fusion: 1 / (`rank_constant` + rank)
 * per sub-query (default 60), summed with optional `weights`.
 */
export const scoreRankerProcessor = defineProcessor({
  type: 'score-ranker-processor',
  kind: 'search_phase_results',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      combination: {
        type: 'object',
        additionalProperties: false,
        description: 'How ranks are combined.',
        properties: {
          technique: { type: 'string', description: 'The combination technique (default rrf).' },
          [RANK_CONSTANT]: { type: ['number', 'string'], description: 'The rank constant, 1 to 10000 (default 60).' },
          parameters: { type: 'object', description: "The technique's parameters (`weights`)." },
        },
      },
      'sub-query-scores': SUB_QUERY_SCORES_OPTION,
    },
  },
  create(config: ScoreRankerConfig) {
    const combination = config.combination;
    const normalization = rrfNormalization(
      combination !== undefined && Object.hasOwn(combination, RANK_CONSTANT) ? { [RANK_CONSTANT]: combination.rank_constant } : undefined,
    );
    return {
      type: 'score-ranker-processor',
      scoring: {
        normalization,
        combination: createCombination(combination?.technique ?? 'rrf', combination?.parameters),
        subQueryScores: config['sub-query-scores'],
      },
    };
  },
});
