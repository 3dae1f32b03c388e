import { illegalArgument } from '../../errors/opensearch-error.js';
import { isJsonObject } from '../../util/json.js';
import { defineProcessor, type ModelPredictor } from '../processor-definition.js';
import { readPath, setCreatingPath, type PathLookup } from './json-path.js';
import {
  buildRemoteInput,
  checkRemoteFunction,
  commonProperties,
  DEFAULT_MODEL_INPUT,
  parameterMap,
  readModelOutput,
  type FieldMapping,
  type MlInferenceCommonConfig,
} from './ml-inference-model.js';
import type { PredictAnswer } from './model-answers.js';
import { normaliseSearchBody, readRequestPath } from './normalise-query.js';
import { searchHits, type SearchHit } from './search-hits.js';

type JsonObject = Record<string, unknown>;

export interface MlInferenceResponseConfig extends MlInferenceCommonConfig {
  override: boolean;
  one_to_one: boolean;
}

const TYPE = 'ml_inference';
const EXTENSION_PREFIXES = ['ext.ml_inference', '$.ext.ml_inference'];
const REQUEST_PREFIXES = ['$._request.', '_request.'];
const DEFAULT_OUTPUT_FIELD = 'inference_results';

/** How one page (or, with `one_to_one`, one hit) is sent to the model. */
interface Prediction {
  readonly contributing: SearchHit[];
  readonly outputMapping: Readonly<Record<string, string | undefined>>;
}

/**
 * The `ml_inference` search response processor (ML Commons MLInferenceSearchResponseProcessor).
 * By default one prediction per `input_map` entry for the whole page, each input a list of the
 * hits' values; with `one_to_one`, one prediction per hit (concurrently; hits keep their order).
 * Outputs go into each hit's `_source` (a list as long as the contributing hits is spread over
 * them) or into the response's `ext.ml_inference`. Hits without `_source` are left alone.
 */
export const mlInferenceResponseProcessor = defineProcessor({
  type: TYPE,
  kind: 'search_response',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['model_id'],
    properties: {
      ...commonProperties,
      override: { type: 'boolean', default: false, description: 'Overwrite a `_source` field that already exists (else it is kept).' },
      one_to_one: { type: 'boolean', default: false, description: 'One prediction per hit instead of one per page.' },
    },
  },
  create(config: MlInferenceResponseConfig, deps, tag) {
    checkRemoteFunction(TYPE, tag, config.function_name);
    const inputMaps = config.input_map ?? [];
    if (inputMaps.length > config.max_prediction_tasks) {
      throw illegalArgument(
        `The number of prediction task setting in this process is ${inputMaps.length}. It exceeds the max_prediction_tasks of ${config.max_prediction_tasks}. Please reduce the size of input_map or increase max_prediction_tasks.`,
      );
    }
    if (config.input_map && config.output_map && config.output_map.length !== config.input_map.length) {
      throw illegalArgument(
        `when output_maps and input_maps are provided, their length needs to match. The input_maps is in length of ${config.input_map.length}, while output_maps is in the length of ${config.output_map.length}. Please adjust mappings.`,
      );
    }
    const writesExtension = (config.output_map ?? []).some((mapping) => Object.keys(mapping).some(isExtensionKey));
    if (writesExtension && config.one_to_one) {
      throw illegalArgument('Write model response to search extension is not supported when one_to_one is true');
    }
    const page = new PageInference(config, deps.predictor);
    return {
      type: TYPE,
      async processResponse(context) {
        const hits = searchHits(context.response).filter((hit) => isJsonObject(hit['_source']));
        if (hits.length === 0) return;
        const request = { normalised: normaliseSearchBody(context.request.body), original: context.request.body };
        if (!config.one_to_one) {
          const extension = await page.run(hits, request);
          for (const [key, value] of extension) setCreatingPath(context.response, key, value);
          return;
        }
        // Each prediction writes into its own hit, so the hits keep their order whatever the completion order.
        await Promise.all(hits.map((hit) => page.run([hit], request)));
      },
    };
  },
});

class PageInference {
  private readonly modelConfig: Record<string, string>;
  private readonly template: string;

