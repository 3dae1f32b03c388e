/**
 * Cohere v2 chat streamed (server-sent events): `content-delta` events carry the text
 * (`delta.message.content.text`); `message-end` ends the answer (with `delta.usage`), with
 * `finish_reason: ERROR` a failure.
 * https://docs.cohere.com/reference/chat-stream
 */
import { isJsonObject } from '../../util/json.js';
import { tokenUsageReaders } from '../usage/token-usage.js';
import { decodeServerSentEvents } from './sse-decoder.js';
import { jsonObjectOrUndefined, withStreamFlag, type StreamFormat } from './stream-format.js';

export const cohereChatStream: StreamFormat = {
  streamingRequest: (request) => withStreamFlag(request, 'Cohere chat'),
  async *deltas(body) {
    for await (const { data } of decodeServerSentEvents(body)) {
      const event = jsonObjectOrUndefined(data);
      if (event === undefined) continue;
      const delta = isJsonObject(event['delta']) ? event['delta'] : {};
      if (event['type'] === 'content-delta') {
        const message = isJsonObject(delta['message']) ? delta['message'] : {};
        const content = isJsonObject(message['content']) ? message['content'] : {};
        if (typeof content['text'] === 'string' && content['text'] !== '') yield { text: content['text'] };
      } else if (event['type'] === 'message-end') {
        if (delta['finish_reason'] === 'ERROR') return yield { error: `Error from remote service: ${data}` };
        const usage = tokenUsageReaders.cohereV2(delta);
        if (usage !== undefined) yield { usage };
        return yield { done: true };
      }
    }
  },
};
