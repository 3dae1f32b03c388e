/**
 * Cohere embed (`POST /v1/embed`, `/v2/embed`, and Cohere models on Bedrock).
 * v1 answers `{"embeddings": [[...]]}`; v2 and `embedding_types` answer `{"embeddings": {"float": [[...]], "int8": ...}}`.
 */
import { illegalArgument } from '../../errors/opensearch-error.js';
import { embeddingListTensors } from './embedding-tensors.js';
import { gsonToJson } from './gson-json.js';
import { requireTextDocs } from './input-kinds.js';
import type { PostProcessFunction, PreProcessFunction } from './types.js';

/** `connector.pre_process.cohere.embedding` (CohereEmbeddingPreProcessFunction): `texts` = all docs as a JSON array. */
export const cohereEmbeddingPreProcess = {
  docsPerRequest: 'all',
  process: (input) => ({ texts: gsonToJson(requireTextDocs(input)) }),
} satisfies PreProcessFunction;

/**
 * `connector.pre_process.cohere.multimodal_embedding` (CohereMultiModalEmbeddingPreProcessFunction):
 * `images` = the docs (image data URIs) as a JSON array; Cohere takes images or texts, not both.
 */
export const cohereMultimodalEmbeddingPreProcess = {
  docsPerRequest: 'all',
  process: (input) => {
    const docs = requireTextDocs(input);
    if (docs.length === 0 || docs[0] === null) throw illegalArgument('No image provided');
    return { images: gsonToJson(docs) };
  },
} satisfies PreProcessFunction;

/** `connector.post_process.cohere.embedding`: one tensor per row of the v1 `embeddings` list. */
export const cohereEmbeddingPostProcess = {
  defaultPath: '$.embeddings',
  process: embeddingListTensors,
} satisfies PostProcessFunction;

/** The encodings Cohere v2 returns under `embeddings.<type>`, each a `cohere_v2.embedding.<type>` built-in. */
export const COHERE_V2_EMBEDDING_TYPES = ['float', 'int8', 'uint8', 'binary', 'ubinary'] as const;

/**
 * `connector.post_process.cohere_v2.embedding.<type>`: the rows under `embeddings.<type>`. The data type
 * comes from the path (`.int8` → INT8; `.float` names no type, so FLOAT32), so a custom
 * `response_filter` decides it too.
 */
export function cohereV2EmbeddingPostProcess(type: (typeof COHERE_V2_EMBEDDING_TYPES)[number]): PostProcessFunction {
  return { defaultPath: `$.embeddings.${type}`, process: embeddingListTensors };
}
