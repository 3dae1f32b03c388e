import { defineProcessor } from '../processor-definition.js';
import {
  createInferenceProcessor,
  INFERENCE_OPTION_PROPERTIES,
  type InferenceOptions,
} from './inference-processor.js';
import { embeddingVectors } from './model-output.js';

/**
 * neural-search's `text_embedding`: the texts of `field_map`'s source fields become dense vectors
 * in the target fields (a list of strings becomes `[{"knn": vector}, ...]`).
 */
export const textEmbeddingProcessor = defineProcessor<InferenceOptions, 'ingest'>({
  type: 'text_embedding',
  kind: 'ingest',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['model_id', 'field_map'],
    properties: INFERENCE_OPTION_PROPERTIES,
  },
  create: (config, deps, tag) =>
    createInferenceProcessor(
      {
        type: 'text_embedding',
        listKey: 'knn',
        results: embeddingVectors,
        finish: (vector) => vector,
      },
      config,
      deps.predictor,
      tag,
    ),
});
