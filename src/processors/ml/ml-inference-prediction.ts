import type { PredictInput } from '../../connectors/functions/types.js';
import { toParameterStrings } from '../../connectors/connector-input.js';
import { isJsonObjectOrArray } from '../../connectors/template/escape-json.js';
import { mapResolver, substitute } from '../../connectors/template/string-substitutor.js';
import { illegalArgument } from '../../errors/opensearch-error.js';
import type { IngestDocument } from '../../pipeline/ingest-document.js';
import { isJsonObject } from '../../util/json.js';
import type { ModelPredictor } from '../processor-definition.js';
import {
  applyPooling,
  modelOutputValue,
  outputPaths,
  missingInputField,
  readInputField,
  splitPooling,
  toParameterValue,
} from './input-output-maps.js';
import type { PredictAnswer } from './model-output.js';

const DEFAULT_OUTPUT_FIELD = 'inference_results';

/** What every prediction of one `ml_inference` processor shares. */
export interface PredictionOptions {
  readonly modelId: string;
  readonly modelInput: string;
  readonly modelConfig: ReadonlyMap<string, string>;
  readonly ignoreMissing: boolean;
  readonly override: boolean;
  readonly fullResponsePath: boolean;
}

/** One prediction of one document (MLInferenceIngestProcessor.processPredictions). */
export async function runPrediction(
  document: IngestDocument,
  inputMap: Readonly<Record<string, string>> | undefined,
  outputMap: Readonly<Record<string, string>> | undefined,
  options: PredictionOptions,
  predictor: ModelPredictor,
): Promise<void> {
  // Without override, an output whose fields all exist is dropped, and with no output left the
  // model is not called at all.
  const outputs =
    outputMap &&
    Object.entries(outputMap).filter(
      ([field]) =>
        options.override || !outputPaths(document, field).every((path) => document.hasField(path)),
    );
  if (outputs && outputs.length === 0) return;
  const parameters = new Map(options.modelConfig);
  const inputs = new Map<string, string>();
  // Without input_map, every top-level field (metadata included) is a parameter.
  const mapping =
    inputMap ??
    Object.fromEntries(Object.keys(document.sourceAndMetadata).map((field) => [field, field]));
  const missing: [parameter: string, path: string][] = [];
  for (const [parameter, path] of Object.entries(mapping)) {
    const found = readInputField(document, path, options.ignoreMissing);
    if (found) {
      parameters.set(parameter, toParameterValue(found.value));
      // As in ML Commons, a key that model_config also has is not an ${input_map.*} variable.
      if (!options.modelConfig.has(parameter)) inputs.set(parameter, toParameterValue(found.value));
    } else {
      missing.push([parameter, path]);
    }
  }
  // With ignore_missing, a document that has none of the entry's fields passes unchanged with no
  // model call (ML Commons still calls the model, with unfilled placeholders). With some of them,
  // the model gets the fields present; only a `${input_map.x}` that nothing can fill is an error.
  if (missing.length > 0 && missing.length === Object.keys(mapping).length) return;
  const unfillable = missing.find(([parameter]) => options.modelInput.includes(`\${input_map.${parameter}}`));
  if (unfillable) throw missingInputField(unfillable[1]);
  const answer = await predictor.predict(
    options.modelId,
    remoteInput(options.modelInput, parameters, options.modelConfig, inputs),
  );
  if (!outputs) {
    setOutput(
      document,
      DEFAULT_OUTPUT_FIELD,
      modelOutputValue(answer, null, options.ignoreMissing, options.fullResponsePath),
      options.ignoreMissing,
    );
    return;
  }
  for (const [field, locator] of outputs) writeOutput(document, field, locator, answer, options);
}

/**
 * The predict request (ModelExecutor.getMLModelInferenceRequest): `model_input` with
 * `${model_config.*}`, then `${input_map.*}`, then `${ml_inference.parameters}` (the JSON of all
 * parameters) substituted; it must be JSON, and its `parameters` become the remote parameters.
 */
function remoteInput(
  modelInput: string,
  parameters: ReadonlyMap<string, string>,
  modelConfig: ReadonlyMap<string, string>,
  inputs: ReadonlyMap<string, string>,
): PredictInput {
  let payload = substitute(modelInput, '${model_config.', mapResolver(modelConfig));
  payload = substitute(payload, '${input_map.', mapResolver(inputs));
  payload = substitute(
    payload,
    '${ml_inference.',
    mapResolver({ parameters: toParameterValue(Object.fromEntries(parameters)) }),
  );
  const parsed: unknown = isJsonObjectOrArray(payload) ? JSON.parse(payload) : undefined;
  if (!isJsonObject(parsed)) throw illegalArgument(`Invalid payload: ${payload}`);
  const remoteParameters = parsed['parameters'];
  return {
    kind: 'remote',
    parameters: isJsonObject(remoteParameters) ? toParameterStrings(remoteParameters) : {},
  };
}

/** Writes one `output_map` entry (MLInferenceIngestProcessor.appendFieldValue). */
function writeOutput(
  document: IngestDocument,
  field: string,
  locator: string,
  answer: PredictAnswer,
  options: PredictionOptions,
): void {
  const { base, pooling } = splitPooling(locator);
  let value = modelOutputValue(answer, base, options.ignoreMissing, options.fullResponsePath);
  if (pooling) value = applyPooling(pooling, value);
  const paths = outputPaths(document, field);
  if (paths.length === 1) return setOutput(document, paths[0]!, value, options.ignoreMissing);
  if (!Array.isArray(value))
    throw illegalArgument('Model output is not an array, cannot assign to array in documents.');
  if (value.length !== paths.length) {
    throw illegalArgument(
      `the prediction field: ${locator} is an array in size of ${value.length} but the document field array from field ${field} is in size of ${paths.length}`,
    );
  }
  paths.forEach((path, index) => setOutput(document, path, value[index], options.ignoreMissing));
}

/** `IngestDocument.setFieldValue(..., ignoreEmptyValue)`: with ignore_missing, null and "" are not written. */
function setOutput(
  document: IngestDocument,
  path: string,
  value: unknown,
  ignoreMissing: boolean,
): void {
  if (ignoreMissing && (value === null || value === undefined || value === '')) return;
  document.setField(path, structuredClone(value));
}
