/**
 * OpenAI's streamed answers (server-sent events): chat completions chunks (`choices[0].delta.content`,
 * then a `finish_reason`, then, when the request asked `stream_options.include_usage`, a chunk with
 * `usage`, then `[DONE]`) and Responses events (`response.output_text.delta` ... `response.completed`
 * with the `usage`). An error object in the stream ends the answer with that error.
 * https://platform.openai.com/docs/api-reference/chat-streaming
 * https://platform.openai.com/docs/api-reference/responses-streaming
 */
import { isJsonObject } from '../../util/json.js';
import { decodeServerSentEvents } from './sse-decoder.js';
import { tokenUsageReaders } from '../usage/token-usage.js';
import { jsonObjectOrUndefined, withStreamFlag, type ProviderStreamEvent, type StreamFormat } from './stream-format.js';

export const openAiChatStream: StreamFormat = {
  streamingRequest: (request) => withStreamFlag(request, 'OpenAI chat completions'),
  async *deltas(body) {
    // The usage chunk comes after the finish reason: the answer ends at `[DONE]` (or the close).
    let finished = false;
    for await (const { data } of decodeServerSentEvents(body)) {
      if (data === '[DONE]') return yield { done: true };
      const chunk = jsonObjectOrUndefined(data);
      if (chunk === undefined) continue;
      if (chunk['error'] !== undefined) return yield { error: `Error from remote service: ${data}` };
      const usage = tokenUsageReaders.openai(chunk);
      if (usage !== undefined) yield { usage };
      const choice = Array.isArray(chunk['choices']) && isJsonObject(chunk['choices'][0]) ? chunk['choices'][0] : {};
      const delta = isJsonObject(choice['delta']) ? choice['delta'] : {};
      if (typeof delta['content'] === 'string' && delta['content'] !== '') yield { text: delta['content'] };
      if (typeof choice['finish_reason'] === 'string') finished = true;
    }
    if (finished) yield { done: true };
  },
};

export const openAiResponsesStream: StreamFormat = {
  streamingRequest: (request) => withStreamFlag(request, 'OpenAI Responses'),
  async *deltas(body) {
    for await (const { data } of decodeServerSentEvents(body)) {
      const event = jsonObjectOrUndefined(data);
      if (event === undefined) continue;
      const delta = responsesDelta(event, data);
      if (delta === undefined) continue;
      if ('done' in delta && isJsonObject(event['response'])) {
        const usage = tokenUsageReaders.anthropic(event['response']);
        if (usage !== undefined) yield { usage };
      }
      yield delta;
      if (!('text' in delta)) return;
    }
  },
};

function responsesDelta(event: Record<string, unknown>, data: string): Exclude<ProviderStreamEvent, { usage: unknown }> | undefined {
  switch (event['type']) {
    case 'response.output_text.delta':
      return typeof event['delta'] === 'string' && event['delta'] !== '' ? { text: event['delta'] } : undefined;
    case 'response.completed':
    case 'response.incomplete':
      return { done: true };
    case 'response.failed':
    case 'error':
      return { error: `Error from remote service: ${data}` };
    default:
      return undefined;
  }
}
