import type { Chunker, ChunkerParameters } from './chunker.js';
import { delimiterChunker } from './delimiter.js';
import { fixedCharLengthChunker } from './fixed-char-length.js';
import { fixedTokenLengthChunker } from './fixed-token-length.js';

type ChunkerFactory = (parameters: ChunkerParameters, fail: (reason: string) => Error) => Chunker;

/** The chunking algorithms by name (ChunkerFactory), in the order OpenSearch lists them. */
export const CHUNKERS: Readonly<Record<string, ChunkerFactory>> = {
  fixed_token_length: fixedTokenLengthChunker,
  delimiter: delimiterChunker,
  fixed_char_length: fixedCharLengthChunker,
};

/** The algorithm used when `algorithm` is `{}`. */
export const DEFAULT_ALGORITHM = 'fixed_token_length';
