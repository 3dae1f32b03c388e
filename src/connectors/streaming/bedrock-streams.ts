/**
 * Bedrock's streamed answers (AWS event stream): ConverseStream (`contentBlockDelta` events with
 * `delta.text`, ended by `messageStop`) and InvokeModelWithResponseStream for Claude (`chunk`
 * events whose base64 `bytes` hold Anthropic's stream events). An exception message ends the
 * answer with that error, named by its `:exception-type`.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InvokeModelWithResponseStream.html
 */
import { isJsonObject } from '../../util/json.js';
import { decodeEventStream, type EventStreamMessage } from './event-stream-decoder.js';
import { jsonObjectOrUndefined, withOperation, type StreamDelta, type StreamFormat } from './stream-format.js';

export const bedrockConverseStream: StreamFormat = {
  streamingRequest: (request) => withOperation(request, /\/converse(-stream)?$/, '/converse-stream', 'Bedrock Converse'),
  async *deltas(body) {
    for await (const message of decodeEventStream(body)) {
      const failure = exception(message);
      if (failure !== undefined) return yield failure;
      const event = jsonObjectOrUndefined(message.payload.toString('utf8')) ?? {};
      if (message.headers[':event-type'] === 'contentBlockDelta') {
        const delta = isJsonObject(event['delta']) ? event['delta'] : {};
        if (typeof delta['text'] === 'string' && delta['text'] !== '') yield { text: delta['text'] };
      } else if (message.headers[':event-type'] === 'messageStop') {
        return yield { done: true };
      }
    }
  },
};

export const bedrockInvokeClaudeStream: StreamFormat = {
  streamingRequest: (request) =>
    withOperation(request, /\/invoke(-with-response-stream)?$/, '/invoke-with-response-stream', 'Bedrock InvokeModel'),
  async *deltas(body) {
    for await (const message of decodeEventStream(body)) {
      const failure = exception(message);
      if (failure !== undefined) return yield failure;
      if (message.headers[':event-type'] !== 'chunk') continue;
      const bytes = jsonObjectOrUndefined(message.payload.toString('utf8'))?.['bytes'];
      const event = typeof bytes === 'string' ? jsonObjectOrUndefined(Buffer.from(bytes, 'base64').toString('utf8')) : undefined;
      const delta = event === undefined ? undefined : claudeDelta(event);
      if (delta === undefined) continue;
      yield delta;
      if (!('text' in delta)) return;
    }
  },
};

/** Anthropic Messages stream events: text deltas, the stop, and errors. */
function claudeDelta(event: Record<string, unknown>): StreamDelta | undefined {
  if (event['type'] === 'content_block_delta') {
    const delta = isJsonObject(event['delta']) ? event['delta'] : {};
    return delta['type'] === 'text_delta' && typeof delta['text'] === 'string' && delta['text'] !== '' ? { text: delta['text'] } : undefined;
  }
  if (event['type'] === 'message_stop') return { done: true };
  if (event['type'] === 'error') return { error: `Error from remote service: ${JSON.stringify(event)}` };
  return undefined;
}

function exception(message: EventStreamMessage): StreamDelta | undefined {
  if (message.headers[':message-type'] !== 'exception' && message.headers[':message-type'] !== 'error') return undefined;
  const type = message.headers[':exception-type'] ?? message.headers[':error-code'] ?? 'exception';
  const text = jsonObjectOrUndefined(message.payload.toString('utf8'))?.['message'] ?? message.headers[':error-message'] ?? message.payload.toString('utf8');
  return { error: `Error from remote service: ${String(type)}: ${String(text)}` };
}
