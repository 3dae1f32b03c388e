/** Pacing end to end: through the transport against the emulator (real time, kept short) and through the predict API. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { TEST_API_KEY } from '../../fixtures/emulator/test-credentials.js';
import { resolveClientConfig } from '../../src/connectors/client-config.js';
import { createHttpClient, type HttpClient } from '../../src/http/http-client.js';
import { errorReason } from '../helpers/test-app.js';
import { appWithModel, embed, openAiWith } from '../models/batching/support.js';
import { manualClock } from './support/manual-clock.js';
import { loopbackPolicy } from './support/policies.js';

let emulator: Emulator;
let client: HttpClient | undefined;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
afterEach(async () => {
  emulator.reset();
  await client?.close();
  client = undefined;
});

const embeddings = (text: string) => ({
  url: `${emulator.url}/v1/embeddings`,
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_API_KEY}` },
  body: JSON.stringify({ input: [text], model: 'text-embedding-ada-002' }),
});

describe('pacing', () => {
  it('should let no more calls reach the provider than requests_per_minute allows, queueing the rest until all complete', async () => {
    const perMinute = 1200; // 20 a second, bursts of 20
    client = createHttpClient();
    const calls = 26;
    const responses = await Promise.all(
      Array.from({ length: calls }, (_, index) => client!.send(embeddings(`text ${index}`), loopbackPolicy({ requests_per_minute: perMinute }))),
    );
    expect(responses.map((response) => response.status)).toEqual(Array<number>(calls).fill(200));
    const starts = emulator.requests.map((request) => request.startTime).sort((left, right) => left - right);
    expect(starts).toHaveLength(calls);
    const burst = perMinute / 60;
    // Jitter between the pacer's decision and the emulator's clock, generous for a loaded machine: with
    // it, 26 unpaced calls would still break the bound (22 at most in any 50 ms).
    const toleranceMillis = 50;
    for (let from = 0; from < starts.length; from++) {
      for (let to = from; to < starts.length; to++) {
        const window = starts[to]! - starts[from]! + toleranceMillis;
        expect(to - from + 1, `calls ${from}..${to} within ${window} ms`).toBeLessThanOrEqual(Math.floor(burst + (perMinute * window) / 60_000) + 1);
      }
    }
    // The calls past the burst really waited: 6 more at 50 ms each.
    expect(starts.at(-1)! - starts[0]!).toBeGreaterThanOrEqual(250);
  });

  it('should answer 429 through the predict API when the pacing queue is full, and serve the queued calls', async () => {
    const { test, modelId, connectorId } = await appWithModel(openAiWith(emulator, { requests_per_minute: 1200, max_queued_requests: 3, batch_linger_ms: 0 }));
    const responses = await Promise.all(Array.from({ length: 30 }, (_, index) => embed(test, modelId, [`text ${index}`])));
    const statuses = responses.map((response) => response.status);
    const refused = responses.filter((response) => response.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    for (const response of refused) expect(errorReason(response.body)).toBe(`Too many requests queued for connector ${connectorId} (limit 3)`);
    expect(statuses.filter((status) => status !== 429).every((status) => status === 200)).toBe(true);
    expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(20 + 3 + 1);
    expect(emulator.requests.length).toBe(statuses.filter((status) => status === 200).length);
  });
});

describe('pacing to limits the provider reports', () => {
  const sendAll = (count: number, transport = resolveClientConfig({ max_retry_times: 10, retry_backoff_millis: 5 })) =>
    Promise.all(Array.from({ length: count }, (_, index) => client!.send(embeddings(`text ${index}`), loopbackPolicy({}, { transport }))));

  it('should learn the request limit from the first answers and pace to it before the provider refuses', async () => {
    emulator.setQuota({ requestsPerMinute: 2400, burstSeconds: 1 }); // 40 a second, bursts of 40
    client = createHttpClient();
    const started = performance.now();
    const responses = await sendAll(100);
    expect(responses.every((response) => response.status === 200)).toBe(true);
    // The first wave (30 connections) fits the burst; every later call waited for the pacer.
    expect(emulator.quotaStats).toMatchObject({ admitted: 100, throttled: 0 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(1400); // (100 - 40) / 40 a second
  });

  it('should learn the token limit and pace by estimated tokens', async () => {
    emulator.setQuota({ tokensPerMinute: 120_000, burstSeconds: 1 }); // 2,000 tokens a second
    client = createHttpClient();
    const text = 'x'.repeat(200); // 50 tokens as the provider counts them, a little more as estimated
    const call = () => client!.send({ ...embeddings(text), body: JSON.stringify({ input: [text], model: 'text-embedding-ada-002' }) }, loopbackPolicy({ max_retry_times: 10, retry_backoff_millis: 5 }));
    await call(); // the first answer tells the limit
    const started = performance.now();
    const responses = await Promise.all(Array.from({ length: 40 }, call));
    expect(responses.every((response) => response.status === 200)).toBe(true);
    expect(emulator.quotaStats).toMatchObject({ admitted: 41, throttled: 0 });
    // About 2,500 estimated tokens from an empty bucket at 2,000 a second.
    expect(performance.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it('should charge a call the tokens its caller estimated, not its body size', async () => {
    const clock = manualClock();
    client = createHttpClient({ clock });
    const policy = loopbackPolicy({ tokens_per_minute: 600 }); // 10 tokens a second, bucket 10
    const outbound = { ...embeddings('x'.repeat(40)), estimatedTokens: 10 };
    expect((await client.send(outbound, policy)).status).toBe(200);
    // The bucket is empty, not 15 in debt as the ~100-byte body would leave it: 1 token in 100 ms.
    expect(client.callBudget!(policy.poolKey, policy.transport)!.waitMillis(1)).toBe(100);
  });

  it('should pace to its replica share of a learned limit', async () => {
    emulator.setQuota({ requestsPerMinute: 2400, burstSeconds: 1 });
    client = createHttpClient();
    const shared = { ...resolveClientConfig({ max_retry_times: 10, retry_backoff_millis: 5 }), rateShare: 0.5 };
    const started = performance.now();
    const responses = await sendAll(60, shared);
    expect(responses.every((response) => response.status === 200)).toBe(true);
    // 30 before anything was known, then 30 more at 20 a second (half of 40) from an empty bucket:
    // 1.5 s (0.75 s at the whole rate), and the provider never refuses.
    expect(emulator.quotaStats).toMatchObject({ admitted: 60, throttled: 0 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(1300);
  });
});

