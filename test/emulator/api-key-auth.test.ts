import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { asJson, postJson } from './client.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ apiKeys: ['test-key', 'second-key'] });
});
afterAll(() => emulator.close());

const chat = { model: 'm', messages: [{ role: 'user', content: 'hi' }] };
const embed = { texts: ['hi'], model: 'embed-english-v3.0' };
const generate = { contents: [{ parts: [{ text: 'hi' }] }] };
const semantic = { model: 'luminous-base', prompt: 'hi', representation: 'document' };

// [provider, path, body, wrong-key headers, expected status, expected body fragment]
const WRONG_KEY: [string, string, unknown, Record<string, string>, number, unknown][] = [
  [
    'OpenAI',
    '/v1/chat/completions',
    chat,
    { authorization: 'Bearer sk-wrongwrongwrong' },
    401,
    {
      error: {
        code: 'invalid_api_key',
        message: expect.stringContaining('Incorrect API key provided: sk-'),
      },
    },
  ],
  [
    'Azure OpenAI',
    '/openai/deployments/d/chat/completions',
    chat,
    { 'api-key': 'nope' },
    401,
    { error: { code: '401', message: expect.stringContaining('Access denied') } },
  ],
  [
    'Cohere',
    '/v1/embed',
    embed,
    { authorization: 'Bearer nope' },
    401,
    { message: 'invalid api token' },
  ],
  [
    'Gemini',
    '/v1beta/models/gemini-2.0-flash:generateContent',
    generate,
    { 'x-goog-api-key': 'nope' },
    400,
    { error: { status: 'INVALID_ARGUMENT', details: [{ reason: 'API_KEY_INVALID' }] } },
  ],
  [
    'Aleph Alpha',
    '/semantic_embed',
    semantic,
    { authorization: 'Bearer nope' },
    401,
    { code: 'UNAUTHENTICATED' },
  ],
  [
    'Yandex',
    '/foundationModels/v1/textEmbedding',
    { modelUri: 'emb://f/text-search-doc/latest', text: 'x' },
    { authorization: 'Api-Key nope' },
    401,
    { error: { httpCode: 401 } },
  ],
];

// [provider, path, body, expected status, expected body fragment] with no credentials at all.
const MISSING_KEY: [string, string, unknown, number, unknown][] = [
  [
    'OpenAI',
    '/v1/embeddings',
    { input: 'x', model: 'text-embedding-3-small' },
    401,
    { error: { message: expect.stringContaining("You didn't provide an API key") } },
  ],
  [
    'Cohere',
    '/v2/chat',
    { model: 'command-r', messages: [] },
    401,
    { message: 'no api key supplied' },
  ],
  [
    'Gemini',
    '/v1beta/models/gemini-2.0-flash:generateContent',
    generate,
    403,
    { error: { status: 'PERMISSION_DENIED' } },
  ],
];

describe('API-key authentication', () => {
  it.each(WRONG_KEY)(
    '%s answers a wrong key in its own format',
    async (_provider, path, body, headers, status, fragment) => {
      const answer = await postJson(emulator, path, body, headers);
      expect(answer.status).toBe(status);
      expect(answer.json).toMatchObject(fragment as object);
    },
  );

  it.each(MISSING_KEY)(
    '%s answers a missing key in its own format',
    async (_provider, path, body, status, fragment) => {
      const answer = await postJson(emulator, path, body, {});
      expect(answer.status).toBe(status);
      expect(answer.json).toMatchObject(fragment as object);
    },
  );

  it('accepts every configured key', async () => {
    for (const key of ['test-key', 'second-key']) {
      const answer = await postJson(emulator, '/v1/chat/completions', chat, {
        authorization: `Bearer ${key}`,
      });
      expect(answer.status).toBe(200);
    }
  });

  it('checks the key before the body, like the providers', async () => {
    const answer = await postJson(emulator, '/v1/embed', '{not json', {
      authorization: 'Bearer nope',
    });
    expect(answer.status).toBe(401);
    const valid = await postJson(emulator, '/v1/embed', '{not json');
    expect(valid.status).toBe(400);
    expect(asJson(valid)['message']).toContain('could not parse');
  });
});
