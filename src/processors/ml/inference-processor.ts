import type { ModelPredictor, IngestProcessor } from '../processor-definition.js';
import { processorConfigError } from '../validate-config.js';
import { type FieldMapTree, inferenceSlots, isBlank, parseFieldMap } from './field-map.js';
import {
  inferBatch,
  inferDocument,
  type InferenceModel,
  type PrepareDocument,
} from './inference-batch.js';
import type { PredictAnswer } from './model-output.js';
import { processorIllegalArgument } from './processor-errors.js';
import { reusingOutputs } from './provenance.js';
import { unflattenDocument } from './unflatten.js';

/** The options `text_embedding` and `sparse_encoding` share (InferenceProcessor, AbstractBatchingProcessor). */
export interface InferenceOptions {
  model_id: string;
  field_map: Record<string, unknown>;
  batch_size?: number;
  skip_existing: boolean;
}

/** JSON Schema properties of {@link InferenceOptions}. */
export const INFERENCE_OPTION_PROPERTIES = {
  model_id: { type: 'string', description: 'The model that infers the texts.' },
  field_map: {
    type: 'object',
    description:
      'Source field → target field; a nested object (or a dotted source key) maps fields of objects and lists of objects.',
    additionalProperties: { type: ['string', 'object'] },
  },
  batch_size: {
    type: 'integer',
    description:
      'Documents whose texts go in one predict call when documents come in bulk (default 1); when set, also the most of these texts in any one provider call.',
  },
  skip_existing: {
    type: 'boolean',
    default: false,
    description:
      'Record the model and a digest of the inputs beside each output (under ml_sidecar), and do not infer again an output the document already carries from the same model and inputs.',
  },
} as const;

/** What differs between `text_embedding` and `sparse_encoding`. */
export interface InferenceKind {
  readonly type: string;
  /** The key of each element when the source is a list of strings (`knn`, `sparse_encoding`). */
  readonly listKey: string;
  readonly results: (answer: PredictAnswer) => readonly unknown[];
  readonly finish: (result: unknown) => unknown;
}

/** Parses the shared options, then builds the processor around its kind's model output. */
export function createInferenceProcessor(
  kind: InferenceKind,
  config: InferenceOptions,
  predictor: ModelPredictor,
  tag: string | undefined,
): IngestProcessor {
  const { modelId, fieldMap, batchSize } = parseInferenceOptions(kind.type, tag, config);
  // A batch_size the user sets bounds every provider call, shared or not (users set it to stay
  // under a provider's per-request limits); unset, the model's batching limits apply.
  const options = config.batch_size === undefined ? {} : { maxTextsPerCall: config.batch_size };
  const model: InferenceModel = {
    modelId,
    predict: (texts) => predictor.predict(modelId, { kind: 'text_docs', textDocs: texts }, options),
    isCircuitOpen: () => predictor.isCircuitOpen(modelId),
    results: kind.results,
    finish: kind.finish,
  };
  const prepare: PrepareDocument = (document) => {
    unflattenDocument(document);
    return inferenceSlots(document, fieldMap, kind.listKey);
  };
  if (!config.skip_existing) {
    return {
      type: kind.type,
      execute: (document) => inferDocument(document, prepare, model),
      executeBatch: (documents) => inferBatch(documents, batchSize, prepare, model),
    };
  }
  // skip_existing compares with what the document itself carries (its provenance), resolved
  // against the model a `name:` reference means now; a backfill carries the stored document's
  // outputs over first (OpenSearch GETs the stored document instead, and compares text only).
  const reusing = async () =>
    reusingOutputs(prepare, kind.type, (await predictor.resolveModelId?.(modelId)) ?? modelId);
  return {
    type: kind.type,
    reusesOutputs: true,
    execute: async (document) => inferDocument(document, await reusing(), model),
    executeBatch: async (documents) => inferBatch(documents, batchSize, await reusing(), model),
  };
}

function parseInferenceOptions(
  type: string,
  tag: string | undefined,
  config: InferenceOptions,
): { modelId: string; fieldMap: FieldMapTree; batchSize: number } {
  // AbstractBatchingProcessor.Factory (batch_size defaults to 1), then InferenceProcessor's
  // constructor, with their messages.
  const batchSize = config.batch_size ?? 1;
  if (batchSize < 1)
    throw processorConfigError(
      type,
      tag,
      'batch_size',
      '[batch_size] batch_size must be a positive integer',
    );
  if (isBlank(config.model_id))
    throw processorIllegalArgument(type, tag, 'model_id is null or empty, cannot process it');
  const fieldMap = parseFieldMap(config.field_map, true, (reason) =>
    processorIllegalArgument(type, tag, reason),
  );
  return { modelId: config.model_id, fieldMap, batchSize };
}
