/**
 * OpenAI's streamed answers (server-sent events): chat completions chunks (`choices[0].delta.content`,
 * then a `finish_reason`, then `[DONE]`) and Responses events (`response.output_text.delta` ...
 * `response.completed`). An error object in the stream ends the answer with that error.
 * https://platform.openai.com/docs/api-reference/chat-streaming
 * https://platform.openai.com/docs/api-reference/responses-streaming
 */
import { isJsonObject } from '../../util/json.js';
import { decodeServerSentEvents } from './sse-decoder.js';
import { jsonObjectOrUndefined, withStreamFlag, type StreamDelta, type StreamFormat } from './stream-format.js';

export const openAiChatStream: StreamFormat = {
  streamingRequest: (request) => withStreamFlag(request, 'OpenAI chat completions'),
  async *deltas(body) {
    for await (const { data } of decodeServerSentEvents(body)) {
      if (data === '[DONE]') return yield { done: true };
      const chunk = jsonObjectOrUndefined(data);
      if (chunk === undefined) continue;
      if (chunk['error'] !== undefined) return yield { error: `Error from remote service: ${data}` };
      const choice = Array.isArray(chunk['choices']) && isJsonObject(chunk['choices'][0]) ? chunk['choices'][0] : {};
      const delta = isJsonObject(choice['delta']) ? choice['delta'] : {};
      if (typeof delta['content'] === 'string' && delta['content'] !== '') yield { text: delta['content'] };
      if (typeof choice['finish_reason'] === 'string') return yield { done: true };
    }
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
      yield delta;
      if (!('text' in delta)) return;
    }
  },
};

function responsesDelta(event: Record<string, unknown>, data: string): StreamDelta | undefined {
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
