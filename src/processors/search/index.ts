import type { ProcessorDefinition } from '../processor-definition.js';
import { filterQueryProcessor } from './filter-query.js';
import { mlInferenceRequestProcessor } from './ml-inference-request.js';
import { mlInferenceResponseProcessor } from './ml-inference-response.js';
import { neuralQueryEnricherProcessor } from './neural-query-enricher.js';
import { renameFieldProcessor } from './rename-field.js';
import { rerankProcessor } from './rerank.js';
import { retrievalAugmentedGenerationProcessor } from './retrieval-augmented-generation.js';

/** Search request processors, by the key pipelines use. */
export const searchRequestProcessors = {
  neural_query_enricher: neuralQueryEnricherProcessor,
  ml_inference: mlInferenceRequestProcessor,
  filter_query: filterQueryProcessor,
} as const satisfies Record<string, ProcessorDefinition<unknown, 'search_request'>>;

/** Search response processors, by the key pipelines use (`ml_inference` is a different processor here). */
export const searchResponseProcessors = {
  ml_inference: mlInferenceResponseProcessor,
  retrieval_augmented_generation: retrievalAugmentedGenerationProcessor,
  rerank: rerankProcessor,
  rename_field: renameFieldProcessor,
} as const satisfies Record<string, ProcessorDefinition<unknown, 'search_response'>>;

export {
  NEURAL_DEFAULTS_ATTRIBUTE,
  neuralDefaultsFrom,
  rewriteNeuralQueries,
  type NeuralModelDefaults,
  type NeuralRewriteOptions,
} from './neural-query.js';
export { normaliseQuery, normaliseSearchBody } from './normalise-query.js';
