import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { goDuration } from '../../fixtures/emulator/quota-answers.js';
import { QuotaBuckets, parseQuotaSpec } from '../../fixtures/emulator/quota.js';
import { inputCount, requestTokens } from '../../fixtures/emulator/request-cost.js';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { TEST_API_KEY } from '../../fixtures/emulator/test-credentials.js';
import { asJson, postJson, send, signedPost, type Answer } from './client.js';

let emulator: Emulator;
const OTHER_KEY = 'second-key';
beforeAll(async () => {
  emulator = await startEmulator({ apiKeys: [TEST_API_KEY, OTHER_KEY] });
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.reset();
  emulator.setLatency(0, 0);
});

const openAiEmbed = (input: string[], key = TEST_API_KEY) =>
  postJson(emulator, '/v1/embeddings', { input, model: 'text-embedding-3-small' }, { authorization: `Bearer ${key}` });
const azureEmbed = (input: string[]) =>
  postJson(emulator, '/openai/deployments/emb/embeddings?api-version=2024-02-01', { input }, { 'api-key': TEST_API_KEY });
const cohereEmbed = (texts: string[]) => postJson(emulator, '/v1/embed', { texts, model: 'embed-english-v3.0', input_type: 'search_document' });
const titanEmbed = (texts: string[]) =>
  signedPost(emulator, '/model/amazon.titan-embed-text-v2:0/invoke', { inputText: texts.join(' ') }, { service: 'bedrock' });

/** The headers of an answer that name rate limits or retries. */
const rateHeaders = (answer: Answer): Record<string, unknown> =>
  Object.fromEntries(Object.entries(answer.headers).filter(([name]) => /ratelimit|retry-after|call-limit|call-remaining|errortype/.test(name)));

describe('emulator quota: each provider’s headers and refusals', () => {
  it.each<[string, (texts: string[]) => Promise<Answer>, Record<string, unknown>, number, unknown, Record<string, unknown>]>([
    [
      'OpenAI',
      openAiEmbed,
      {
        'x-ratelimit-limit-requests': '2',
        'x-ratelimit-remaining-requests': '1',
        'x-ratelimit-reset-requests': expect.stringMatching(/^(29\.9\d*s|30s)$/),
        'x-ratelimit-limit-tokens': '1000',
        'x-ratelimit-remaining-tokens': '998',
        'x-ratelimit-reset-tokens': expect.stringMatching(/^1(19|20)ms$/),
      },
      429,
      {
        error: {
          message: expect.stringMatching(
            /^Rate limit reached for text-embedding-3-small in organization org-emulator on requests per min \(RPM\): Limit 2, Used 2, Requested 1\. Please try again in \d+(\.\d+)?s\./,
          ),
          type: 'requests',
          param: null,
          code: 'rate_limit_exceeded',
        },
      },
      {
        'x-ratelimit-limit-requests': '2',
        'x-ratelimit-remaining-requests': '0',
        'retry-after': expect.stringMatching(/^(29|30)$/),
        'retry-after-ms': expect.stringMatching(/^(29\d{3}|30000)$/),
      },
    ],
    [
      'Azure OpenAI',
      azureEmbed,
      { 'x-ratelimit-remaining-requests': '1', 'x-ratelimit-remaining-tokens': '998' },
      429,
      {
        error: {
          code: '429',
          message: expect.stringMatching(
            /^Requests to the Embeddings_Create Operation under Azure OpenAI API version 2024-02-01 have exceeded call rate limit of your current OpenAI S0 pricing tier\. Please retry after (29|30) seconds\./,
          ),
        },
      },
      { 'x-ratelimit-remaining-requests': '0', 'retry-after': expect.stringMatching(/^(29|30)$/), 'retry-after-ms': expect.any(String) },
    ],
    [
      'Cohere',
      cohereEmbed,
      { 'x-trial-endpoint-call-limit': '2', 'x-trial-endpoint-call-remaining': '1', 'x-endpoint-monthly-call-limit': '1000' },
      429,
      { id: expect.any(String), message: expect.stringContaining('You are using a Trial key, which is limited to 2 API calls / minute.') },
      {},
    ],
    [
      'Bedrock',
      titanEmbed,
      {},
      429,
      { message: 'Too many requests, please wait before trying again.' },
      { 'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.availability/' },
    ],
  ])('%s', async (_, call, admittedHeaders, refusedStatus, refusedBody, refusedHeaders) => {
    emulator.setQuota({ requestsPerMinute: 2, tokensPerMinute: 1000 });
    const first = await call(['abcdefgh']); // 8 characters: 2 tokens
    expect(first.status).toBe(200);
    expect(rateHeaders(first)).toEqual(admittedHeaders);
    expect((await call(['abcdefgh'])).status).toBe(200);
    const refused = await call(['abcdefgh']);
    expect(refused.status).toBe(refusedStatus);
    expect(refused.json).toEqual(refusedBody);
    expect(rateHeaders(refused)).toMatchObject(refusedHeaders);
    if (Object.keys(refusedHeaders).length === 0) expect(rateHeaders(refused)).toEqual({});
    expect(emulator.quotaStats).toEqual({ admitted: 2, throttled: 1, admittedTokens: expect.any(Number) });
  });
});

