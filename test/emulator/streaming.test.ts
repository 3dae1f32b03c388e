/** The emulator's streamed answers, byte for byte in each provider's format, with faults in the middle. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { decodeEventStream } from '../../src/connectors/streaming/event-stream-decoder.js';
import { asJson, postJson, signedPost } from './client.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => emulator.close());
afterEach(() => emulator.clearFaults());

/** The data of each server-sent event, parsed, with its event name. */
const events = (text: string) =>
  text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const name = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? '';
      return { name, data: data === '[DONE]' ? data : (JSON.parse(data) as Record<string, any>) };
    });

const awsMessages = async (bytes: Buffer) => {
  const messages = [];
  for await (const message of decodeEventStream((async function* () { yield bytes; })())) {
    messages.push({ headers: message.headers, payload: JSON.parse(message.payload.toString('utf8')) as Record<string, any> });
  }
  return messages;
};

const question = { role: 'user', content: 'Why stream? __emulator_tokens_3__' };
const reply = ['Emulated', ' reply', ' to:', ' Why', ' stream?', ' __emulator_tokens_3__', ' token1', ' token2', ' token3'];

describe('streamed answers', () => {
  it('should stream OpenAI chat completions as chunks, then a finish reason, then [DONE]', async () => {
    const answer = await postJson(emulator, '/v1/chat/completions', { model: 'gpt-4o', stream: true, messages: [question] });
    expect(answer.headers['content-type']).toBe('text/event-stream');
    const chunks = events(answer.text);
    expect(chunks.at(-1)?.data).toBe('[DONE]');
    const data = chunks.slice(0, -1).map((chunk) => chunk.data as Record<string, any>);
    expect(data.every((chunk) => chunk['object'] === 'chat.completion.chunk')).toBe(true);
    expect(data[0]?.['choices'][0]['delta']).toEqual({ role: 'assistant', content: '', refusal: null });
    expect(data.slice(1, -1).map((chunk) => chunk['choices'][0]['delta']['content'])).toEqual(reply);
    expect(data.at(-1)?.['choices'][0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
  });

  it('should answer and stream OpenAI Responses', async () => {
    const whole = await postJson(emulator, '/v1/responses', { model: 'gpt-4o', input: 'Hello' });
    expect(asJson(whole)['output']?.[0]?.['content']?.[0]).toMatchObject({ type: 'output_text', text: 'Emulated reply to: Hello' });
    const streamed = events((await postJson(emulator, '/v1/responses', { model: 'gpt-4o', input: [question], stream: true })).text);
    expect(streamed.map((event) => event.name)).toEqual([
      'response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added',
      ...reply.map(() => 'response.output_text.delta'),
      'response.output_text.done', 'response.output_item.done', 'response.completed',
    ]);
    expect(streamed.map((event) => (event.data as Record<string, any>)['sequence_number'])).toEqual(streamed.map((_, index) => index));
    expect(streamed.filter((event) => event.name === 'response.output_text.delta').map((event) => (event.data as Record<string, any>)['delta'])).toEqual(reply);
  });

  it('should stream Cohere v2 chat events', async () => {
    const streamed = events((await postJson(emulator, '/v2/chat', { model: 'command-r', stream: true, messages: [question] })).text);
    expect(streamed.map((event) => event.name)).toEqual(['message-start', 'content-start', ...reply.map(() => 'content-delta'), 'content-end', 'message-end']);
    expect(streamed.map((event) => event.name)).toEqual(streamed.map((event) => (event.data as Record<string, any>)['type']));
    expect((streamed[2]?.data as Record<string, any>)['delta']).toEqual({ message: { content: { text: 'Emulated' } } });
    // Cohere's message-end carries the usage, as the real API sends it.
    const usage = { input_tokens: 9, output_tokens: 20 };
    expect((streamed.at(-1)?.data as Record<string, any>)['delta']).toEqual({ finish_reason: 'COMPLETE', usage: { billed_units: usage, tokens: usage } });
  });

  it('should stream Bedrock ConverseStream events in the AWS event stream format, signed requests only', async () => {
    const body = { messages: [{ role: 'user', content: [{ text: question.content }] }] };
    const answer = await signedPost(emulator, '/model/anthropic.claude-3-sonnet/converse-stream', body, { service: 'bedrock' });
    expect(answer.headers['content-type']).toBe('application/vnd.amazon.eventstream');
    const messages = await awsMessages(answer.bytes);
    expect(messages.map((message) => message.headers[':event-type'])).toEqual([
      'messageStart', ...reply.map(() => 'contentBlockDelta'), 'contentBlockStop', 'messageStop', 'metadata',
    ]);
    expect(messages.every((message) => message.headers[':message-type'] === 'event' && typeof message.payload['p'] === 'string')).toBe(true);
    expect(messages.slice(1, -3).map((message) => message.payload['delta']['text'])).toEqual(reply);
    expect(messages.at(-2)?.payload['stopReason']).toBe('end_turn');
    expect((await postJson(emulator, '/model/anthropic.claude-3-sonnet/converse-stream', body)).status).toBe(403);
  });

  it('should stream Claude through InvokeModelWithResponseStream as base64 chunk events', async () => {
    const body = { anthropic_version: 'bedrock-2023-05-31', max_tokens: 100, messages: [question] };
    const answer = await signedPost(emulator, '/model/anthropic.claude-3-haiku-20240307-v1:0/invoke-with-response-stream', body, { service: 'bedrock' });
    const inner = (await awsMessages(answer.bytes)).map((message) => JSON.parse(Buffer.from(message.payload['bytes'], 'base64').toString('utf8')) as Record<string, any>);
    expect(inner.map((event) => event['type'])).toEqual([
      'message_start', 'content_block_start', ...reply.map(() => 'content_block_delta'), 'content_block_stop', 'message_delta', 'message_stop',
    ]);
    expect(inner.slice(2, -3).map((event) => event['delta']['text'])).toEqual(reply);
    expect(inner.at(-1)?.['amazon-bedrock-invocationMetrics']).toMatchObject({ outputTokenCount: reply.length });
  });

  it.each([
    ['/v1/chat/completions', { model: 'm', stream: true, messages: [question] }, (text: string) => expect(events(text).at(-1)?.data).toMatchObject({ error: { type: 'server_error' } })],
    ['/v2/chat', { model: 'm', stream: true, messages: [question] }, (text: string) => expect(events(text).at(-1)?.data).toMatchObject({ delta: { finish_reason: 'ERROR' } })],
  ])('should end %s mid-stream with the provider\'s error event', async (path, body, check) => {
    emulator.addFault({ effect: 'stream_error', afterFrames: 4 });
    const answer = await postJson(emulator, path, body);
    expect(answer.status).toBe(200);
    expect(events(answer.text)).toHaveLength(5);
    check(answer.text);
  });

  it('should end a Bedrock stream with an exception message, or drop the connection mid-stream', async () => {
    emulator.addFault({ effect: 'stream_error', afterFrames: 2 });
    const body = { messages: [{ role: 'user', content: [{ text: 'x' }] }] };
    const failed = await awsMessages((await signedPost(emulator, '/model/m/converse-stream', body, { service: 'bedrock' })).bytes);
    expect(failed.at(-1)).toEqual({
      headers: { ':exception-type': 'internalServerException', ':content-type': 'application/json', ':message-type': 'exception' },
      payload: { message: 'The server had an error while processing your request. Sorry about that!' },
    });
    emulator.addFault({ effect: 'stream_drop', afterFrames: 2 });
    await expect(signedPost(emulator, '/model/m/converse-stream', body, { service: 'bedrock' })).rejects.toThrow();
    expect(emulator.requests.at(-1)).toMatchObject({ dropped: true, closedEarly: true });
  });
});
