import {
  type Chunker,
  type ChunkerParameters,
  parameterParser,
  reachedChunkLimit,
} from './chunker.js';

/**
 * neural-search's FixedCharLengthChunker: passages of `char_limit` characters (UTF-16 units, as
 * Java counts them), each starting `overlap_rate` of a passage before the previous one ended.
 */
export function fixedCharLengthChunker(
  parameters: ChunkerParameters,
  fail: (reason: string) => Error,
): Chunker {
  const parse = parameterParser(parameters, fail);
  const charLimit = parse.positiveInteger('char_limit', 2048);
  const overlapRate = parse.double('overlap_rate', 0);
  if (overlapRate < 0 || overlapRate > 0.5) {
    throw fail(
      `Parameter [overlap_rate] must be between 0.0 and 0.5, but was ${javaDouble(overlapRate)}`,
    );
  }
  const overlapChars = Math.floor(charLimit * overlapRate);
  return {
    chunk(content, runtime) {
      if (charLimit >= content.length) return [content];
      const chunks: string[] = [];
      for (
        let start = 0;
        start + overlapChars < content.length;
        start += charLimit - overlapChars
      ) {
        if (reachedChunkLimit(chunks.length, runtime)) {
          chunks.push(content.slice(start));
          break;
        }
        chunks.push(content.slice(start, start + charLimit));
      }
      return chunks;
    },
  };
}

/** How Java prints a double (`0.6`, `1.0`). */
const javaDouble = (value: number): string =>
  Number.isInteger(value) ? value.toFixed(1) : String(value);
