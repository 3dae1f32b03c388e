import { illegalArgument } from '../../errors/opensearch-error.js';
import { isBuiltinFunctionName, lookupPreProcess } from '../functions/index.js';
import type { PredictInput } from '../functions/types.js';
import type { ConnectorAction } from '../connector-record.js';
import { gsonEscape } from '../template/escape-json.js';
import { toParameterStrings } from '../connector-input.js';
import type { ScriptFunctions } from './script-functions.js';

const DEFAULT_EMBEDDING = 'connector.pre_process.default.embedding';
const PROCESS_REMOTE_INPUT = 'pre_process_function.process_remote_inference_input';
const CONVERT_PARAMS_TO_OBJECT = 'pre_process_function.convert_remote_inference_param_to_object';
const CONVERT_INPUT_TO_JSON_STRING = 'pre_process_function.convert_input_to_json_string';

/** The pre-process function an action applies to an input kind (ML Commons' getPreprocessFunction). */
export function preProcessName(action: ConnectorAction, input: PredictInput): string | undefined {
  return action.pre_process_function ?? (input.kind === 'text_docs' ? DEFAULT_EMBEDDING : undefined);
}

/** Whether text docs go one per provider call (Bedrock and Painless pre-processes) or all together. */
export function docsPerRequest(action: ConnectorAction, input: PredictInput): 'all' | 'one' {
  const name = preProcessName(action, input);
  if (name === undefined || action.pre_process_function === undefined) return 'all';
  return isBuiltinFunctionName(name) ? lookupPreProcess(name).docsPerRequest : 'one';
}

/**
 * Runs the pre-process step (ConnectorUtils.processInput) and returns the parameters it adds.
 * `currentParameters` gives the map so far (connector + caller), which only scripts read, so it is
 * built only for them.
 */
export function runPreProcess(
  action: ConnectorAction,
  input: PredictInput,
  currentParameters: () => Readonly<Record<string, string | null>>,
  scripts: ScriptFunctions,
): Record<string, string | null> {
  const name = preProcessName(action, input);
  if (name === undefined) {
    if (input.kind === 'remote') return {};
    throw illegalArgument('pre_process_function not defined in connector');
  }
  if (isBuiltinFunctionName(name)) {
    return input.kind === 'remote' ? {} : lookupPreProcess(name).process(input);
  }
  const parameters = currentParameters();
  if (input.kind === 'remote') {
    if (parameters[PROCESS_REMOTE_INPUT] !== 'true') return {};
    return parseScriptParameters(scripts.run(name, remoteScriptParams(parameters)));
  }
  return parseScriptParameters(scripts.run(name, textScriptParams(input, parameters[CONVERT_INPUT_TO_JSON_STRING] === 'true')));
}

function remoteScriptParams(parameters: Readonly<Record<string, string | null>>): Record<string, unknown> {
  const toObject = parameters[CONVERT_PARAMS_TO_OBJECT] === 'true';
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parameters)) params[key] = toObject && value !== null ? parseOrKeep(value) : value;
  return params;
}

/** MLInput.toXContent with each doc JSON-escaped first (ConnectorUtils.escapeMLInput). */
function textScriptParams(input: Exclude<PredictInput, { kind: 'remote' }>, asJsonString: boolean): Record<string, unknown> {
  const escape = (doc: string | null) => (doc === null ? null : gsonEscape(doc));
  const params: Record<string, unknown> =
    input.kind === 'text_docs'
      ? { algorithm: 'TEXT_EMBEDDING', text_docs: input.textDocs.map(escape), return_bytes: false, return_number: true }
      : { algorithm: 'TEXT_SIMILARITY', query_text: escape(input.queryText), text_docs: input.textDocs.map(escape) };
  return asJsonString ? { parameters: toParameterStrings(params) } : params;
}

/** A script returns `{"parameters": {...}}` as JSON text; values become parameter strings. */
function parseScriptParameters(result: unknown): Record<string, string | null> {
  if (result === null || result === undefined) throw illegalArgument('Preprocess function output is null');
  let parsed: unknown;
  try {
    parsed = typeof result === 'string' ? JSON.parse(result) : result;
  } catch {
    throw illegalArgument(`Preprocess function output is not valid JSON: ${String(result).slice(0, 200)}`);
  }
  const parameters = (parsed as { parameters?: unknown } | null)?.parameters;
  if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) {
    throw illegalArgument('Preprocess function output must be a JSON object with a "parameters" object');
  }
  return toParameterStrings(parameters as Record<string, unknown>);
}

function parseOrKeep(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
