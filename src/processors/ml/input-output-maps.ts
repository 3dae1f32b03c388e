import { JSONPath } from 'jsonpath-plus';
import { applyResponseFilter } from '../../connectors/functions/response-filter.js';
import type { ModelTensor } from '../../connectors/functions/types.js';
import { illegalArgument } from '../../errors/opensearch-error.js';
import type { IngestDocument } from '../../pipeline/ingest-document.js';
import { isJsonObject } from '../../util/json.js';
import { type PredictAnswer, unusableModelOutput } from './model-output.js';

// Jayway's indefinite paths (deep scan, wildcard, filter, union, slice) match many nodes.
const INDEFINITE_PATH = /\.\.|\*|\[\s*\?|\[[^\]]*[,:][^\]]*\]/;

/**
 * ML Commons' `StringUtils.toJson` for parameter values: a string as it is, anything else as Gson
 * writes it (JSON with `<`, `>`, `&`, `=`, `'` escaped, which is the same JSON value).
 */
export function toParameterValue(value: unknown): string {
  if (typeof value === 'string') return value;
  return (JSON.stringify(value) ?? 'null').replace(
    /[<>&='\u2028\u2029]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * Reads an `input_map` value (MLInferenceIngestProcessor.getMappedModelInputFromDocuments): an
 * ingest dot path first (`book.title`, `_ingest._value.text`, `items.0.name`), then a JSONPath
 * over source and metadata (`book.*.chunk.text.*.context`, `$.items[*].name`), where an empty
 * match is missing. Missing is an error unless `ignoreMissing`, then `undefined`.
 */
export function readInputField(
  document: IngestDocument,
  path: string,
  ignoreMissing: boolean,
): { value: unknown } | undefined {
  if (hasDotPath(document, path)) return { value: document.getField(path) };
  let value: unknown;
  try {
    value = applyResponseFilter(document.sourceAndMetadata, path);
  } catch {
    // Not a JSONPath either: ML Commons fails even with ignore_missing.
    throw missingInputField(path);
  }
  const found = Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null;
  if (found) return { value };
  if (ignoreMissing) return undefined;
  throw missingInputField(path);
}

/** ML Commons' error for an `input_map` field the document does not have. */
export const missingInputField = (path: string) =>
  illegalArgument(`Cannot find field name defined from input map: ${path}`);

function hasDotPath(document: IngestDocument, path: string): boolean {
  try {
    return path !== '' && document.hasField(path);
  } catch {
    return false;
  }
}

/**
 * The concrete fields an `output_map` key names (ModelExecutor.writeNewDotPathForNestedObject): a
 * wildcard before the last dot expands over the document (`_ingest` included), so
 * `book.*.chunk.text.*.embedding` gives `book.0.chunk.text.0.embedding`, ...; a key without one is
 * itself, even when its parents do not exist yet (ML Commons then finds no path and skips it).
 */
export function outputPaths(document: IngestDocument, key: string): string[] {
  const lastDot = key.lastIndexOf('.');
  if (lastDot === -1 || !INDEFINITE_PATH.test(key.slice(0, lastDot))) return [key];
  const json = { ...document.sourceAndMetadata, _ingest: document.ingestMetadata };
  let found: unknown;
  try {
    found = JSONPath({ path: key.slice(0, lastDot), json, resultType: 'path', wrap: true });
  } catch {
    found = []; // Jayway's SUPPRESS_EXCEPTIONS: a path that does not parse matches nothing.
  }
  const paths = Array.isArray(found) ? (found as string[]) : [];
  return paths.map((path) => `${toDotPath(path)}.${key.slice(lastDot + 1)}`);
}

/** `$['book'][0]['chunk']` → `book.0.chunk` (ModelExecutor.convertToDotPath). */
function toDotPath(path: string): string {
  const segments = [...path.matchAll(/\[(?:(\d+)|'((?:[^'\\]|\\.)*)')\]/g)].map(
    (match) => match[1] ?? match[2]!.replace(/\\(.)/g, '$1'),
  );
  return segments.join('.');
}

/**
 * The value an `output_map` locator (or, with `null`, the whole output) names in a predict answer
 * (ModelExecutor.getModelOutputValue). With `fullResponsePath` the locator is a JSONPath over the
 * whole answer. Otherwise it reads the first call's tensors: a tensor's `dataAsMap` by key, then by
 * JSONPath, or its typed `data`; several tensors give a list. A missing locator is an error, or
 * with `ignoreMissing` the whole output. ML Commons wraps these errors in a 500; they are 400 here.
 */
export function modelOutputValue(
  answer: PredictAnswer,
  locator: string | null,
  ignoreMissing: boolean,
  fullResponsePath: boolean,
): unknown {
  if (fullResponsePath) {
    const whole = { inference_results: answer.inference_results };
    if (locator === null) return whole;
    const value = applyResponseFilter(whole, locator);
    if (value !== undefined && value !== null) return value;
    if (ignoreMissing) return whole;
    throw illegalArgument(`model inference output cannot find such json path: ${locator}`);
  }
  const first = answer.inference_results[0];
  if (!first) throw unusableModelOutput('Model outputs are null or empty.');
  const tensors = first.output ?? [];
  if (tensors.length === 0) throw unusableModelOutput('Output tensors are null or empty.');
  const read = (tensor: ModelTensor) =>
    isJsonObject(tensor.dataAsMap)
      ? tensorField(tensor.dataAsMap, locator, ignoreMissing)
      : typedData(tensor);
  return tensors.length === 1 ? read(tensors[0]!) : tensors.map(read);
}

function tensorField(
  map: Record<string, unknown>,
  locator: string | null,
  ignoreMissing: boolean,
): unknown {
  if (locator === null) return map;
  if (Object.hasOwn(map, locator)) return map[locator];
  let value: unknown;
  try {
    value = applyResponseFilter(map, locator);
  } catch {
    value = undefined;
  }
  if (value !== undefined) return value;
  if (ignoreMissing) return map;
  throw illegalArgument(`model inference output cannot find field name: ${locator}`);
}

/** A tensor's `data` as its data type reads (ModelExecutor.parseDataInTensor). */
function typedData(tensor: ModelTensor): unknown {
  const data = tensor.data;
  if (!data) return null;
  switch (tensor.data_type) {
    case 'INT32':
    case 'INT8':
    case 'INT64':
    case 'UINT8':
      return data.map((value) => Math.trunc(value));
    case 'STRING':
      return data.map(String);
    case 'BOOLEAN':
      return data.map((value) => value !== 0);
    default:
      return data;
  }
}

/** `.meanPooling()` / `.maxPooling()` at the end of a locator (OutputTransformations). */
export function splitPooling(locator: string): { base: string; pooling?: 'mean' | 'max' } {
  for (const pooling of ['mean', 'max'] as const) {
    const suffix = `.${pooling}Pooling()`;
    if (locator.endsWith(suffix)) return { base: locator.slice(0, -suffix.length), pooling };
  }
  return { base: locator };
}

/** Reduces a list of equal-length vectors to their element-wise mean or max (OutputTransformations). */
export function applyPooling(pooling: 'mean' | 'max', value: unknown): number[] {
  const label = pooling === 'mean' ? 'Mean' : 'Max';
  if (!Array.isArray(value)) throw illegalArgument(`${label} pooling requires a list input`);
  if (value.length === 0 || !Array.isArray(value[0]))
    throw illegalArgument(`${label} pooling requires nested array structure`);
  const dimensions = (value[0] as unknown[]).length;
  const result = new Array<number>(dimensions).fill(
    pooling === 'mean' ? 0 : Number.NEGATIVE_INFINITY,
  );
  for (const vector of value) {
    if (!Array.isArray(vector)) throw illegalArgument('All elements must be vectors (lists)');
    if (vector.length !== dimensions)
      throw illegalArgument('All vectors must have the same dimension');
    vector.forEach((element: unknown, index) => {
      const number =
        typeof element === 'number' ? element : pooling === 'mean' ? 0 : Number.NEGATIVE_INFINITY;
      result[index] =
        pooling === 'mean' ? result[index]! + number : Math.max(result[index]!, number);
    });
  }
  return pooling === 'mean' ? result.map((sum) => sum / value.length) : result;
}
