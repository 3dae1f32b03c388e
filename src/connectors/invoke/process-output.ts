import { illegalArgument, OpenSearchError } from '../../errors/opensearch-error.js';
import { applyResponseFilter, dataTypeFromFilter, isBuiltinFunctionName, lookupPostProcess } from '../functions/index.js';
import type { DataType, ModelTensor } from '../functions/types.js';
import type { ConnectorAction } from '../connector-record.js';
import { isJsonObjectOrArray } from '../template/escape-json.js';
import type { ScriptFunctions } from './script-functions.js';

const TENSOR_FIELDS = ['name', 'data_type', 'shape', 'data', 'result', 'dataAsMap'] as const;

/**
 * Turns a provider response into tensors (ConnectorUtils.processOutput): a built-in function over
 * the `response_filter` (or its default path), a Painless script over the response's top-level
 * fields, or, with neither, the whole response as `{"name":"response","dataAsMap":...}`.
 */
export function runPostProcess(
  action: ConnectorAction,
  responseBody: string,
  parameters: Readonly<Record<string, string | null>>,
  scripts: ScriptFunctions,
  /** The body already parsed, when the caller parsed it (undefined: parse here). */
  parsed?: { readonly value: unknown },
): ModelTensor[] {
  const name = action.post_process_function;
  const responseFilter = parameters['response_filter'] ?? undefined;
  const response = (): unknown => (parsed === undefined ? parseResponse(responseBody) : parsed.value);
  if (name !== undefined && isBuiltinFunctionName(name)) {
    const fn = lookupPostProcess(name);
    const path = responseFilter && responseFilter.trim() !== '' ? responseFilter : fn.defaultPath;
    return fn.process(applyResponseFilter(response(), path), dataTypeFromFilter(path));
  }
  if (name !== undefined) {
    const output = scripts.run(name, scriptParams(response()));
    if (output === null || output === undefined) {
      // ML Commons falls back to the raw response when a script returns nothing.
      return rawTensors(responseBody, responseFilter);
    }
    const text = typeof output === 'string' ? output : JSON.stringify(output);
    return isJsonObjectOrArray(text) ? scriptTensors(JSON.parse(text)) : [{ name: 'response', dataAsMap: { response: text } }];
  }
  return rawTensors(responseBody, responseFilter, parsed);
}

function parseResponse(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new OpenSearchError({
      status: 502,
      type: 'status_exception',
      reason: `Remote service returned a response that is not JSON: ${body.slice(0, 200)}`,
    });
  }
}

/** A script's `params`: the response's top-level fields, or `result` for an array. */
function scriptParams(response: unknown): Record<string, unknown> {
  if (Array.isArray(response)) return { result: response };
  if (typeof response === 'object' && response !== null) return { ...(response as Record<string, unknown>) };
  return { result: response };
}

function rawTensors(body: string, responseFilter: string | undefined, parsed?: { readonly value: unknown }): ModelTensor[] {
  let value: unknown;
  try {
    value = parsed === undefined ? JSON.parse(body) : parsed.value;
  } catch {
    return [{ name: 'response', dataAsMap: { response: body } }];
  }
  if (responseFilter) {
    const filtered = applyResponseFilter(value, responseFilter);
    if (filtered !== undefined) value = filtered;
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return [{ name: 'response', dataAsMap: value as Record<string, unknown> }];
  }
  return [{ name: 'response', dataAsMap: { response: value } }];
}

/** A script's JSON result: one tensor object or an array of them; unknown keys are skipped. */
function scriptTensors(value: unknown): ModelTensor[] {
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => {
    if (typeof item !== 'object' || item === null) throw illegalArgument('Post process function output is not a model tensor');
    const tensor: Record<string, unknown> = {};
    for (const field of TENSOR_FIELDS) if (Object.hasOwn(item, field)) tensor[field] = (item as Record<string, unknown>)[field];
    if (tensor['data'] !== undefined && tensor['data_type'] === undefined) tensor['data_type'] = 'FLOAT32' satisfies DataType;
    return tensor as ModelTensor;
  });
}
