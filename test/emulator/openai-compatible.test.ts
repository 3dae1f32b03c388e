import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedText } from '../../fixtures/emulator/embeddings.js';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { asJson, list, numbers, postJson, send } from './client.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ embeddingDimensions: { 'my-ada-deployment': 12 } });
});
afterAll(() => emulator.close());

describe('OpenAI embeddings', () => {
  it.each([
    ['text-embedding-ada-002', undefined, 1536],
    ['text-embedding-3-small', undefined, 1536],
    ['text-embedding-3-large', undefined, 3072],
    ['text-embedding-3-large', 256, 256],
  ])(
    '%s with dimensions=%s answers %i-dimensional vectors',
    async (model, dimensions, expected) => {
      const answer = await postJson(emulator, '/v1/embeddings', {
        input: ['What is the meaning of life?', '42'],
        model,
        dimensions,
      });
      expect(answer.status).toBe(200);
      const body = asJson(answer);
      expect(body).toMatchObject({
        object: 'list',
        model,
        usage: { prompt_tokens: expect.any(Number), total_tokens: expect.any(Number) },
      });
      expect(list(body['data'])).toHaveLength(2);
      expect(body['data']?.[1]).toMatchObject({ object: 'embedding', index: 1 });
      const vector = numbers(body['data']?.[0]?.['embedding']);
      expect(vector).toHaveLength(expected);
      expect(vector).toEqual([...embedText('What is the meaning of life?', expected)]);
    },
  );

  it('accepts a single string and base64 encoding', async () => {
    const answer = await postJson(emulator, '/v1/embeddings', {
      input: 'hello',
      model: 'text-embedding-3-small',
      encoding_format: 'base64',
    });
    const encoded = asJson(answer)['data']?.[0]?.['embedding'];
    expect(typeof encoded).toBe('string');
    const bytes = Buffer.from(encoded as unknown as string, 'base64');
    expect(bytes.length).toBe(1536 * 4);
    expect(bytes.readFloatLE(0)).toBeCloseTo(embedText('hello', 1536)[0] ?? NaN, 5);
  });

  it.each([
    [{ model: 'text-embedding-ada-002' }, "'input' is a required property"],
    [{ model: 'text-embedding-ada-002', input: '' }, "'$.input' is invalid"],
    [{ input: ['x'] }, 'you must provide a model parameter'],
  ])('rejects %j with OpenAI 400', async (body, message) => {
    const answer = await postJson(emulator, '/v1/embeddings', body);
    expect(answer.status).toBe(400);
    expect(asJson(answer)['error']).toMatchObject({
      type: 'invalid_request_error',
      message: expect.stringContaining(message),
    });
  });

  it('answers invalid JSON with OpenAI 400', async () => {
    const answer = await postJson(emulator, '/v1/embeddings', '{"input": [');
    expect(answer.status).toBe(400);
    expect(asJson(answer)['error']?.['message']).toContain('could not parse the JSON body');
  });
});

