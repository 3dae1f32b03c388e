/** What a chunker knows about the document being chunked (TextChunkingProcessor's runtime parameters). */
export interface ChunkRuntime {
  /** Chunks still allowed for this document; `-1` when the limit is disabled. */
  maxChunkLimit: number;
  /** Non-empty strings of the document not chunked yet, this one included. */
  chunkStringCount: number;
  /** The tokenizer's cap (`index.analyze.max_token_count`). */
  readonly maxTokenCount: number;
}

/** A chunking algorithm. */
export interface Chunker {
  chunk(content: string, runtime: ChunkRuntime): string[];
}

/** `max_chunk_limit` when absent; `-1` disables it. */
export const DEFAULT_MAX_CHUNK_LIMIT = 100;
export const DISABLED_MAX_CHUNK_LIMIT = -1;

/**
 * True when one more chunk would leave no room for the strings still to come
 * (Chunker.checkRunTimeMaxChunkLimit); the chunker then puts the rest of the text in its last chunk.
 */
export function reachedChunkLimit(chunkCount: number, runtime: ChunkRuntime): boolean {
  return (
    runtime.maxChunkLimit !== DISABLED_MAX_CHUNK_LIMIT &&
    chunkCount + runtime.chunkStringCount >= runtime.maxChunkLimit
  );
}

/** Algorithm parameters as given in the pipeline. */
export type ChunkerParameters = Readonly<Record<string, unknown>>;

/**
 * ChunkerParameterParser: optional parameters with defaults and neural-search's messages. Like
 * Java's `NumberUtils`, numbers may also be given as strings.
 */
export const parameterParser = (
  parameters: ChunkerParameters,
  fail: (reason: string) => Error,
) => ({
  string(field: string, fallback: string): string {
    if (!Object.hasOwn(parameters, field)) return fallback;
    const value = parameters[field];
    if (typeof value !== 'string')
      throw fail(`Parameter [${field}] must be of java.lang.String type`);
    if (value === '') throw fail(`Parameter [${field}] should not be empty.`);
    return value;
  },
  integer(field: string, fallback: number): number {
    if (!Object.hasOwn(parameters, field)) return fallback;
    const value = parameters[field];
    const parsed =
      typeof value === 'string' && /^[+-]?\d+$/.test(value.trim()) ? Number(value) : value;
    if (
      typeof parsed !== 'number' ||
      !Number.isSafeInteger(parsed) ||
      Math.abs(parsed) > 2 ** 31 - 1
    ) {
      throw fail(`Parameter [${field}] must be of java.lang.Integer type`);
    }
    return parsed;
  },
  positiveInteger(field: string, fallback: number): number {
    const value = this.integer(field, fallback);
    if (value <= 0) throw fail(`Parameter [${field}] must be positive.`);
    return value;
  },
  double(field: string, fallback: number): number {
    if (!Object.hasOwn(parameters, field)) return fallback;
    const value = parameters[field];
    const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof parsed !== 'number' || Number.isNaN(parsed))
      throw fail(`Parameter [${field}] must be of java.lang.Double type`);
    return parsed;
  },
});
