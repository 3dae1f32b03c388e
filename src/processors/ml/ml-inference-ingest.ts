import pLimit from 'p-limit';
import type { IngestDocument } from '../../pipeline/ingest-document.js';
import {
  type BatchOutcome,
  defineProcessor,
  type ModelPredictor,
} from '../processor-definition.js';
import { toParameterValue } from './input-output-maps.js';
import { type PredictionOptions, runPrediction } from './ml-inference-prediction.js';
import { processorIllegalArgument } from './processor-errors.js';

const TYPE = 'ml_inference';
const DEFAULT_MODEL_INPUT = '{ "parameters": ${ml_inference.parameters} }';

interface MlInferenceOptions {
  model_id: string;
  function_name: string;
  model_input?: string;
  input_map?: Record<string, string>[];
  output_map?: Record<string, string>[];
  model_config?: Record<string, unknown>;
  full_response_path: boolean;
  ignore_missing: boolean;
  override: boolean;
  max_prediction_tasks: number;
}

const fieldMapList = (description: string) => ({
  type: 'array',
  description,
  items: { type: 'object', additionalProperties: { type: 'string' } },
});

/**
 * ml-commons' `ml_inference` ingest processor for remote models: each `input_map` entry is one
 * prediction (document fields → model parameters), written back through its `output_map` entry.
 * `max_prediction_tasks` caps this processor's concurrent predictions across all documents (in
 * ML Commons it only caps the number of `input_map` entries, which is checked too).
 */
export const mlInferenceIngestProcessor = defineProcessor<MlInferenceOptions, 'ingest'>({
  type: TYPE,
  kind: 'ingest',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['model_id'],
    properties: {
      model_id: { type: 'string', description: 'The remote model to predict with.' },
      function_name: {
        type: 'string',
        default: 'remote',
        description: 'The model type; only remote models exist here.',
      },
      model_input: {
        type: 'string',
        description:
          'Predict request template with ${input_map.x}, ${model_config.x} and ${ml_inference.parameters}.',
      },
      input_map: fieldMapList(
        'One map per prediction: model parameter → document field (dot path or JSONPath).',
      ),
      output_map: fieldMapList(
        'One map per prediction: document field (wildcards allowed) → model output field or JSONPath.',
      ),
      model_config: {
        type: 'object',
        description: 'Extra model parameters; non-string values are passed as JSON.',
      },
      full_response_path: {
        type: 'boolean',
        default: false,
        description: 'Output locators are JSONPaths over the whole predict answer.',
      },
      ignore_missing: {
        type: 'boolean',
        default: false,
        description: 'Skip missing input fields; a missing output locator writes the whole output.',
      },
      override: {
        type: 'boolean',
        default: false,
        description:
          'Overwrite existing output fields (otherwise a prediction whose outputs all exist is skipped).',
      },
      max_prediction_tasks: {
        type: 'integer',
        minimum: 1,
        default: 10,
        description: 'Most predictions of this processor running at once, across documents.',
      },
    },
  },
  create(config, deps, tag) {
    const fail = (reason: string) => processorIllegalArgument(TYPE, tag, reason);
    if (config.function_name.toLowerCase() !== 'remote') {
      throw fail(
        `function_name [${config.function_name}] is not supported: only remote models are available, use function_name remote`,
      );
    }
    const inputMaps = config.input_map ?? [];
    // A list of maps that ML Commons reads as "no output_map" when empty.
    const outputMaps = config.output_map ?? [];
    // MLInferenceIngestProcessor.Factory's checks, with its messages.
    if (inputMaps.length > config.max_prediction_tasks) {
      throw fail(
        `The number of prediction task setting in this process is ${inputMaps.length}. It exceeds the max_prediction_tasks of ${config.max_prediction_tasks}. Please reduce the size of input_map or increase max_prediction_tasks.`,
      );
    }
    if (
      config.input_map !== undefined &&
      config.output_map !== undefined &&
      outputMaps.length !== inputMaps.length
    ) {
      throw fail('The length of output_map and the length of input_map do no match.');
    }
    const modelConfig = new Map(
      Object.entries(config.model_config ?? {}).map(([key, value]) => [
        key,
        toParameterValue(value),
      ]),
    );
    const options: PredictionOptions = {
      modelId: config.model_id,
      modelInput: config.model_input ?? DEFAULT_MODEL_INPUT,
      modelConfig,
      ignoreMissing: config.ignore_missing,
      override: config.override,
      fullResponsePath: config.full_response_path,
    };
    const limit = pLimit(config.max_prediction_tasks);
    const predictor: ModelPredictor = {
      predict: (modelId, input) => limit(() => deps.predictor.predict(modelId, input)),
      isCircuitOpen: (modelId) => deps.predictor.isCircuitOpen(modelId),
    };
    const execute = async (document: IngestDocument): Promise<void> => {
      const predictions = Array.from({ length: Math.max(inputMaps.length, 1) }, (_, index) =>
        runPrediction(document, inputMaps[index], outputMaps[index], options, predictor),
      );
      // All predictions run to the end before the document fails, so none writes into it later.
      const failure = (await Promise.allSettled(predictions)).find(
        (result) => result.status === 'rejected',
      );
      if (failure) throw failure.reason;
    };
    return {
      type: TYPE,
      execute,
      executeBatch: (documents) =>
        Promise.all(
          documents.map((document) =>
            execute(document).then(
              (): BatchOutcome => ({ status: 'ok' }),
              (error: unknown): BatchOutcome => ({ status: 'failed', error }),
            ),
          ),
        ),
    };
  },
});
