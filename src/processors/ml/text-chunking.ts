import type { IngestDocument } from '../../pipeline/ingest-document.js';
import { isJsonObject } from '../../util/json.js';
import { defineProcessor } from '../processor-definition.js';
import {
  type Chunker,
  type ChunkRuntime,
  DEFAULT_MAX_CHUNK_LIMIT,
  DISABLED_MAX_CHUNK_LIMIT,
  parameterParser,
} from './chunkers/chunker.js';
import { CHUNKERS, DEFAULT_ALGORITHM } from './chunkers/create-chunker.js';
import {
  collectLeaves,
  type FieldLeaf,
  type FieldMapTree,
  isBlank,
  parseFieldMap,
} from './field-map.js';
import { setOwn } from './own-properties.js';
import { processorIllegalArgument } from './processor-errors.js';

const TYPE = 'text_chunking';
// index.analyze.max_token_count's default; there are no index settings here.
const MAX_TOKEN_COUNT = 10_000;

interface TextChunkingOptions {
  field_map: Record<string, unknown>;
  algorithm: Record<string, unknown>;
  ignore_missing: boolean;
}

/**
 * neural-search's `text_chunking`: splits the texts of `field_map`'s source fields into passages
 * written as a list of strings to the target fields. No model is called. Nested fields use the
 * nested-map form of `field_map` (dotted keys are literal, as in OpenSearch).
 */
export const textChunkingProcessor = defineProcessor<TextChunkingOptions, 'ingest'>({
  type: TYPE,
  kind: 'ingest',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['field_map', 'algorithm'],
    properties: {
      field_map: {
        type: 'object',
        description:
          'Source field → target field for the passages; a nested object maps fields of objects and lists of objects.',
        additionalProperties: { type: ['string', 'object'] },
      },
      algorithm: {
        type: 'object',
        description:
          'At most one of fixed_token_length, delimiter or fixed_char_length, with its parameters ({} is fixed_token_length).',
      },
      ignore_missing: {
        type: 'boolean',
        default: false,
        description: 'Skip missing fields instead of writing an empty list.',
      },
    },
  },
  create(config, _deps, tag) {
    const fail = (reason: string) => processorIllegalArgument(TYPE, tag, reason);
    const fieldMap = parseFieldMap(config.field_map, false, fail);
    const { chunker, maxChunkLimit } = parseAlgorithm(config.algorithm, fail);
    return {
      type: TYPE,
      execute: async (document) =>
        chunkDocument(document, fieldMap, chunker, maxChunkLimit, config.ignore_missing),
    };
  },
});

/** TextChunkingProcessor.parseAlgorithmMap, with its messages. */
function parseAlgorithm(
  algorithm: Record<string, unknown>,
  fail: (reason: string) => Error,
): { chunker: Chunker; maxChunkLimit: number } {
  const entries = Object.entries(algorithm);
  if (entries.length > 1)
    throw fail(`Unable to create ${TYPE} processor as [algorithm] contains multiple algorithms`);
  const [name, parameters] = entries[0] ?? [DEFAULT_ALGORITHM, {}];
  if (!isJsonObject(parameters))
    throw fail(
      `Unable to create ${TYPE} processor as parameters for [${name}] algorithm must be an object`,
    );
  const factory = Object.hasOwn(CHUNKERS, name) ? CHUNKERS[name] : undefined;
  if (!factory) {
    throw fail(
      `Chunking algorithm [${name}] is not supported. Supported chunking algorithms are [${Object.keys(CHUNKERS).join(', ')}]`,
    );
  }
  const maxChunkLimit = parameterParser(parameters, fail).integer(
    'max_chunk_limit',
    DEFAULT_MAX_CHUNK_LIMIT,
  );
  if (maxChunkLimit <= 0 && maxChunkLimit !== DISABLED_MAX_CHUNK_LIMIT) {
    throw fail(
      `Parameter [max_chunk_limit] must be positive or ${DISABLED_MAX_CHUNK_LIMIT} to disable this parameter`,
    );
  }
  return { chunker: factory(parameters, fail), maxChunkLimit };
}

/**
 * TextChunkingProcessor.execute: validates every mapped field first, then chunks them in order.
 * `max_chunk_limit` counts for the whole document: each string's chunks use up the limit, and a
 * string keeps room for the non-empty strings after it, so every one gets at least one chunk.
 */
function chunkDocument(
  document: IngestDocument,
  fieldMap: FieldMapTree,
  chunker: Chunker,
  maxChunkLimit: number,
  ignoreMissing: boolean,
): void {
  const leaves = collectLeaves(fieldMap, document.sourceAndMetadata);
  const runtime: ChunkRuntime = {
    maxChunkLimit,
    chunkStringCount: leaves.reduce((count, leaf) => count + nonEmptyStrings(leaf), 0),
    maxTokenCount: MAX_TOKEN_COUNT,
  };
  const chunkString = (content: string): string[] => {
    if (content === '') return [];
    const chunks = chunker.chunk(content, runtime);
    runtime.chunkStringCount -= 1;
    if (runtime.maxChunkLimit !== DISABLED_MAX_CHUNK_LIMIT) runtime.maxChunkLimit -= chunks.length;
    return chunks;
  };
  for (const leaf of leaves) {
    if (leaf.value === null && ignoreMissing) continue;
    let chunks: string[];
    if (leaf.value === null) chunks = [];
    // A blank string gives no passage (but a blank list element is chunked, as in OpenSearch).
    else if (typeof leaf.value === 'string')
      chunks = isBlank(leaf.value) ? [] : chunkString(leaf.value);
    else chunks = leaf.value.flatMap(chunkString);
    setOwn(leaf.container, leaf.target, chunks);
  }
}

function nonEmptyStrings(leaf: FieldLeaf): number {
  if (leaf.value === null) return 0;
  if (typeof leaf.value === 'string') return leaf.value === '' ? 0 : 1;
  return leaf.value.filter((text) => text !== '').length;
}
