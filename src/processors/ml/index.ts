import type { ProcessorDefinition } from '../processor-definition.js';
import { mlInferenceIngestProcessor } from './ml-inference-ingest.js';
import { sparseEncodingProcessor } from './sparse-encoding.js';
import { textChunkingProcessor } from './text-chunking.js';
import { textEmbeddingProcessor } from './text-embedding.js';

/** The ML ingest processors (neural-search and ml-commons). One import and one line per processor. */
export const mlIngestProcessors = {
  text_embedding: textEmbeddingProcessor,
  sparse_encoding: sparseEncodingProcessor,
  text_chunking: textChunkingProcessor,
  ml_inference: mlInferenceIngestProcessor,
} as const satisfies Record<string, ProcessorDefinition<any, 'ingest'>>;
