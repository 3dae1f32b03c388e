import { defineProcessor } from '../processor-definition.js';
import { processorConfigError } from '../validate-config.js';
import {
  createInferenceProcessor,
  INFERENCE_OPTION_PROPERTIES,
  type InferenceOptions,
} from './inference-processor.js';
import { tokenWeightMaps } from './model-output.js';
import { processorIllegalArgument } from './processor-errors.js';
import { parsePruneSettings, pruneSparseVector } from './sparse-prune.js';

const TYPE = 'sparse_encoding';

interface SparseEncodingOptions extends InferenceOptions {
  prune_type?: string;
  prune_ratio?: number;
}

/**
 * neural-search's `sparse_encoding`: the texts of `field_map`'s source fields become token→weight
 * maps in the target fields (a list of strings becomes `[{"sparse_encoding": map}, ...]`),
 * optionally pruned.
 */
export const sparseEncodingProcessor = defineProcessor<SparseEncodingOptions, 'ingest'>({
  type: TYPE,
  kind: 'ingest',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['model_id', 'field_map'],
    properties: {
      ...INFERENCE_OPTION_PROPERTIES,
      prune_type: {
        type: 'string',
        description: 'How each map is pruned: none, top_k, alpha_mass, max_ratio or abs_value.',
      },
      prune_ratio: {
        type: 'number',
        description:
          'The prune parameter: K for top_k, a ratio in [0, 1) for alpha_mass and max_ratio, a threshold for abs_value.',
      },
    },
  },
  create: (config, deps, tag) => {
    const prune = parsePruneSettings(config.prune_type, config.prune_ratio, {
      invalid: (reason) => processorIllegalArgument(TYPE, tag, reason),
      missingRatio: () =>
        processorConfigError(
          TYPE,
          tag,
          'prune_ratio',
          '[prune_ratio] required property is missing',
        ),
    });
    return createInferenceProcessor(
      {
        type: TYPE,
        listKey: 'sparse_encoding',
        results: tokenWeightMaps,
        finish: (weights) => pruneSparseVector(prune, weights as Record<string, number>),
      },
      config,
      deps.predictor,
      tag,
    );
  },
});
