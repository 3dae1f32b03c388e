/**
 * Amazon Bedrock embedding models on InvokeModel: Titan text (`{"inputText"}` → `{"embedding": [...]}`,
 * v2 also `embeddingsByType`) and Titan multimodal (`{"inputText", "inputImage"}`).
 */
import { illegalArgument } from '../../errors/opensearch-error.js';
import { singleEmbeddingTensors } from './embedding-tensors.js';
import { presentParameters, requireTextDocs, type PreProcessInput } from './input-kinds.js';
import type { PostProcessFunction, PreProcessFunction } from './types.js';

/**
 * BedrockEmbeddingPreProcessFunction: `inputText` = the first doc, as plain text (escaping for the
 * JSON body happens later, in the template layer).
 */
export function bedrockInputText(input: PreProcessInput): Record<string, string> {
  return presentParameters({ inputText: requireTextDocs(input)[0] });
}

/**
 * `connector.pre_process.bedrock.embedding`. Titan embeds one text per call, so this is the one
 * built-in name RemoteConnectorExecutor.calculateChunkSize sends one doc per request.
 */
export const bedrockEmbeddingPreProcess = {
  docsPerRequest: 'one',
  process: bedrockInputText,
} satisfies PreProcessFunction;

/**
 * `connector.pre_process.bedrock.multimodal_embedding` (MultiModalConnectorPreProcessFunction):
 * doc 0 is the text and doc 1, when present, the base64 image. All docs go in one request, as
 * neural-search's text_image_embedding sends exactly this pair.
 */
export const bedrockMultimodalEmbeddingPreProcess = {
  docsPerRequest: 'all',
  process: (input) => {
    const docs = requireTextDocs(input);
    if (docs.length === 0 || (docs.length === 1 && docs[0] === null)) {
      throw illegalArgument('No input text or image provided');
    }
    return presentParameters({ inputText: docs[0], inputImage: docs[1] });
  },
} satisfies PreProcessFunction;

/** `connector.post_process.bedrock.embedding`: the single `embedding` vector. */
export const bedrockEmbeddingPostProcess = {
  defaultPath: '$.embedding',
  process: singleEmbeddingTensors,
} satisfies PostProcessFunction;

/** The Titan v2 `embeddingTypes`, each a `bedrock_v2.embedding.<type>` built-in. */
export const BEDROCK_V2_EMBEDDING_TYPES = ['float', 'binary'] as const;

/**
 * `connector.post_process.bedrock_v2.embedding.<type>`: the vector under `embeddingsByType.<type>`;
 * `.binary` in the path makes the tensor BINARY, `.float` names no type and so gives FLOAT32.
 */
export function bedrockV2EmbeddingPostProcess(type: (typeof BEDROCK_V2_EMBEDDING_TYPES)[number]): PostProcessFunction {
  return { defaultPath: `$.embeddingsByType.${type}`, process: singleEmbeddingTensors };
}
