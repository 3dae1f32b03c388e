import {
  illegalArgument,
  type OpenSearchError,
  statusException,
} from '../../errors/opensearch-error.js';
import type { ModelTensor } from '../../connectors/functions/types.js';
import type { ModelTensors } from '../../connectors/invoke/invoke-connector.js';
import { isJsonObject } from '../../util/json.js';
import { setOwn } from './own-properties.js';

/** A predict answer: one `inference_results` element per provider call. */
export interface PredictAnswer {
  readonly inference_results: readonly ModelTensors[];
}

/**
 * An answer the processor cannot use: the model (or its connector's post-process function) is
 * at fault, not the document, so it is a 502 like an empty provider answer.
 */
export const unusableModelOutput = (reason: string): OpenSearchError =>
  statusException(502, reason);

/** The error for an answer with a different number of results than texts sent. */
export const resultCountError = (
  modelId: string,
  expected: number,
  actual: number,
): OpenSearchError =>
  unusableModelOutput(
    `model [${modelId}] returned ${actual} inference results for ${expected} input texts`,
  );

const allTensors = (answer: PredictAnswer): ModelTensor[] =>
  answer.inference_results.flatMap((result) => result.output ?? []);

/**
 * The embeddings of a text-docs predict, in input order: every tensor's `data`, across every
 * provider call (MLCommonsClientAccessor.buildVectorFromResponse). OpenAI answers one call with N
 * tensors, Bedrock N calls with one tensor each; both flatten the same way.
 */
export function embeddingVectors(answer: PredictAnswer): number[][] {
  return allTensors(answer).map((tensor) => {
    if (!Array.isArray(tensor.data)) {
      throw unusableModelOutput(
        `model output tensor [${tensor.name ?? ''}] has no data; text_embedding needs one embedding per text`,
      );
    }
    return tensor.data;
  });
}

// TokenWeightUtil's advice, appended to each of its messages.
const EXPECTED_SHAPE =
  'Ensure the model returns: {"response": [{"token": weight, ...}, ...]}. For remote models, check the connector\'s post_process_function.';

/**
 * The token→weight maps of a sparse predict, in input order (TokenWeightUtil.fetchListOfTokenWeightMap).
 * A tensor's `dataAsMap` is either `{"response": [map, ...]}` (ML Commons' sparse models) or the
 * map itself (a remote model whose post-process returns one map per text).
 */
export function tokenWeightMaps(answer: PredictAnswer): Record<string, number>[] {
  const tensors = allTensors(answer);
  if (tensors.length === 0) throw illegalArgument('The inference result can not be null or empty.');
  return tensors.flatMap((tensor) => {
    const map = tensor.dataAsMap;
    if (!isJsonObject(map)) {
      throw illegalArgument(
        `The model response is missing the required 'response' key. ${EXPECTED_SHAPE}`,
      );
    }
    const response = map['response'];
    if (Array.isArray(response)) return response.map(tokenWeightMap);
    if (response !== undefined && typeof response !== 'number') {
      throw illegalArgument(
        `The model 'response' field must be a list of token-weight maps, but got: ${javaSimpleName(response)}. ${EXPECTED_SHAPE}`,
      );
    }
    return [tokenWeightMap(map)];
  });
}

function tokenWeightMap(value: unknown): Record<string, number> {
  if (!isJsonObject(value)) {
    throw illegalArgument(
      `Each element in the model 'response' must be a token-weight map, but got: ${javaSimpleName(value)}. ${EXPECTED_SHAPE}`,
    );
  }
  const weights: Record<string, number> = {};
  for (const [token, weight] of Object.entries(value)) {
    if (typeof weight !== 'number') {
      throw illegalArgument(
        `The model token-weight map must have String keys and numeric values. ${EXPECTED_SHAPE}`,
      );
    }
    setOwn(weights, token, weight);
  }
  return weights;
}

function javaSimpleName(value: unknown): string {
  if (typeof value === 'string') return 'String';
  if (typeof value === 'boolean') return 'Boolean';
  if (Array.isArray(value)) return 'ArrayList';
  if (isJsonObject(value)) return 'LinkedHashMap';
  return typeof value === 'number' ? 'Double' : 'null';
}
