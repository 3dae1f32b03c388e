/** Pacing end to end: through the transport against the emulator (real time, kept short) and through the predict API. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { TEST_API_KEY } from '../../fixtures/emulator/test-credentials.js';
import { createHttpClient, type HttpClient } from '../../src/http/http-client.js';
import { errorReason } from '../helpers/test-app.js';
import { appWithModel, embed, openAiWith } from '../models/batching/support.js';
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
