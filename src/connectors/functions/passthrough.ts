/**
 * `connector.post_process.mlcommons.passthrough` (RemoteMlCommonsPassthroughPostProcessFunction, 3.3):
 * a connector that calls another ML Commons (or anything answering in its `inference_results`
 * envelope) gets that envelope's tensors back as they were, instead of wrapped in `dataAsMap`.
 */
import { illegalArgument } from '../../errors/opensearch-error.js';
import { requireModelOutput } from './embedding-tensors.js';
import { isRecord } from './json-values.js';
import { DATA_TYPES } from './response-filter.js';
import type { DataType, ModelTensor, PostProcessFunction } from './types.js';

// MLResultDataType.valueOf: exact, case-sensitive names.
function isDataType(value: unknown): value is DataType {
  return DATA_TYPES.some((type) => type === value);
}

/**
 * createModelTensorFromMap: `name` defaults to "output"; an unknown `data_type` is dropped; a
 * non-number shape entry becomes 0 (Java's long default). Java keeps a non-number `data` entry as a
 * null slot and fails on a non-string `name`/`result`; those are dropped here instead.
 */
function tensorFromMap(map: Record<string, unknown>): ModelTensor {
  const tensor: ModelTensor = { name: typeof map['name'] === 'string' ? map['name'] : 'output' };
  if (isDataType(map['data_type'])) tensor.data_type = map['data_type'];
  const shape = map['shape'];
  if (Array.isArray(shape)) tensor.shape = shape.map((item: unknown) => (typeof item === 'number' ? Math.trunc(item) : 0));
  const data = map['data'];
  if (Array.isArray(data)) tensor.data = data.filter((item: unknown): item is number => typeof item === 'number');
  if (typeof map['result'] === 'string') tensor.result = map['result'];
  if (isRecord(map['dataAsMap'])) tensor.dataAsMap = map['dataAsMap'];
  return tensor;
}

/** The passthrough built-in: every `inference_results[].output[]` entry rebuilt as a tensor. */
export const mlCommonsPassthroughPostProcess = {
  defaultPath: '$',
  process: (filtered) => {
    const output = requireModelOutput(filtered);
    if (Array.isArray(output)) {
      // Java accepts a List in validate and then fails casting it to a Map; wrap it the way a
      // connector without post-processing wraps a top-level array.
      return [{ name: 'response', dataAsMap: { response: output } }];
    }
    if (!isRecord(output)) throw illegalArgument('Post process function input must be a Map or List');
    const results = output['inference_results'];
    if (!Array.isArray(results)) return [{ name: 'response', dataAsMap: output }];
    return results
      .filter(isRecord)
      .flatMap((result) => (Array.isArray(result['output']) ? result['output'] : []))
      .filter(isRecord)
      .map(tensorFromMap);
  },
} satisfies PostProcessFunction;
