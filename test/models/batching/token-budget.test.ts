/** Batch sizes chosen by tokens while a model's calls are paced: the token budget, and batches that fill while their turn comes. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../fixtures/emulator/start-emulator.js';
import { createHttpClient, type HttpClient } from '../../../src/http/http-client.js';
import { appWithModel, embed, openAiWith, sentInputs } from './support.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => emulator.close());
afterEach(() => emulator.reset());

const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

describe('batch sizes by tokens while calls are paced', () => {
  it('should keep each coalesced call within half the token bucket of tokens_per_minute', async () => {
    // 1,000 estimated tokens a second, bucket 1,000: calls of at most 500 tokens (2,000 bytes of text).
    const { test, modelId } = await appWithModel(openAiWith(emulator, { tokens_per_minute: 60_000, batch_linger_ms: 20 }));
    const texts = Array.from({ length: 10 }, (_, index) => `${index} ${'x'.repeat(598)}`);
    const responses = await Promise.all(texts.map((text) => embed(test, modelId, [text])));
    expect(responses.map((response) => response.status)).toEqual(Array<number>(10).fill(200));
    for (const inputs of sentInputs(emulator)) expect(inputs.join('').length).toBeLessThanOrEqual(2000);
    expect(sentInputs(emulator).flat().sort()).toEqual([...texts].sort());
  });

  it('should size calls by the tokens-per-minute limit the provider reports', async () => {
    emulator.setQuota({ tokensPerMinute: 120_000, burstSeconds: 1 }); // 2,000 tokens a second: calls of at most 1,000
    const { test, modelId } = await appWithModel(openAiWith(emulator, { batch_linger_ms: 20, max_retry_times: 10 }));
    expect((await embed(test, modelId, ['learn the limits'])).status).toBe(200);
    emulator.clearRequests();
    const texts = Array.from({ length: 12 }, (_, index) => `${index} ${'y'.repeat(798)}`); // 200 tokens each
    const responses = await Promise.all(texts.map((text) => embed(test, modelId, [text])));
    expect(responses.map((response) => response.status)).toEqual(Array<number>(12).fill(200));
    for (const inputs of sentInputs(emulator)) expect(inputs.join('').length).toBeLessThanOrEqual(4000);
    expect(emulator.quotaStats?.throttled).toBe(0);
  });

  it('should count a text_docs call by its texts, not by the JSON around them', async () => {
    const http = createHttpClient();
    const estimates: Array<number | undefined> = [];
    const recording: HttpClient = { ...http, send: (outbound, policy) => (estimates.push(outbound.estimatedTokens), http.send(outbound, policy)) };
    const { test, modelId } = await appWithModel(openAiWith(emulator, { tokens_per_minute: 600_000, batch_linger_ms: 0 }), {}, { http: recording });
    expect((await embed(test, modelId, ['x'.repeat(40), 'é'.repeat(20)])).status).toBe(200);
    // 40 + 40 UTF-8 bytes of text at 4 bytes a token; the ~150-byte body would count 38.
    expect(estimates).toEqual([20]);
    await http.close();
  });

  it('should let a batch fill while its call would wait for requests_per_minute, instead of queueing half-empty calls', async () => {
    // 2 calls a second, bucket 2; callers arrive every 5 ms while calls wait their turn.
    const { test, modelId } = await appWithModel(openAiWith(emulator, { requests_per_minute: 120, batch_max_inputs: 8, batch_linger_ms: 2 }));
    const pending: Array<Promise<{ status: number }>> = [];
    for (let index = 0; index < 20; index++) {
      pending.push(embed(test, modelId, [`caller ${index}`]));
      await sleep(5);
    }
    const responses = await Promise.all(pending);
    expect(responses.map((response) => response.status)).toEqual(Array<number>(20).fill(200));
    // Two calls go at once (the bucket), then every call waits its turn full: ceil(18 / 8) more.
    expect(emulator.requests.length).toBeLessThanOrEqual(6);
    for (const inputs of sentInputs(emulator)) expect(inputs.length).toBeLessThanOrEqual(8);
  }, 30_000);
});
