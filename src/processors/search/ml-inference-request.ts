import { gsonToJson } from '../../connectors/functions/gson-json.js';
import { mapResolver, substitute } from '../../connectors/template/string-substitutor.js';
import { illegalArgument, jsonParseError } from '../../errors/opensearch-error.js';
import { isJsonObject } from '../../util/json.js';
import { defineProcessor } from '../processor-definition.js';
import { setCreatingPath, setExistingPath } from './json-path.js';
import {
  buildRemoteInput,
  checkRemoteFunction,
  combineMappings,
  commonProperties,
  DEFAULT_MODEL_INPUT,
  parameterMap,
  parameterString,
  readModelOutput,
  type FieldMapping,
  type MlInferenceCommonConfig,
} from './ml-inference-model.js';
import { normaliseSearchBody, readRequestPath } from './normalise-query.js';

type JsonObject = Record<string, unknown>;

export interface MlInferenceRequestConfig extends MlInferenceCommonConfig {
  query_template?: string;
  optional_input_map?: FieldMapping[];
  optional_output_map?: FieldMapping[];
}

const TYPE = 'ml_inference';
const EXTENSIONS_COPIED_TO_ATTRIBUTES = ['ml_inference', 'generative_qa_parameters'];

/**
 * The `ml_inference` search request processor (ML Commons MLInferenceSearchRequestProcessor):
 * one prediction per `input_map` entry, all concurrent, with inputs read from the normalised
 * query (short forms accepted too) or `ext.ml_inference`; outputs are written at existing query
 * paths or into `ext.*`, or substituted into `query_template`, and every output is also stored as
 * a request attribute under its output key. Unlike ML Commons, every mapping's outputs are applied.
 */
export const mlInferenceRequestProcessor = defineProcessor({
  type: TYPE,
  kind: 'search_request',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['model_id'],
    properties: {
      ...commonProperties,
      query_template: { type: 'string', description: 'A new search body in which `${<output key>}` is replaced by the model output.' },
      optional_input_map: { ...commonProperties.input_map, description: 'Like `input_map`, but a missing path is skipped.' },
      optional_output_map: { ...commonProperties.output_map, description: 'Like `output_map`, merged with it index by index.' },
    },
  },
  create(config: MlInferenceRequestConfig, deps, tag) {
    checkRemoteFunction(TYPE, tag, config.function_name);
    if (!config.input_map?.length && !config.optional_input_map?.length) {
      throw illegalArgument('Please provide at least one non-empty input_map or optional_input_map for ML Inference Search Request Processor');
    }
    if (!config.output_map?.length && !config.optional_output_map?.length) {
      throw illegalArgument('Please provide at least one non-empty output_map or optional_output_map for ML Inference Search Request Processor');
    }
    const inputMaps = combineMappings(config.input_map, config.optional_input_map);
    const outputMaps = combineMappings(config.output_map, config.optional_output_map);
    if (inputMaps.length > config.max_prediction_tasks) {
      throw illegalArgument(
        `The number of prediction task setting in this process is ${inputMaps.length}. It exceeds the max_prediction_tasks of ${config.max_prediction_tasks}. Please reduce the size of input_map or optional_input_map or increase max_prediction_tasks.`,
      );
    }
    if (outputMaps.length !== inputMaps.length) {
      throw illegalArgument(
        `when output_maps/optional_output_maps and input_maps/optional_input_maps are provided, their length needs to match. The input is in length of ${inputMaps.length}, while output_maps is in the length of ${outputMaps.length}. Please adjust mappings.`,
      );
    }
    const modelConfig = parameterMap(config.model_config);
    const template = config.model_input ?? DEFAULT_MODEL_INPUT;
    const outputOptions = { ignoreMissing: config.ignore_missing, fullResponsePath: config.full_response_path };

    return {
      type: TYPE,
      async processRequest(context) {
        const original = context.body;
        const normalised = normaliseSearchBody(original);
        copyExtensionsToAttributes(original, context.attributes);
        const missing = firstMissingPath(config, normalised, original);
        if (missing !== undefined) {
          // ignore_missing skips the processor; ML Commons still ran the predictions [quirk].
          if (config.ignore_missing) return;
          throw illegalArgument(`cannot find field: ${missing} in query string: ${JSON.stringify(normalised)}`);
        }
        const answers = await Promise.all(
          inputMaps.map((mapping) => {
            const inputs: Record<string, string> = {};
            for (const [name, path] of Object.entries(mapping)) {
              const lookup = readRequestPath(normalised, original, path);
              if (lookup.found) inputs[name] = parameterString(lookup.value);
            }
            return deps.predictor.predict(config.model_id, buildRemoteInput(template, modelConfig, inputs));
          }),
        );
        const outputs: Array<[string, unknown]> = outputMaps.flatMap((mapping, index) =>
          Object.entries(mapping).map(([key, path]): [string, unknown] => [key, readModelOutput(answers[index]!, path, outputOptions)]),
        );
        for (const [key, value] of outputs) context.attributes.set(key, value);
        context.body = config.query_template === undefined ? writeOutputs(original, outputs) : renderTemplate(config.query_template, outputs);
      },
    };
  },
});