describe('emulator quota: tokens, credentials, latency', () => {
  it('should refuse on tokens with the wait until enough tokens are back, and refuse a request over the per-minute limit for good', async () => {
    emulator.setQuota({ tokensPerMinute: 600 }); // 10 tokens a second
    expect((await openAiEmbed(['x'.repeat(2000)])).status).toBe(200); // 500 tokens, 100 left
    const refused = await openAiEmbed(['x'.repeat(800)]); // 200 tokens: 100 short, 10 s
    expect(refused.status).toBe(429);
    expect(asJson(refused).error?.['type']).toBe('tokens');
    expect(asJson(refused).error?.['message']).toMatch(/on tokens per min \(TPM\): Limit 600, Used 500, Requested 200\. Please try again in (9\.9\d*|10)s\./);
    expect(Number(refused.headers['retry-after-ms'])).toBeGreaterThan(9_900);
    const tooLarge = await openAiEmbed(['x'.repeat(2404)]); // 601 tokens
    expect(tooLarge.status).toBe(429);
    expect(asJson(tooLarge).error?.['message']).toMatch(/^Request too large for text-embedding-3-small in organization org-emulator on tokens per min \(TPM\): Limit 600, Requested 601\./);
    expect(tooLarge.headers['retry-after']).toBeUndefined();
  });

  it('should keep one quota per credential', async () => {
    emulator.setQuota({ requestsPerMinute: 1 });
    expect((await openAiEmbed(['a'])).status).toBe(200);
    expect((await openAiEmbed(['a'])).status).toBe(429);
    expect((await openAiEmbed(['a'], OTHER_KEY)).status).toBe(200);
  });

  it('should only count the provider a quota names', async () => {
    emulator.setQuota({ requestsPerMinute: 1, provider: 'cohere' });
    for (let call = 0; call < 3; call++) expect((await openAiEmbed(['a'])).status).toBe(200);
    expect((await cohereEmbed(['a'])).status).toBe(200);
    expect((await cohereEmbed(['a'])).status).toBe(429);
  });

  it('should grow the latency with the batch and answer refusals at once', async () => {
    emulator.setLatency(20, 4);
    const timed = async (call: () => Promise<Answer>) => {
      const started = performance.now();
      const answer = await call();
      return { status: answer.status, millis: performance.now() - started };
    };
    const one = await timed(() => openAiEmbed(['a']));
    const fifty = await timed(() => openAiEmbed(Array.from({ length: 50 }, (_, index) => `text ${index}`)));
    expect(one.millis).toBeGreaterThanOrEqual(23);
    expect(one.millis).toBeLessThan(150);
    expect(fifty.millis).toBeGreaterThanOrEqual(219);
    emulator.setQuota({ requestsPerMinute: 1 });
    await openAiEmbed(['a']);
    const refused = await timed(() => openAiEmbed(['a']));
    expect(refused.status).toBe(429);
    expect(refused.millis).toBeLessThan(20);
  });

  it('should be set, read and removed through the control API, refusing bad specs', async () => {
    const control = (method: string, body?: unknown) =>
      send(emulator, {
        method,
        path: '/_emulator/quota',
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    expect((await control('PUT', { requestsPerMinute: 1, burstSeconds: 1 })).status).toBe(200);
    await openAiEmbed(['a']);
    await openAiEmbed(['a']);
    expect((await control('GET')).json).toEqual({
      quota: { requestsPerMinute: 1, burstSeconds: 1 },
      stats: { admitted: 1, throttled: 1, admittedTokens: 0 },
    });
    expect((await control('DELETE')).status).toBe(200);
    expect((await openAiEmbed(['a'])).status).toBe(200);
    for (const bad of [{}, { requestsPerMinute: -1 }, { tokensPerMinute: 5, provider: 'nobody' }, { requestsPerMinute: 1, per: 'hour' }]) {
      expect((await control('PUT', bad)).status).toBe(400);
    }
    const latency = await send(emulator, { path: '/_emulator/latency', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latencyMs: 0, perInputMs: 2 }) });
    expect(latency.json).toEqual({ latencyMs: 0, perInputMs: 2 });
  });
});

