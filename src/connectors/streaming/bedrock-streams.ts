/**
 * Bedrock's streamed answers (AWS event stream): ConverseStream (`contentBlockDelta` events with
 * `delta.text`, ended by `messageStop`) and InvokeModelWithResponseStream for Claude (`chunk`
 * events whose base64 `bytes` hold Anthropic's stream events). An exception message ends the
 * answer with that error, named by its `:exception-type`.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InvokeModelWithResponseStream.html
 */
import { isJsonObject } from '../../util/json.js';
import { tokenUsageReaders, type TokenUsage } from '../usage/token-usage.js';
import { decodeEventStream, type EventStreamMessage } from './event-stream-decoder.js';
import { jsonObjectOrUndefined, withOperation, type StreamDelta, type StreamFormat } from './stream-format.js';

export const bedrockConverseStream: StreamFormat = {
  streamingRequest: (request) => withOperation(request, /\/converse(-stream)?$/, '/converse-stream', 'Bedrock Converse'),
  async *deltas(body) {
    let stopped = false;
    for await (const message of decodeEventStream(body)) {
      const failure = exception(message);
      if (failure !== undefined) return yield failure;
      const event = jsonObjectOrUndefined(message.payload.toString('utf8')) ?? {};
      const type = message.headers[':event-type'];
      if (type === 'contentBlockDelta') {
        const delta = isJsonObject(event['delta']) ? event['delta'] : {};
        if (typeof delta['text'] === 'string' && delta['text'] !== '') yield { text: delta['text'] };
      } else if (type === 'messageStop') {
        stopped = true;
      } else if (type === 'metadata') {
        // The usage follows the stop: the answer ends with it (or with the close).
        const usage = tokenUsageReaders.bedrockConverse(event);
        if (usage !== undefined) yield { usage };
        if (stopped) return yield { done: true };
      }
    }
    if (stopped) yield { done: true };
  },
};

export const bedrockInvokeClaudeStream: StreamFormat = {
  streamingRequest: (request) =>
    withOperation(request, /\/invoke(-with-response-stream)?$/, '/invoke-with-response-stream', 'Bedrock InvokeModel'),
  async *deltas(body) {
    const usage = new ClaudeUsage();
    for await (const message of decodeEventStream(body)) {
      const failure = exception(message);
      if (failure !== undefined) return yield failure;
      if (message.headers[':event-type'] !== 'chunk') continue;
      const bytes = jsonObjectOrUndefined(message.payload.toString('utf8'))?.['bytes'];
      const event = typeof bytes === 'string' ? jsonObjectOrUndefined(Buffer.from(bytes, 'base64').toString('utf8')) : undefined;
      if (event === undefined) continue;
      usage.read(event);
      const delta = claudeDelta(event);
      if (delta === undefined) continue;
      if ('done' in delta && usage.total() !== undefined) yield { usage: usage.total()! };
      yield delta;
      if (!('text' in delta)) return;
    }
  },
};

/**
 * The tokens of a Claude stream: Bedrock's `amazon-bedrock-invocationMetrics` on the last event
 * when present (what Bedrock bills), else Anthropic's `message_start` input and `message_delta` output.
 */
class ClaudeUsage {
  private input: number | undefined;
  private output: number | undefined;
  private billed: TokenUsage | undefined;

  read(event: Record<string, unknown>): void {
    const metrics = event['amazon-bedrock-invocationMetrics'];
    if (isJsonObject(metrics) && typeof metrics['inputTokenCount'] === 'number') {
      this.billed = { input: metrics['inputTokenCount'], output: typeof metrics['outputTokenCount'] === 'number' ? metrics['outputTokenCount'] : 0 };
    }
    const message = isJsonObject(event['message']) ? event['message'] : {};
    const usage = isJsonObject(event['usage']) ? event['usage'] : isJsonObject(message['usage']) ? message['usage'] : {};
    if (event['type'] === 'message_start' && typeof usage['input_tokens'] === 'number') this.input = usage['input_tokens'];
    if (typeof usage['output_tokens'] === 'number') this.output = usage['output_tokens'];
  }

  total(): TokenUsage | undefined {
    if (this.billed !== undefined) return this.billed;
    return this.input === undefined ? undefined : { input: this.input, output: this.output ?? 0 };
  }
}

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
