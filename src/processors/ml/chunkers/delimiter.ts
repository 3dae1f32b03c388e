import {
  type Chunker,
  type ChunkerParameters,
  parameterParser,
  reachedChunkLimit,
} from './chunker.js';

/**
 * neural-search's DelimiterChunker: the text is cut after each `delimiter` (which stays at the end
 * of its chunk); the text after the last delimiter is the last chunk.
 */
export function delimiterChunker(
  parameters: ChunkerParameters,
  fail: (reason: string) => Error,
): Chunker {
  const delimiter = parameterParser(parameters, fail).string('delimiter', '\n\n');
  return {
    chunk(content, runtime) {
      const chunks: string[] = [];
      let start = 0;
      let next = content.indexOf(delimiter);
      while (next !== -1 && !reachedChunkLimit(chunks.length, runtime)) {
        const end = next + delimiter.length;
        chunks.push(content.slice(start, end));
        start = end;
        next = content.indexOf(delimiter, start);
      }
      if (start < content.length) chunks.push(content.slice(start));
      return chunks;
    },
  };
}
