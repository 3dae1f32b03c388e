/**
 * The registries of ML Commons' built-in pre- and post-process functions
 * (common/connector/MLPreProcessFunction.java, MLPostProcessFunction.java), keyed by the names
 * connectors use in `pre_process_function` / `post_process_function`.
 */
import { lookup } from '../../util/registry.js';
import {
  bedrockEmbeddingPostProcess,
  bedrockEmbeddingPreProcess,
  bedrockMultimodalEmbeddingPreProcess,
  bedrockV2EmbeddingPostProcess,
} from './bedrock.js';
import { bedrockBatchJobArnPostProcess } from './bedrock-batch.js';
import {
  novaAudioEmbeddingPreProcess,
  novaEmbeddingPostProcess,
  novaImageEmbeddingPreProcess,
  novaMultimodalEmbeddingPreProcess,
  novaTextEmbeddingPreProcess,
  novaVideoEmbeddingPreProcess,
} from './bedrock-nova.js';
import {
  cohereEmbeddingPostProcess,
  cohereEmbeddingPreProcess,
  cohereMultimodalEmbeddingPreProcess,
  cohereV2EmbeddingPostProcess,
} from './cohere.js';
import {
  defaultEmbeddingPostProcess,
  defaultEmbeddingPreProcess,
  defaultRerankPostProcess,
  defaultRerankPreProcess,
} from './default.js';
import { openAiEmbeddingPostProcess, openAiEmbeddingPreProcess } from './openai.js';
import { mlCommonsPassthroughPostProcess } from './passthrough.js';
import {
  bedrockRerankPostProcess,
  bedrockRerankPreProcess,
  cohereRerankPostProcess,
  cohereRerankPreProcess,
} from './rerank.js';
import type { PostProcessFunction, PreProcessFunction } from './types.js';

export { applyResponseFilter, dataTypeFromFilter } from './response-filter.js';
export type { DataType, ModelTensor, PostProcessFunction, PredictInput, PreProcessFunction } from './types.js';

const PRE_PROCESS_PREFIX = 'connector.pre_process.';
const POST_PROCESS_PREFIX = 'connector.post_process.';

/** Every built-in pre-process function, by name. */
export const PRE_PROCESS_FUNCTIONS = {
  'connector.pre_process.openai.embedding': openAiEmbeddingPreProcess,
  'connector.pre_process.default.embedding': defaultEmbeddingPreProcess,
  'connector.pre_process.cohere.embedding': cohereEmbeddingPreProcess,
  'connector.pre_process.cohere.multimodal_embedding': cohereMultimodalEmbeddingPreProcess,
  'connector.pre_process.bedrock.embedding': bedrockEmbeddingPreProcess,
  'connector.pre_process.bedrock.multimodal_embedding': bedrockMultimodalEmbeddingPreProcess,
  'connector.pre_process.bedrock.nova.embedding': novaMultimodalEmbeddingPreProcess,
  'connector.pre_process.bedrock.nova.text_embedding': novaTextEmbeddingPreProcess,
  'connector.pre_process.bedrock.nova.image_embedding': novaImageEmbeddingPreProcess,
  'connector.pre_process.bedrock.nova.video_embedding': novaVideoEmbeddingPreProcess,
  'connector.pre_process.bedrock.nova.audio_embedding': novaAudioEmbeddingPreProcess,
  'connector.pre_process.cohere.rerank': cohereRerankPreProcess,
  'connector.pre_process.default.rerank': defaultRerankPreProcess,
  'connector.pre_process.bedrock.rerank': bedrockRerankPreProcess,
} satisfies Record<string, PreProcessFunction>;

/** Every built-in post-process function, by name. */
export const POST_PROCESS_FUNCTIONS = {
  'connector.post_process.openai.embedding': openAiEmbeddingPostProcess,
  'connector.post_process.cohere.embedding': cohereEmbeddingPostProcess,
  'connector.post_process.cohere_v2.embedding.float': cohereV2EmbeddingPostProcess('float'),
  'connector.post_process.cohere_v2.embedding.int8': cohereV2EmbeddingPostProcess('int8'),
  'connector.post_process.cohere_v2.embedding.uint8': cohereV2EmbeddingPostProcess('uint8'),
  'connector.post_process.cohere_v2.embedding.binary': cohereV2EmbeddingPostProcess('binary'),
  'connector.post_process.cohere_v2.embedding.ubinary': cohereV2EmbeddingPostProcess('ubinary'),
  'connector.post_process.default.embedding': defaultEmbeddingPostProcess,
  'connector.post_process.bedrock.embedding': bedrockEmbeddingPostProcess,
  'connector.post_process.bedrock_v2.embedding.float': bedrockV2EmbeddingPostProcess('float'),
  'connector.post_process.bedrock_v2.embedding.binary': bedrockV2EmbeddingPostProcess('binary'),
  'connector.post_process.bedrock.nova.embedding': novaEmbeddingPostProcess,
  'connector.post_process.bedrock.batch_job_arn': bedrockBatchJobArnPostProcess,
  'connector.post_process.cohere.rerank': cohereRerankPostProcess,
  'connector.post_process.default.rerank': defaultRerankPostProcess,
  'connector.post_process.bedrock.rerank': bedrockRerankPostProcess,
  'connector.post_process.mlcommons.passthrough': mlCommonsPassthroughPostProcess,
} satisfies Record<string, PostProcessFunction>;

/** A built-in pre-process function's name. */
export type PreProcessFunctionName = keyof typeof PRE_PROCESS_FUNCTIONS;

/** A built-in post-process function's name. */
export type PostProcessFunctionName = keyof typeof POST_PROCESS_FUNCTIONS;

/** The built-in pre-process names, in registry order. */
export const PRE_PROCESS_FUNCTION_NAMES = Object.keys(PRE_PROCESS_FUNCTIONS) as readonly PreProcessFunctionName[];

/** The built-in post-process names, in registry order. */
export const POST_PROCESS_FUNCTION_NAMES = Object.keys(POST_PROCESS_FUNCTIONS) as readonly PostProcessFunctionName[];

/**
 * Whether a `pre_process_function` / `post_process_function` value names a built-in rather than
 * holding a Painless script. Unknown names under the prefixes count too, so they fail as unknown
 * built-ins instead of being compiled as scripts.
 */
export function isBuiltinFunctionName(name: string): boolean {
  return name.startsWith(PRE_PROCESS_PREFIX) || name.startsWith(POST_PROCESS_PREFIX);
}

/** The built-in pre-process function `name`; a 400 listing the known names when there is none. */
export function lookupPreProcess(name: string): PreProcessFunction {
  return lookup<PreProcessFunction>(PRE_PROCESS_FUNCTIONS, name, 'pre_process_function');
}

/** The built-in post-process function `name`; a 400 listing the known names when there is none. */
export function lookupPostProcess(name: string): PostProcessFunction {
  return lookup<PostProcessFunction>(POST_PROCESS_FUNCTIONS, name, 'post_process_function');
}
