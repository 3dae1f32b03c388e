/**
 * What the `ml_inference` search request and response processors share (ML Commons
 * ModelExecutor): the options, how a predict request is built from mapped values, and how mapped
 * outputs are read from the answer.
 */
import { gsonToJson } from '../../connectors/functions/gson-json.js';
import type { PredictInput } from '../../connectors/functions/types.js';
import { mapResolver, substitute } from '../../connectors/template/string-substitutor.js';
import { illegalArgument } from '../../errors/opensearch-error.js';
import { isJsonObject } from '../../util/json.js';
import { processorConfigError } from '../validate-config.js';
import { readPath } from './json-path.js';
import type { PredictAnswer } from './model-answers.js';

/** One mapping: model input name → path, or output field → model output path. */
export type FieldMapping = Record<string, string>;

export interface MlInferenceCommonConfig {
  model_id: string;
  function_name: string;
  model_input?: string;
  model_config?: Record<string, unknown>;
  input_map?: FieldMapping[];
  output_map?: FieldMapping[];
  full_response_path: boolean;
  ignore_missing: boolean;
  max_prediction_tasks: number;
}

export const DEFAULT_MODEL_INPUT = '{ "parameters": ${ml_inference.parameters} }';

const mappingList = (description: string) => ({
  type: 'array',
  items: { type: 'object', additionalProperties: { type: 'string' } },
  description,
});

/** Schema properties of the options both processors take. */
export const commonProperties = {
  model_id: { type: 'string', description: 'The remote model to call.' },
  function_name: { type: 'string', default: 'remote', description: 'Only `remote` (any case): the sidecar hosts remote models.' },
  model_input: { type: 'string', description: 'Predict request template; default `{ "parameters": ${ml_inference.parameters} }`.' },
  model_config: { type: 'object', description: 'Extra parameters (non-strings become JSON), also `${model_config.<key>}` in `model_input`.' },
  input_map: mappingList('One map per prediction: model input name → path of the value to send.'),
  output_map: mappingList('One map per prediction: field to write → path in the model output.'),
  full_response_path: { type: 'boolean', default: false, description: 'Output paths address the whole predict answer instead of the tensor `dataAsMap`.' },
  ignore_missing: { type: 'boolean', default: false, description: 'Skip missing inputs instead of failing; a missing output path yields the whole output.' },
  max_prediction_tasks: { type: 'integer', default: 10, description: 'Largest number of `input_map` entries (predictions) allowed.' },
} as const;

/** Remote is the only function: local models never reach the sidecar. */
export function checkRemoteFunction(type: string, tag: string | undefined, functionName: string): void {
  if (functionName.toLowerCase() !== 'remote') {
    throw processorConfigError(type, tag, 'function_name', `[function_name] only remote models are supported, not [${functionName}]`);
  }
}

/** ML Commons' parameter value: a string stays raw, anything else becomes Gson's JSON. */
export function parameterString(value: unknown): string {
  return typeof value === 'string' ? value : gsonToJson(value);
}

/** `model_config` as the parameter map it contributes (StringUtils.getParameterMap). */
export function parameterMap(values: Readonly<Record<string, unknown>> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(values ?? {}).map(([key, value]) => [key, parameterString(value)]));
}

/** ML Commons' combineMaps: maps at the same index are merged; the longer list's extra maps are kept. */
export function combineMappings(first: readonly FieldMapping[] | undefined, second: readonly FieldMapping[] | undefined): FieldMapping[] {
  const length = Math.max(first?.length ?? 0, second?.length ?? 0);
  return Array.from({ length }, (_, index) => ({ ...first?.[index], ...second?.[index] }));
}

/**
 * The predict input for one prediction (ModelExecutor.getMLModelInferenceRequest): `model_input`
 * with `${model_config.*}`, then `${input_map.*}` (input keys not also in `model_config`), then
 * `${ml_inference.parameters}` (the JSON of every parameter) substituted; it must be JSON with a
 * `parameters` object, whose non-string values become JSON text.
 */
export function buildRemoteInput(template: string, modelConfig: Readonly<Record<string, string>>, inputs: Readonly<Record<string, string>>): PredictInput {
  const parameters = { ...modelConfig, ...inputs };
  const inputOnly = Object.fromEntries(Object.entries(inputs).filter(([key]) => !Object.hasOwn(modelConfig, key)));
  let payload = substitute(template, '${model_config.', mapResolver(modelConfig));
  payload = substitute(payload, '${input_map.', mapResolver(inputOnly));
  payload = substitute(payload, '${ml_inference.', mapResolver({ parameters: gsonToJson(parameters) }));
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    throw illegalArgument(`Invalid payload: ${payload}`);
  }
  if (!isJsonObject(parsed)) throw illegalArgument(`Invalid payload: ${payload}`);
  const sent = isJsonObject(parsed['parameters']) ? parsed['parameters'] : {};
  return { kind: 'remote', parameters: parameterMap(sent) };
}

export interface OutputReadOptions {
  readonly ignoreMissing: boolean;
  readonly fullResponsePath: boolean;
}

/**
 * One mapped output (ModelExecutor.getModelOutputValue). Without `full_response_path` the path
 * addresses the first result's tensor: a `dataAsMap` key, else a JSONPath in it; a tensor without
 * `dataAsMap` gives its `data`; several tensors give a list. With it, the path is a JSONPath over the
 * whole answer. No path gives the whole output. With `ignore_missing` a missing path gives the whole output.
 */
export function readModelOutput(answer: PredictAnswer, path: string | undefined, options: OutputReadOptions): unknown {
  if (options.fullResponsePath) {
    if (path === undefined) return answer;
    const lookup = readPath(answer, path);
    if (lookup.found) return lookup.value;
    if (options.ignoreMissing) return answer;
    throw illegalArgument(`model inference output cannot find such json path: ${path}`);
  }
  const first = answer.inference_results[0];
  if (first === undefined) throw illegalArgument('Model outputs are null or empty.');
  const tensors = first.output ?? [];
  if (tensors.length === 0) throw illegalArgument('Output tensors are null or empty.');
  const values = tensors.map((tensor) => {
    if (tensor.dataAsMap === undefined) return tensor.data ?? [];
    return readTensorField(tensor.dataAsMap, path, options.ignoreMissing);
  });
  return values.length === 1 ? values[0] : values;
}

function readTensorField(dataAsMap: Record<string, unknown>, path: string | undefined, ignoreMissing: boolean): unknown {
  if (path === undefined) return dataAsMap;
  if (Object.hasOwn(dataAsMap, path)) return dataAsMap[path];
  const lookup = readPath(dataAsMap, path);
  if (lookup.found) return lookup.value;
  if (ignoreMissing) return dataAsMap;
  throw illegalArgument(`model inference output cannot find field name: ${path}`);
}
