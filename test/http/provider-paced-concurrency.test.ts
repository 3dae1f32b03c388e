/** A connector paced to the limits its provider reports answers throttling by pacing, not by halving its connections. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { TEST_API_KEY } from '../../fixtures/emulator/test-credentials.js';
import type { ProviderError } from '../../src/errors/provider-error.js';
import { createHttpClient, type HttpClient } from '../../src/http/http-client.js';
import { loopbackPolicy } from './support/policies.js';

let emulator: Emulator;
let client: HttpClient;
beforeAll(async () => {
  emulator = await startEmulator({ latencyMs: 30 });
});
afterAll(() => emulator.close());
afterEach(async () => {
  emulator.reset();
  await client.close();
});

/** Sends `count` calls at once; answers each call's status. */
const send = (count: number) =>
  Promise.all(
    Array.from({ length: count }, (_, index) =>
      client
        .send(
          {
            url: `${emulator.url}/v1/embeddings`,
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_API_KEY}` },
            body: JSON.stringify({ input: [`text ${index}`], model: 'text-embedding-ada-002' }),
          },
          loopbackPolicy({ max_connection: 8, max_retry_times: 0 }),
        )
        .then(
          (response) => response.status,
          (error: ProviderError) => error.statusCode,
        ),
    ),
  );

describe('throttling of a connector paced to reported limits', () => {
  it('should keep max_connection after 429s once the provider has reported its limits', async () => {
    emulator.setQuota({ requestsPerMinute: 600_000, burstSeconds: 1 }); // never binds: the headers only teach the limit
    client = createHttpClient();
    expect(await send(8)).toEqual(Array<number>(8).fill(200));

    emulator.addFault({ match: { path: '^/v1/embeddings$' }, effect: 'throttle', times: 8 });
    expect(await send(8)).toEqual(Array<number>(8).fill(429));

    emulator.clearRequests();
    expect(await send(8)).toEqual(Array<number>(8).fill(200));
    // A connector whose provider reports nothing would be down to 4 or 5 here (adaptive-concurrency.test.ts).
    expect(emulator.maxConcurrent).toBe(8);
  });
});
