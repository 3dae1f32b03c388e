import type { ProcessorDefinition } from '../processor-definition.js';
import { filterQueryProcessor } from './filter-query.js';
import { hybridScoreExplanationProcessor } from './hybrid/hybrid-score-explanation.js';
import { normalizationProcessor } from './hybrid/normalization-processor.js';
import { scoreRankerProcessor } from './hybrid/score-ranker-processor.js';
import { mlInferenceRequestProcessor } from './ml-inference-request.js';
import { mlInferenceResponseProcessor } from './ml-inference-response.js';
import { neuralQueryEnricherProcessor } from './neural-query-enricher.js';
import { neuralSparseTwoPhaseProcessor } from './neural-sparse-two-phase.js';
import { renameFieldProcessor } from './rename-field.js';
import { rerankProcessor } from './rerank.js';
import { retrievalAugmentedGenerationProcessor } from './retrieval-augmented-generation.js';

/** Search request processors, by the key pipelines use. */
export const searchRequestProcessors = {
  neural_query_enricher: neuralQueryEnricherProcessor,
  ml_inference: mlInferenceRequestProcessor,
  filter_query: filterQueryProcessor,
  neural_sparse_two_phase_processor: neuralSparseTwoPhaseProcessor,
} as const satisfies Record<string, ProcessorDefinition<unknown, 'search_request'>>;

/** Search response processors, by the key pipelines use (`ml_inference` is a different processor here). */
export const searchResponseProcessors = {
  ml_inference: mlInferenceResponseProcessor,
  retrieval_augmented_generation: retrievalAugmentedGenerationProcessor,
  rerank: rerankProcessor,
  rename_field: renameFieldProcessor,
  hybrid_score_explanation: hybridScoreExplanationProcessor,
} as const satisfies Record<string, ProcessorDefinition<unknown, 'search_response'>>;

/** Search phase results processors: how a `hybrid` query's sub-query scores are normalized and combined. */
export const searchPhaseResultsProcessors = {
  'normalization-processor': normalizationProcessor,
  'score-ranker-processor': scoreRankerProcessor,
} as const satisfies Record<string, ProcessorDefinition<unknown, 'search_phase_results'>>;

export {
  NEURAL_DEFAULTS_ATTRIBUTE,
  neuralDefaultsFrom,
  rewriteNeuralQueries,
  type NeuralModelDefaults,
  type NeuralRewriteOptions,
} from './neural-query.js';
export { normaliseQuery, normaliseSearchBody } from './normalise-query.js';
export { rewriteNeuralSparseQueries } from './neural-sparse-query.js';
export { twoPhaseSettingsFrom } from './neural-sparse-two-phase.js';
export { checkHybridPlacement, parseHybridQuery, pushDownHybridFilters, topLevelHybrid, type HybridQuery } from './hybrid/hybrid-query.js';
export { fuseHybridScores, rankByScore, type FusedDocument, type HybridScoring, type SubQueryResult } from './hybrid/fuse-hybrid-scores.js';
export { HYBRID_EXPLANATION_ATTRIBUTE, hybridHitKey, type HybridExplanation } from './hybrid/hybrid-score-explanation.js';
