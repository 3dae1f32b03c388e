/**
 * The provider streaming APIs a model can answer through `_predict/stream`, by ML Commons'
 * `_llm_interface` names (plus the Responses, Cohere and Claude InvokeModel streams this service
 * adds). Without `_llm_interface` the format follows from the connector's predict URL.
 */
import { illegalArgument } from '../../errors/opensearch-error.js';
import { bedrockConverseStream, bedrockInvokeClaudeStream } from './bedrock-streams.js';
import { cohereChatStream } from './cohere-stream.js';
import { openAiChatStream, openAiResponsesStream } from './openai-streams.js';
import type { StreamFormat } from './stream-format.js';

export type { ProviderStreamEvent, StreamDelta, StreamFormat } from './stream-format.js';

export const STREAM_FORMATS = {
  'openai/v1/chat/completions': openAiChatStream,
  'openai/v1/responses': openAiResponsesStream,
  'bedrock/converse': bedrockConverseStream,
  'bedrock/converse/claude': bedrockConverseStream,
  'bedrock/converse/nova': bedrockConverseStream,
  'bedrock/converse/deepseek_r1': bedrockConverseStream,
  'bedrock/invoke/claude': bedrockInvokeClaudeStream,
  'cohere/v2/chat': cohereChatStream,
} as const satisfies Record<string, StreamFormat>;

/** Where a predict URL says which stream format it speaks, when `_llm_interface` is not given. */
const BY_URL: ReadonlyArray<readonly [RegExp, StreamFormat]> = [
  [/\/chat\/completions$/, openAiChatStream],
  [/\/v1\/responses$/, openAiResponsesStream],
  [/\/converse(-stream)?$/, bedrockConverseStream],
  [/\/model\/[^/]*anthropic[^/]*\/invoke(-with-response-stream)?$/, bedrockInvokeClaudeStream],
  [/\/v2\/chat$/, cohereChatStream],
];

/** The format named by `_llm_interface` (case-insensitive, as ML Commons reads it), else the one the URL implies. */
export function streamFormatFor(llmInterface: string | undefined, url: string): StreamFormat {
  if (llmInterface !== undefined) {
    const name = llmInterface.trim().toLowerCase();
    if (!Object.hasOwn(STREAM_FORMATS, name)) {
      throw illegalArgument(`Unsupported LLM interface: ${llmInterface}. Supported: [${Object.keys(STREAM_FORMATS).join(', ')}]`);
    }
    return STREAM_FORMATS[name as keyof typeof STREAM_FORMATS];
  }
  const path = safePath(url);
  const found = BY_URL.find(([pattern]) => pattern.test(path));
  if (found === undefined) {
    throw illegalArgument(`The model's connector does not name a streaming API; add parameters._llm_interface, one of [${Object.keys(STREAM_FORMATS).join(', ')}]`);
  }
  return found[1];
}

function safePath(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname);
  } catch {
    return '';
  }
}