  constructor(
    private readonly config: MlInferenceResponseConfig,
    private readonly predictor: ModelPredictor,
  ) {
    this.modelConfig = parameterMap(config.model_config);
    this.template = config.model_input ?? DEFAULT_MODEL_INPUT;
  }

  /** Runs every mapping over `hits`, writes the `_source` outputs, and answers the `ext.ml_inference` outputs. */
  async run(hits: SearchHit[], request: { normalised: JsonObject; original: JsonObject }): Promise<Array<[string, unknown]>> {
    const count = Math.max(this.config.input_map?.length ?? 0, 1);
    const predictions: Prediction[] = [];
    const calls: Array<Promise<PredictAnswer>> = [];
    for (let index = 0; index < count; index += 1) {
      const inputMapping = this.config.input_map?.[index];
      const contributing: SearchHit[] = [];
      const inputs: Record<string, unknown> = {};
      for (const hit of hits) {
        const values = this.inputValues(hit, inputMapping, request);
        if (values === undefined) continue;
        contributing.push(hit);
        for (const [name, value] of Object.entries(values)) {
          if (this.config.one_to_one) inputs[name] = value;
          else ((inputs[name] ??= []) as unknown[]).push(value);
        }
      }
      // Nobody to write for: ML Commons would still call the model with empty inputs.
      if (contributing.length === 0) continue;
      predictions.push({ contributing, outputMapping: this.config.output_map?.[index] ?? { [DEFAULT_OUTPUT_FIELD]: undefined } });
      calls.push(this.predictor.predict(this.config.model_id, buildRemoteInput(this.template, this.modelConfig, parameterMap(inputs))));
    }
    const answers = await Promise.all(calls);
    const extension: Array<[string, unknown]> = [];
    const options = { ignoreMissing: this.config.ignore_missing, fullResponsePath: this.config.full_response_path };
    predictions.forEach((prediction, index) => {
      for (const [key, path] of Object.entries(prediction.outputMapping)) {
        const value = readModelOutput(answers[index]!, path, options);
        if (isExtensionKey(key)) extension.push([key, value]);
        else this.writeToHits(prediction.contributing, key, value);
      }
    });
    return extension;
  }

  /** A hit's values for one mapping (all `_source` fields without one); undefined when it lacks one. */
  private inputValues(hit: SearchHit, mapping: FieldMapping | undefined, request: { normalised: JsonObject; original: JsonObject }): JsonObject | undefined {
    const source = hit['_source'] as JsonObject;
    if (mapping === undefined) return source;
    const values: JsonObject = {};
    for (const [name, path] of Object.entries(mapping)) {
      const lookup = readHitPath(source, path, request);
      if (!lookup.found) {
        if (this.config.ignore_missing) return undefined;
        throw illegalArgument(`cannot find all required input fields: [${Object.values(mapping).join(', ')}] in hit:${JSON.stringify(hit)}`);
      }
      values[name] = lookup.value;
    }
    return values;
  }

  /** A list as long as the contributing hits gives each its element; any other value goes to every hit. */
  private writeToHits(hits: readonly SearchHit[], key: string, value: unknown): void {
    const spread = Array.isArray(value) && value.length === hits.length;
    hits.forEach((hit, index) => {
      const source = hit['_source'] as JsonObject;
      if (Object.hasOwn(source, key) && !this.config.override) return;
      if (key === '__proto__') throw illegalArgument(`Illegal key [${key}] in output_map`);
      source[key] = structuredClone(spread ? (value as unknown[])[index] : value);
    });
  }
}

function readHitPath(source: JsonObject, path: string, request: { normalised: JsonObject; original: JsonObject }): PathLookup {
  const prefix = REQUEST_PREFIXES.find((candidate) => path.startsWith(candidate));
  if (prefix === undefined) return readPath(source, path);
  return readRequestPath(request.normalised, request.original, path.slice(prefix.length));
}

function isExtensionKey(key: string): boolean {
  return EXTENSION_PREFIXES.some((prefix) => key === prefix || key.startsWith(`${prefix}.`));
}
