/**
 * The tensor builders the embedding post-process functions share
 * (EmbeddingPostProcessFunction, BedrockEmbeddingPostProcessFunction, ConnectorPostProcessFunction).
 */
import { illegalArgument } from '../../errors/opensearch-error.js';
import type { DataType, ModelTensor } from './types.js';

/** ML Commons' messages for an output the embedding functions cannot map. */
export const EMBEDDING_MESSAGES = {
  outputIsNull: "Can't run post process function as model output is null",
  notList: 'Post process function input is not a List.',
  notListOfLists: 'The embedding should be a non-empty List containing List of Float values.',
  notNumbers: 'The embedding should be a non-empty List containing Float values.',
} as const;

/**
 * ConnectorPostProcessFunction.apply's first check. A path that matched nothing counts as null too:
 * Jayway would have thrown before the function ran.
 */
export function requireModelOutput(filtered: unknown): unknown {
  if (filtered === null || filtered === undefined) throw illegalArgument(EMBEDDING_MESSAGES.outputIsNull);
  return filtered;
}

/** One `sentence_embedding` tensor, as ML Commons builds it for each vector. */
export function sentenceEmbeddingTensor(embedding: readonly number[], dataType: DataType): ModelTensor {
  return { name: 'sentence_embedding', data_type: dataType, shape: [embedding.length], data: [...embedding] };
}

function isNumberList(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'number');
}

/**
 * EmbeddingPostProcessFunction: a list of vectors becomes one tensor per vector, in order. ML Commons
 * checks only the first vector (a bad later one fails with a ClassCastException); every vector is
 * checked here, with the same messages.
 */
export function embeddingListTensors(filtered: unknown, dataType: DataType): ModelTensor[] {
  const output = requireModelOutput(filtered);
  if (!Array.isArray(output)) throw illegalArgument(EMBEDDING_MESSAGES.notList);
  return output.map((embedding: unknown) => {
    if (!Array.isArray(embedding)) throw illegalArgument(EMBEDDING_MESSAGES.notListOfLists);
    if (embedding.length === 0 || !isNumberList(embedding)) throw illegalArgument(EMBEDDING_MESSAGES.notNumbers);
    return sentenceEmbeddingTensor(embedding, dataType);
  });
}

/**
 * BedrockEmbeddingPostProcessFunction: one vector becomes a single tensor. Like ML Commons, an empty
 * list is accepted (a tensor of shape [0]) despite the "non-empty" wording of the message.
 */
export function singleEmbeddingTensors(filtered: unknown, dataType: DataType): ModelTensor[] {
  const output = requireModelOutput(filtered);
  if (!Array.isArray(output)) throw illegalArgument(EMBEDDING_MESSAGES.notList);
  if (!isNumberList(output)) throw illegalArgument(EMBEDDING_MESSAGES.notNumbers);
  return [sentenceEmbeddingTensor(output, dataType)];
}