/** The first required path that is missing: an `input_map` path, or a `query.` output path (without a template). */
function firstMissingPath(config: MlInferenceRequestConfig, normalised: JsonObject, original: JsonObject): string | undefined {
  const exists = (path: string) => readRequestPath(normalised, original, path).found;
  for (const mapping of config.input_map ?? []) {
    const missing = Object.values(mapping).find((path) => !exists(path));
    if (missing !== undefined) return missing;
  }
  if (config.query_template !== undefined) return undefined;
  for (const mapping of config.output_map ?? []) {
    const missing = Object.keys(mapping).find((key) => (key.startsWith('query.') || key.startsWith('$.query.')) && !exists(key));
    if (missing !== undefined) return missing;
  }
  return undefined;
}

/**
 * Writes each output into a copy of the body: `ext.*` paths are created; other paths are set where
 * they exist, in the body as sent or else in its normalised form (which the body then becomes,
 * as OpenSearch's re-parsed request would); a path that exists in neither is skipped.
 */
function writeOutputs(original: JsonObject, outputs: ReadonlyArray<[string, unknown]>): JsonObject {
  let body = structuredClone(original);
  for (const [key, value] of outputs) {
    if (key.startsWith('ext.') || key.startsWith('$.ext.')) {
      setCreatingPath(body, key, value);
    } else if (setExistingPath(body, key, value) === 0) {
      const normalised = normaliseSearchBody(body);
      if (setExistingPath(normalised, key, value) > 0) body = normalised;
    }
  }
  return body;
}

/**
 * `query_template` with `${<output key>}` replaced (Apache StringSubstitutor): strings raw (the
 * template quotes them), objects and lists as JSON, numbers and booleans as text. The result is the new body.
 */
function renderTemplate(template: string, outputs: ReadonlyArray<[string, unknown]>): JsonObject {
  const values = Object.fromEntries(outputs.map(([key, value]) => [key, typeof value === 'object' && value !== null ? gsonToJson(value) : String(value)]));
  const rendered = substitute(template, '${', mapResolver(values));
  let parsed: unknown;
  try {
    parsed = JSON.parse(rendered);
  } catch (error) {
    throw jsonParseError(`Failed to parse the query_template after substitution: ${(error as Error).message}`);
  }
  if (!isJsonObject(parsed)) throw jsonParseError('The query_template must render a JSON object');
  return parsed;
}

/** ML Commons' setRequestContextFromExt: `ext.ml_inference.<k>` and `ext.generative_qa_parameters.<k>` attributes. */
function copyExtensionsToAttributes(body: JsonObject, attributes: Map<string, unknown>): void {
  const ext = body['ext'];
  if (!isJsonObject(ext)) return;
  for (const name of EXTENSIONS_COPIED_TO_ATTRIBUTES) {
    const parameters = ext[name];
    if (!isJsonObject(parameters)) continue;
    for (const [key, value] of Object.entries(parameters)) attributes.set(`ext.${name}.${key}`, value);
  }
}
