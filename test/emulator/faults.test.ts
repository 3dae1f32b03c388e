import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { asJson, postJson, signedPost, type Answer } from './client.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const openAiEmbed = (input: unknown = ['hello']) =>
  postJson(emulator, '/v1/embeddings', { input, model: 'text-embedding-ada-002' });
const titan = (inputText = 'hello') =>
  signedPost(
    emulator,
    '/model/amazon.titan-embed-text-v1/invoke',
    { inputText },
    { service: 'bedrock' },
  );
const sagemaker = (body: unknown) =>
  signedPost(emulator, '/endpoints/e/invocations', body, { service: 'sagemaker' });
const cohere = (texts: string[]) =>
  postJson(emulator, '/v1/embed', { texts, model: 'embed-english-v3.0' });

describe('throttle faults answer each provider’s real throttling shape', () => {
  it.each<[string, () => Promise<Answer>, number, unknown, Record<string, unknown>]>([
    [
      'OpenAI',
      () => openAiEmbed(),
      429,
      {
        error: {
          type: 'requests',
          param: null,
          code: 'rate_limit_exceeded',
          message: expect.stringContaining('Rate limit reached'),
        },
      },
      {},
    ],
    [
      'Bedrock',
      () => titan(),
      429,
      { message: expect.any(String) },
      {
        'x-amzn-errortype':
          'ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.availability/',
      },
    ],
    [
      'SageMaker (400 {"message":null})',
      () => sagemaker(['x']),
      400,
      { message: null },
      { 'x-amzn-errortype': expect.stringMatching(/^ThrottlingException:/) },
    ],
    ['Cohere', () => cohere(['x']), 429, { message: expect.any(String) }, {}],
  ])('%s', async (_provider, call, status, body, headers) => {
    emulator.addFault({ effect: 'throttle', retryAfterSeconds: 3 });
    const throttled = await call();
    expect(throttled.status).toBe(status);
    expect(throttled.json).toEqual(body);
    expect(throttled.headers).toMatchObject({ ...headers, 'retry-after': '3' });
    expect((await call()).status).toBe(200);
  });
});

describe('fault effects', () => {
  it('error: a status with the provider error body, `times` uses', async () => {
    emulator.addFault({ effect: 'error', status: 503, times: 2 });
    expect((await openAiEmbed()).status).toBe(503);
    const second = await titan();
    expect(second.status).toBe(503);
    expect(second.headers['x-amzn-errortype']).toMatch(/^ServiceUnavailableException:/);
    expect((await openAiEmbed()).status).toBe(200);
    expect(emulator.faults[0]).toMatchObject({ remaining: 0, hits: 2 });
  });

  it('error: a custom body replaces the provider one', async () => {
    emulator.addFault({ effect: 'error', status: 500, body: { custom: true } });
    expect(asJson(await openAiEmbed())).toEqual({ custom: true });
  });

  it('unlimited faults keep firing until cleared', async () => {
    emulator.addFault({ effect: 'error', status: 500, times: 'unlimited' });
    for (let attempt = 0; attempt < 3; attempt++) expect((await openAiEmbed()).status).toBe(500);
    emulator.clearFaults();
    expect((await openAiEmbed()).status).toBe(200);
  });

  it('drop: destroys the connection mid-request', async () => {
    emulator.addFault({ effect: 'drop' });
    await expect(openAiEmbed()).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(emulator.requests.at(-1)).toMatchObject({
      dropped: true,
      status: null,
      faultId: expect.any(String),
    });
    expect((await openAiEmbed()).status).toBe(200);
  });

  it('garbage: a 200 whose body is not JSON', async () => {
    emulator.addFault({ effect: 'garbage' });
    const answer = await openAiEmbed();
    expect(answer.status).toBe(200);
    expect(answer.json).toBeUndefined();
    expect(answer.text.length).toBeGreaterThan(0);
  });

  it('empty: a 200 with an empty body', async () => {
    emulator.addFault({ effect: 'empty' });
    const answer = await openAiEmbed();
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
    expect(answer.headers['content-length']).toBe('0');
  });

  it('redirect: a 307 with a Location (default: the same URL)', async () => {
    emulator.addFault({ effect: 'redirect' });
    const same = await openAiEmbed();
    expect(same.status).toBe(307);
    expect(same.headers['location']).toBe('/v1/embeddings');
    emulator.addFault({ effect: 'redirect', status: 302, location: 'http://elsewhere.invalid/x' });
    const elsewhere = await openAiEmbed();
    expect(elsewhere.status).toBe(302);
    expect(elsewhere.headers['location']).toBe('http://elsewhere.invalid/x');
  });

  it('delay: answers normally after the extra delay', async () => {
    emulator.addFault({ effect: 'delay', delayMs: 150 });
    const started = Date.now();
    expect((await openAiEmbed()).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe('fault matchers', () => {
  it('match by provider, path regex and body text', async () => {
    emulator.addFault({
      effect: 'error',
      status: 500,
      match: { provider: 'bedrock' },
      times: 'unlimited',
    });
    emulator.addFault({
      effect: 'error',
      status: 502,
      match: { path: '^/v1/embed$' },
      times: 'unlimited',
    });
    emulator.addFault({
      effect: 'error',
      status: 504,
      match: { bodyContains: 'poison' },
      times: 'unlimited',
    });
    expect((await titan()).status).toBe(500);
    expect((await cohere(['x'])).status).toBe(502);
    expect((await openAiEmbed(['clean'])).status).toBe(200);
    expect((await openAiEmbed(['poison pill'])).status).toBe(504);
  });
});

describe('the __emulator_fail__ marker', () => {
  it.each<[string, () => Promise<Answer>, number, unknown]>([
    [
      'OpenAI',
      () => openAiEmbed(['ok', 'bad __emulator_fail__ doc']),
      400,
      { error: { type: 'invalid_request_error' } },
    ],
    [
      'Cohere',
      () => cohere(['__emulator_fail__']),
      400,
      { message: expect.stringContaining('__emulator_fail__') },
    ],
    [
      'Bedrock',
      () => titan('x __emulator_fail__'),
      400,
      { message: expect.stringContaining('__emulator_fail__') },
    ],
    [
      'SageMaker',
      () => sagemaker(['__emulator_fail__']),
      424,
      { ErrorCode: 'CLIENT_ERROR_FROM_MODEL' },
    ],
  ])(
    '%s fails only the marked request with its invalid-input error',
    async (_provider, call, status, body) => {
      const failed = await call();
      expect(failed.status).toBe(status);
      expect(failed.json).toMatchObject(body as object);
    },
  );

  it('leaves other requests alone', async () => {
    expect((await titan('a normal document')).status).toBe(200);
  });
});
