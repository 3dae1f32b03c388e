import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedText } from '../../fixtures/emulator/embeddings.js';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { asJson, list, numbers, postJson } from './client.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

const gemini = { 'x-goog-api-key': 'test-key' };

describe('Gemini', () => {
  it('generateContent answers candidates[0].content.parts[0].text', async () => {
    const body = {
      systemInstruction: { parts: [{ text: 'You are a relevance rater.' }] },
      contents: [{ role: 'user', parts: [{ text: 'What is OpenSearch?' }] }],
    };
    const answer = await postJson(
      emulator,
      '/v1beta/models/gemini-2.0-flash:generateContent',
      body,
      gemini,
    );
    expect(answer.status).toBe(200);
    expect(asJson(answer)).toMatchObject({
      candidates: [
        {
          content: { parts: [{ text: 'Emulated reply to: What is OpenSearch?' }], role: 'model' },
          finishReason: 'STOP',
        },
      ],
      usageMetadata: {
        promptTokenCount: expect.any(Number),
        candidatesTokenCount: expect.any(Number),
        totalTokenCount: expect.any(Number),
      },
      modelVersion: 'gemini-2.0-flash',
    });
  });

  it('accepts the key as a query parameter and a placeholder model name', async () => {
    const answer = await postJson(
      emulator,
      '/v1beta/models/%3CMODEL_ID%3E:generateContent?key=test-key',
      { contents: [{ parts: [{ text: 'hi' }] }] },
      {},
    );
    expect(answer.status).toBe(200);
    expect(asJson(answer)['modelVersion']).toBe('<MODEL_ID>');
  });

  it('embeds content one at a time and in batches', async () => {
    const single = await postJson(
      emulator,
      '/v1beta/models/text-embedding-004:embedContent',
      { content: { parts: [{ text: 'hello' }] } },
      gemini,
    );
    expect(numbers(asJson(single)['embedding']?.['values'])).toEqual([...embedText('hello', 768)]);
    const batch = await postJson(
      emulator,
      '/v1beta/models/gemini-embedding-001:batchEmbedContents',
      { requests: [{ content: { parts: [{ text: 'a' }] }, outputDimensionality: 128 }] },
      gemini,
    );
    expect(numbers(asJson(batch)['embeddings']?.[0]?.['values'])).toHaveLength(128);
  });

  it('rejects a request without contents as INVALID_ARGUMENT', async () => {
    const answer = await postJson(
      emulator,
      '/v1beta/models/gemini-2.0-flash:generateContent',
      {},
      gemini,
    );
    expect(answer.status).toBe(400);
    expect(asJson(answer)['error']).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
  });
});

describe('Aleph Alpha', () => {
  it('semantic_embed answers model_version and a 5120-d embedding (luminous-base)', async () => {
    const answer = await postJson(emulator, '/semantic_embed', {
      model: 'luminous-base',
      prompt: 'Test string with German characters: Mo\u00ebt Hennessy',
      representation: 'document',
      normalize: true,
    });
    expect(answer.status).toBe(200);
    expect(asJson(answer)['model_version']).toEqual(expect.any(String));
    expect(numbers(asJson(answer)['embedding'])).toEqual([
      ...embedText('Test string with German characters: Mo\u00ebt Hennessy', 5120),
    ]);
  });

  it('compresses to 128 and leaves vectors unnormalised by default', async () => {
    const answer = await postJson(emulator, '/semantic_embed', {
      model: 'luminous-base',
      prompt: 'two words',
      representation: 'query',
      compress_to_size: 128,
    });
    const vector = numbers(asJson(answer)['embedding']);
    expect(vector).toHaveLength(128);
    expect(Math.hypot(...vector)).toBeGreaterThan(1.1);
  });

  it('batch_semantic_embed embeds every prompt; a bad representation is a 400', async () => {
    const batch = await postJson(emulator, '/batch_semantic_embed', {
      model: 'luminous-base',
      prompts: ['a', 'b'],
      representation: 'symmetric',
      compress_to_size: 128,
    });
    expect(list(asJson(batch)['embeddings'])).toHaveLength(2);
    const bad = await postJson(emulator, '/semantic_embed', {
      model: 'luminous-base',
      prompt: 'a',
      representation: 'sideways',
    });
    expect(bad.status).toBe(400);
    expect(asJson(bad)).toMatchObject({
      error: expect.stringContaining('representation'),
      code: 'BAD_REQUEST',
    });
  });
});

describe('Yandex native embeddings', () => {
  it('textEmbedding answers embedding, numTokens as a string, modelVersion', async () => {
    const answer = await postJson(
      emulator,
      '/foundationModels/v1/textEmbedding',
      { modelUri: 'emb://b1g/text-search-query/latest', text: 'hello' },
      { authorization: 'Api-Key test-key' },
    );
    expect(answer.status).toBe(200);
    expect(asJson(answer)).toMatchObject({
      numTokens: expect.stringMatching(/^\d+$/),
      modelVersion: expect.any(String),
    });
    expect(numbers(asJson(answer)['embedding'])).toHaveLength(256);
  });
});
