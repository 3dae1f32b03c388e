/**
 * The provider-neutral built-ins (`connector.*.default.*`), for endpoints such as SageMaker that take
 * the docs as a bare JSON array and answer with a bare array.
 */
import { embeddingListTensors } from './embedding-tensors.js';
import { openAiEmbeddingPreProcess } from './openai.js';
import { cohereRerankPostProcess, cohereRerankPreProcess } from './rerank.js';
import type { PostProcessFunction, PreProcessFunction } from './types.js';

/** `connector.pre_process.default.embedding`: MLPreProcessFunction registers the OpenAI class under this name. */
export const defaultEmbeddingPreProcess: PreProcessFunction = openAiEmbeddingPreProcess;

/** `connector.post_process.default.embedding`: the response is a 2-D number array, one tensor per row. */
export const defaultEmbeddingPostProcess = {
  defaultPath: '$[*]',
  process: embeddingListTensors,
} satisfies PostProcessFunction;

/** `connector.pre_process.default.rerank`: the Cohere rerank class under a neutral name. */
export const defaultRerankPreProcess: PreProcessFunction = cohereRerankPreProcess;

/**
 * `connector.post_process.default.rerank`: the Cohere rerank mapping, but MLPostProcessFunction gives it
 * the default path `$[*]` (not `$.results`), so it expects a bare array of `{index, relevance_score}`.
 */
export const defaultRerankPostProcess = {
  defaultPath: '$[*]',
  process: cohereRerankPostProcess.process,
} satisfies PostProcessFunction;
