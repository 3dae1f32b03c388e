import { OpenSearchError } from '../../../errors/opensearch-error.js';
import {
  type Chunker,
  type ChunkerParameters,
  parameterParser,
  reachedChunkLimit,
} from './chunker.js';
import { TOKENIZERS } from './tokenizers.js';

/**
 * neural-search's FixedTokenLengthChunker: passages of `token_limit` tokens, each starting
 * `overlap_rate` of a passage before the previous one ended. A passage runs from its first token to
 * the start of the next passage's first token (the first one from the text's start, the last one to
 * its end), so no character is lost.
 */
export function fixedTokenLengthChunker(
  parameters: ChunkerParameters,
  fail: (reason: string) => Error,
): Chunker {
  const parse = parameterParser(parameters, fail);
  const tokenLimit = parse.positiveInteger('token_limit', 384);
  const overlapRate = parse.double('overlap_rate', 0);
  const tokenizerName = parse.string('tokenizer', 'standard');
  if (overlapRate < 0 || overlapRate > 0.5)
    throw fail('Parameter [overlap_rate] must be between 0.0 and 0.5');
  const tokenize = Object.hasOwn(TOKENIZERS, tokenizerName) ? TOKENIZERS[tokenizerName] : undefined;
  if (!tokenize) {
    // OpenSearch also accepts uax_url_email, classic and thai through its analysis registry; only
    // the tokenizers implemented here are listed.
    throw fail(
      `Tokenizer [${tokenizerName}] is not supported for [fixed_token_length] algorithm. Supported tokenizers are [${Object.keys(TOKENIZERS).join(', ')}]`,
    );
  }
  const overlapTokens = Math.floor(tokenLimit * overlapRate);
  return {
    chunk(content, runtime) {
      const tokens = tokenize(content);
      if (tokens.length > runtime.maxTokenCount) {
        // TransportAnalyzeAction's limit, wrapped as FixedTokenLengthChunker.tokenize wraps it.
        throw new OpenSearchError({
          status: 500,
          type: 'illegal_state_exception',
          reason: `analyzer ${tokenizerName} throws exception: The number of tokens produced by calling _analyze has exceeded the allowed maximum of [${runtime.maxTokenCount}]. This limit can be set by changing the [index.analyze.max_token_count] index level setting.`,
        });
      }
      const chunks: string[] = [];
      let startToken = 0;
      while (startToken < tokens.length) {
        const start = startToken === 0 ? 0 : tokens[startToken]!.start;
        if (reachedChunkLimit(chunks.length, runtime) || startToken + tokenLimit >= tokens.length) {
          chunks.push(content.slice(start));
          break;
        }
        chunks.push(content.slice(start, tokens[startToken + tokenLimit]!.start));
        startToken += tokenLimit - overlapTokens;
      }
      return chunks;
    },
  };
}