describe('QuotaBuckets', () => {
  it('should refill continuously, report the reset as the time to a full bucket, and let a request larger than the burst go into debt', () => {
    let now = 0;
    const quota = new QuotaBuckets({ tokensPerMinute: 6000, burstSeconds: 1 }, () => now); // 100 a second, bucket 100
    expect(quota.take('k', 60)).toMatchObject({ admitted: true, tokens: { limit: 6000, remaining: 40, resetMillis: 600 } });
    expect(quota.take('k', 60)).toMatchObject({ admitted: false, exhausted: 'tokens', retryAfterMillis: 200 });
    now = 200;
    expect(quota.take('k', 60)).toMatchObject({ admitted: true, tokens: { remaining: 0 } });
    expect(quota.take('k', 250)).toMatchObject({ admitted: false, retryAfterMillis: 1000 }); // needs a full bucket
    now = 1200;
    expect(quota.take('k', 250)).toMatchObject({ admitted: true, tokens: { remaining: 0, resetMillis: 2500 } });
    expect(quota.take('other', 100)).toMatchObject({ admitted: true });
    expect(quota.stats).toEqual({ admitted: 4, throttled: 2, admittedTokens: 470 });
  });

  it('should count tokens from the text a request carries, and inputs from its batch', () => {
    expect(requestTokens({ input: ['abcd', 'efgh'], model: 'text-embedding-3-small', encoding_format: 'float' })).toBe(2);
    expect(requestTokens({ messages: [{ role: 'user', content: 'x'.repeat(40) }], max_tokens: 5 })).toBe(15);
    expect(requestTokens({ texts: [], model: 'm' })).toBe(1);
    expect(inputCount({ input: ['a', 'b', 'c'] })).toBe(3);
    expect(inputCount({ texts: ['a', 'b'] })).toBe(2);
    expect(inputCount({ input: [1, 2, 3] })).toBe(1);
    expect(inputCount({ inputText: 'a' })).toBe(1);
  });

  it.each([
    [0, '0ms'],
    [20, '20ms'],
    [999.2, '1s'],
    [1000, '1s'],
    [1500, '1.5s'],
    [60_000, '1m0s'],
    [360_000, '6m0s'],
    [90_250, '1m30.25s'],
    [3_723_000, '1h2m3s'],
  ])('should write %d ms as %s', (millis, text) => {
    expect(goDuration(millis)).toBe(text);
  });

  it('should accept a valid spec', () => {
    expect(parseQuotaSpec({ requestsPerMinute: 10, provider: 'openai' })).toEqual({ requestsPerMinute: 10, provider: 'openai' });
  });
});