describe('OpenAI-compatible chat', () => {
  it.each([
    ['OpenAI / Ollama', '/v1/chat/completions'],
    ['DeepSeek base path', '/chat/completions'],
  ])('%s answers a chat.completion', async (_name, path) => {
    const messages = [
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: 'Why is the sky blue' },
    ];
    const answer = await postJson(emulator, path, { model: 'qwen3:4b', messages });
    expect(answer.status).toBe(200);
    expect(asJson(answer)).toMatchObject({
      object: 'chat.completion',
      model: 'qwen3:4b',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Emulated reply to: Why is the sky blue' },
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: expect.any(Number),
        completion_tokens: expect.any(Number),
        total_tokens: expect.any(Number),
      },
    });
  });

  it('answers LLM-judgment prompts with JSON ratings ranked by relevance', async () => {
    const prompt =
      'Rate the relevance of {"id":"001","text":"banana smoothie"} and {"id":"002","text":"car insurance"} to query banana on a 0.0-1.0 scale. Return {"ratings":[{"id":"001","rating_score":<num>}]}.';
    const answer = await postJson(emulator, '/v1/chat/completions', {
      model: 'gpt-4o',
      messages: [{ role: 'user', content: prompt }],
    });
    const content = asJson(answer)['choices']?.[0]?.['message']?.['content'] as unknown as string;
    const ratings = (JSON.parse(content) as { ratings: { id: string; rating_score: number }[] })
      .ratings;
    expect(ratings.map((rating) => rating.id)).toEqual(['001', '002']);
    expect(ratings[0]?.rating_score).toBeGreaterThan(ratings[1]?.rating_score ?? 1);
  });

  it('truncates at max_tokens with finish_reason length', async () => {
    const answer = await postJson(emulator, '/v1/chat/completions', {
      model: 'm',
      max_tokens: 2,
      messages: [{ role: 'user', content: 'tell me a long story' }],
    });
    expect(asJson(answer)['choices']?.[0]).toMatchObject({
      finish_reason: 'length',
      message: { content: 'Emulated' },
    });
  });

  it('streams server-sent events when asked', async () => {
    const answer = await postJson(emulator, '/v1/chat/completions', {
      model: 'm',
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(answer.headers['content-type']).toBe('text/event-stream');
    expect(answer.text).toContain('"object":"chat.completion.chunk"');
    expect(answer.text.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });

  it('rejects a request without messages', async () => {
    const answer = await postJson(emulator, '/v1/chat/completions', { model: 'm' });
    expect(answer.status).toBe(400);
    expect(asJson(answer)['error']?.['message']).toBe("Missing required parameter: 'messages'.");
  });

  it('answers legacy completions', async () => {
    const answer = await postJson(emulator, '/v1/completions', {
      model: 'gpt-3.5-turbo-instruct',
      prompt: 'Say this is a test',
      max_tokens: 50,
    });
    expect(asJson(answer)).toMatchObject({
      object: 'text_completion',
      choices: [{ text: 'Emulated reply to: Say this is a test', index: 0, finish_reason: 'stop' }],
    });
  });
});

describe('Azure OpenAI', () => {
  const azureKey = { 'api-key': 'test-key' };

  it('serves chat on a deployment path, even with a doubled slash', async () => {
    const answer = await postJson(
      emulator,
      '//openai/deployments/gpt-4/chat/completions?api-version=2024-08-01-preview',
      { messages: [{ role: 'user', content: 'Hello!' }] },
      azureKey,
    );
    expect(answer.status).toBe(200);
    expect(asJson(answer)).toMatchObject({
      model: 'gpt-4',
      choices: [{ message: { content: 'Emulated reply to: Hello!' } }],
    });
  });

  it('serves embeddings with dimensions resolved by deployment name', async () => {
    const answer = await postJson(
      emulator,
      '/openai/deployments/my-ada-deployment/embeddings?api-version=1',
      { input: ['a', 'b'], input_type: 'array' },
      azureKey,
    );
    expect(numbers(asJson(answer)['data']?.[1]?.['embedding'])).toHaveLength(12);
  });

  it('accepts bearer auth too', async () => {
    const answer = await postJson(
      emulator,
      '/openai/deployments/d/embeddings',
      { input: 'x' },
      { authorization: 'Bearer test-key' },
    );
    expect(answer.status).toBe(200);
  });
});

describe('Yandex OpenAI-compatible embeddings', () => {
  it('uses the Api-Key scheme and 256 dimensions for text-search models', async () => {
    const answer = await postJson(
      emulator,
      '/v1/embeddings',
      { input: ['What is the meaning of life?'], model: 'emb://b1gfolder/text-search-doc/latest' },
      { authorization: 'Api-Key test-key' },
    );
    expect(answer.status).toBe(200);
    expect(numbers(asJson(answer)['data']?.[0]?.['embedding'])).toHaveLength(256);
  });

  it('answers a bad key in Yandex error format', async () => {
    const answer = await postJson(
      emulator,
      '/v1/embeddings',
      { input: 'x', model: 'emb://f/text-search-doc/latest' },
      { authorization: 'Api-Key nope' },
    );
    expect(answer.status).toBe(401);
    expect(asJson(answer)['error']).toMatchObject({
      grpcCode: 16,
      httpCode: 401,
      httpStatus: 'Unauthorized',
    });
  });
});

describe('OpenAI batches', () => {
  it('creates, retrieves (completed) and cancels a batch', async () => {
    const created = await postJson(emulator, '/v1/batches', {
      input_file_id: 'file-abc',
      endpoint: '/v1/embeddings',
      completion_window: '24h',
    });
    expect(created.status).toBe(200);
    const batch = asJson(created);
    expect(batch).toMatchObject({
      object: 'batch',
      status: 'validating',
      input_file_id: 'file-abc',
      endpoint: '/v1/embeddings',
    });
    const id = batch['id'] as unknown as string;
    const retrieved = await send(emulator, {
      method: 'GET',
      path: `/v1/batches/${id}`,
      headers: { authorization: 'Bearer test-key' },
    });
    expect(asJson(retrieved)).toMatchObject({
      id,
      status: 'completed',
      output_file_id: expect.stringMatching(/^file-/),
    });
    const cancelled = await postJson(emulator, `/v1/batches/${id}/cancel`, {});
    expect(asJson(cancelled)['status']).toBe('completed');
    const missing = await send(emulator, {
      method: 'GET',
      path: '/v1/batches/batch_nope',
      headers: { authorization: 'Bearer test-key' },
    });
    expect(missing.status).toBe(404);
  });
});
