/**
 * Amazon Nova 2 multimodal embeddings (`amazon.nova-2-multimodal-embeddings-v1:0`): one of text, image,
 * video or audio per call, answered as `{"embeddings":[{"embeddingType","embedding":[...]}]}`.
 */
import { illegalArgument } from '../../errors/opensearch-error.js';
import { bedrockInputText } from './bedrock.js';
import { embeddingListTensors } from './embedding-tensors.js';
import { presentParameters, requireTextDocs, type PreProcessInput } from './input-kinds.js';
import { isRecord } from './json-values.js';
import type { PostProcessFunction, PreProcessFunction } from './types.js';

/**
 * `connector.pre_process.bedrock.nova.text_embedding`: MLPreProcessFunction registers the Bedrock
 * class (`inputText` = first doc), but calculateChunkSize matches the name `bedrock.embedding` only,
 * so this one batches; the blueprints set `input_docs_processed_step_size: 1` instead.
 */
export const novaTextEmbeddingPreProcess = {
  docsPerRequest: 'all',
  process: bedrockInputText,
} satisfies PreProcessFunction;

/** Image/Video/AudioEmbeddingPreProcessFunction: the first doc as `parameter`, or `No input <medium> provided`. */
function firstDocAs(parameter: string, medium: string): PreProcessFunction {
  return {
    docsPerRequest: 'all',
    process: (input) => {
      const docs = requireTextDocs(input);
      if (docs.length === 0) throw illegalArgument(`No input ${medium} provided`);
      return presentParameters({ [parameter]: docs[0] });
    },
  };
}

/** `connector.pre_process.bedrock.nova.image_embedding`: `inputImage` = first doc (base64). */
export const novaImageEmbeddingPreProcess = firstDocAs('inputImage', 'image');

/** `connector.pre_process.bedrock.nova.video_embedding`: `inputVideo` = first doc (base64). */
export const novaVideoEmbeddingPreProcess = firstDocAs('inputVideo', 'video');

/** `connector.pre_process.bedrock.nova.audio_embedding`: `inputAudio` = first doc (base64). */
export const novaAudioEmbeddingPreProcess = firstDocAs('inputAudio', 'audio');

// NovaMultiModalEmbeddingPreProcessFunction looks for the keys in this order to name the parameter...
const MODALITY_DETECTION_ORDER = ['text', 'image', 'video', 'audio'] as const;
// ...but in this one (audio before video) to pick the value, so `{"video":..,"audio":..}` sends the audio as `video`.
const CONTENT_EXTRACTION_ORDER = ['text', 'image', 'audio', 'video'] as const;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Jackson's JsonNode.asText(): scalars as text, `null` as "null", containers as "". */
function jacksonAsText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return '';
}

/** The parameter a doc fills: the first modality key of a JSON object doc, else `text`. */
function detectModality(doc: string): (typeof MODALITY_DETECTION_ORDER)[number] {
  const node = parseJson(doc);
  return (isRecord(node) && MODALITY_DETECTION_ORDER.find((key) => Object.hasOwn(node, key))) || 'text';
}

/** The value a doc sends: a modality key's value when the doc starts with `{`, else the doc itself. */
function extractContent(doc: string): string {
  if (!doc.startsWith('{')) return doc;
  const node = parseJson(doc);
  if (!isRecord(node)) return doc;
  const key = CONTENT_EXTRACTION_ORDER.find((candidate) => Object.hasOwn(node, candidate));
  return key === undefined ? doc : jacksonAsText(node[key]);
}

/**
 * `connector.pre_process.bedrock.nova.embedding` (NovaMultiModalEmbeddingPreProcessFunction): the first
 * doc, plain or `{"text"|"image"|"video"|"audio": value}`, becomes the parameter `text`, `image`,
 * `video` or `audio` that the multimodal blueprint's `${parameters.<modality>:-null}` slots read.
 */
export const novaMultimodalEmbeddingPreProcess = {
  docsPerRequest: 'all',
  process: (input: PreProcessInput) => {
    const docs = requireTextDocs(input);
    if (docs.length === 0 || (docs.length === 1 && docs[0] === null)) throw illegalArgument('No input provided');
    const doc = docs[0];
    // Java fails on a null first doc followed by others (Jackson rejects null content); none is sent here.
    if (doc === null || doc === undefined) return {};
    return { [detectModality(doc)]: extractContent(doc) };
  },
} satisfies PreProcessFunction;

/** `connector.post_process.bedrock.nova.embedding`: the EmbeddingPostProcessFunction over every `embeddings[].embedding`. */
export const novaEmbeddingPostProcess = {
  defaultPath: '$.embeddings[*].embedding',
  process: embeddingListTensors,
} satisfies PostProcessFunction;
