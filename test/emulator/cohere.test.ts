import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedText } from '../../fixtures/emulator/embeddings.js';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { asJson, list, numbers, postJson } from './client.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

// 20x10 PNG header (IHDR) followed by junk: enough for the emulator to read the size.
const PNG = Buffer.concat([
  Buffer.from('89504e470d0a1a0a0000000d49484452000000140000000a0806000000', 'hex'),
  Buffer.alloc(16, 7),
]).toString('base64');

describe('Cohere embed', () => {
  it.each([
    ['embed-english-v3.0', 1024],
    ['embed-english-light-v3.0', 384],
    ['embed-multilingual-v2.0', 768],
    ['<ENTER_MODEL_NAME_HERE>', 1024],
  ])('v1 %s answers embeddings_floats with %i dimensions', async (model, dimensions) => {
    const answer = await postJson(emulator, '/v1/embed', {
      texts: ['Hello world', 'This is a test'],
      truncate: 'END',
      model,
      input_type: 'search_document',
    });
    expect(answer.status).toBe(200);
    const body = asJson(answer);
    expect(body).toMatchObject({
      id: expect.any(String),
      texts: ['Hello world', 'This is a test'],
      response_type: 'embeddings_floats',
      meta: { api_version: { version: '1' } },
    });
    expect(list(body['embeddings'])).toHaveLength(2);
    expect(numbers(body['embeddings']?.[1])).toEqual([...embedText('This is a test', dimensions)]);
  });

  it('v1 embeds images given as data URIs and reports their size', async () => {
    const answer = await postJson(emulator, '/v1/embed', {
      images: [`data:image/png;base64,${PNG}`],
      model: 'embed-english-v3.0',
      input_type: 'image',
      truncate: 'END',
    });
    expect(answer.status).toBe(200);
    expect(asJson(answer)).toMatchObject({
      texts: [],
      images: [{ width: 20, height: 10, format: 'png' }],
      response_type: 'embeddings_floats',
    });
    expect(numbers(asJson(answer)['embeddings']?.[0])).toHaveLength(1024);
  });

  it('v2 answers embeddings by type', async () => {
    const answer = await postJson(emulator, '/v2/embed', {
      texts: ['hello'],
      model: 'embed-v4.0',
      input_type: 'search_query',
      embedding_types: ['float', 'int8', 'ubinary'],
    });
    const embeddings = asJson(answer)['embeddings'];
    expect(asJson(answer)).toMatchObject({
      response_type: 'embeddings_by_type',
      meta: { api_version: { version: '2' } },
    });
    expect(numbers(embeddings?.['float']?.[0])).toHaveLength(1536);
    expect(numbers(embeddings?.['int8']?.[0]).every((value) => value >= -128 && value <= 127)).toBe(
      true,
    );
    expect(numbers(embeddings?.['ubinary']?.[0])).toHaveLength(1536 / 8);
  });

  it('v2 defaults to float and honours output_dimension', async () => {
    const answer = await postJson(emulator, '/v2/embed', {
      texts: ['hello'],
      model: 'embed-v4.0',
      input_type: 'search_query',
      output_dimension: 256,
    });
    expect(numbers(asJson(answer)['embeddings']?.['float']?.[0])).toHaveLength(256);
  });

  it.each([
    ['/v1/embed', { model: 'embed-english-v3.0' }, 'one of texts, images or inputs'],
    ['/v2/embed', { texts: ['x'] }, 'model must be specified'],
    [
      '/v1/embed',
      { texts: ['x'], embedding_types: ['float16'] },
      "unknown embedding type 'float16'",
    ],
  ])('%s rejects %j in Cohere format', async (path, body, message) => {
    const answer = await postJson(emulator, path, body);
    expect(answer.status).toBe(400);
    expect(asJson(answer)['message']).toContain(message);
  });
});

describe('Cohere chat', () => {
  it('v2 answers the message with text content', async () => {
    const answer = await postJson(emulator, '/v2/chat', {
      model: 'command-r-plus',
      stream: false,
      messages: [{ role: 'user', content: 'What is OpenSearch?' }],
    });
    expect(asJson(answer)).toMatchObject({
      id: expect.any(String),
      finish_reason: 'COMPLETE',
      message: {
        role: 'assistant',
        content: [{ type: 'text', text: 'Emulated reply to: What is OpenSearch?' }],
      },
      usage: {
        billed_units: { input_tokens: expect.any(Number), output_tokens: expect.any(Number) },
      },
    });
  });

  it('v1 answers text and chat history', async () => {
    const answer = await postJson(emulator, '/v1/chat', {
      message: 'Hi there',
      model: 'command-r',
    });
    expect(asJson(answer)).toMatchObject({
      text: 'Emulated reply to: Hi there',
      finish_reason: 'COMPLETE',
      chat_history: [{ role: 'USER' }, { role: 'CHATBOT' }],
    });
  });
});

describe('Cohere rerank', () => {
  const documents = [
    'Carson City is the capital of Nevada.',
    'Washington, D.C. is the capital of the United States.',
    'Capital punishment has existed in the United States.',
  ];

  it.each(['/v1/rerank', '/v2/rerank'])('%s ranks by relevance and honours top_n', async (path) => {
    const answer = await postJson(emulator, path, {
      model: 'rerank-english-v3.0',
      query: 'What is the capital of the United States?',
      documents,
      top_n: 2,
      return_documents: true,
    });
    expect(answer.status).toBe(200);
    const results = list(asJson(answer)['results']) as {
      index: number;
      relevance_score: number;
      document: { text: string };
    }[];
    expect(results).toHaveLength(2);
    expect(results[0]?.index).toBe(1);
    expect(results[0]?.document.text).toBe(documents[1]);
    expect(results[0]?.relevance_score).toBeGreaterThan(results[1]?.relevance_score ?? 1);
  });

  it('returns every document without top_n, deterministically', async () => {
    const body = { model: 'rerank-english-v3.0', query: 'capital of Nevada', documents };
    const first = asJson(await postJson(emulator, '/v1/rerank', body))['results'];
    const second = asJson(await postJson(emulator, '/v1/rerank', body))['results'];
    expect(list(first)).toHaveLength(3);
    expect(first).toEqual(second);
    expect(first?.[0]?.['index']).toBe(0);
  });
});
