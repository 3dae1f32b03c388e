/**
 * OpenAI embeddings (`POST /v1/embeddings`): `{"input": [...]}` → `{"data":[{"embedding":[...]}]}`.
 */
import { embeddingListTensors } from './embedding-tensors.js';
import { gsonToJson } from './gson-json.js';
import { requireTextDocs } from './input-kinds.js';
import type { PostProcessFunction, PreProcessFunction } from './types.js';

/** `connector.pre_process.openai.embedding` (OpenAIEmbeddingPreProcessFunction): `input` = all docs as a JSON array. */
export const openAiEmbeddingPreProcess = {
  docsPerRequest: 'all',
  process: (input) => ({ input: gsonToJson(requireTextDocs(input)) }),
} satisfies PreProcessFunction;

/** `connector.post_process.openai.embedding`: one tensor per `data[].embedding`. */
export const openAiEmbeddingPostProcess = {
  defaultPath: '$.data[*].embedding',
  process: embeddingListTensors,
} satisfies PostProcessFunction;
