import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { TEST_API_KEY } from '../../fixtures/emulator/test-credentials.js';
import type { ProviderError } from '../../src/errors/provider-error.js';
import { AdaptiveConcurrency } from '../../src/http/adaptive-concurrency.js';
import { ConnectionSlots } from '../../src/http/connection-slots.js';
import { createHttpClient, type HttpClient } from '../../src/http/http-client.js';
import { loopbackPolicy } from './support/policies.js';

describe('AdaptiveConcurrency', () => {
  it('should halve once per throttling episode, never below 1, then add one per window of successes', () => {
    const limits: number[] = [];
    const concurrency = new AdaptiveConcurrency(8, (limit) => limits.push(limit));
    const before = concurrency.begin();
    concurrency.throttled(before);
    concurrency.throttled(before); // same burst: already answered
    expect(concurrency.limit).toBe(4);
    for (let episode = 0; episode < 5; episode++) concurrency.throttled(concurrency.begin());
    expect(concurrency.limit).toBe(1);
    concurrency.succeeded(); // window of 1
    expect(concurrency.limit).toBe(2);
    concurrency.succeeded();
    expect(concurrency.limit).toBe(2);
    concurrency.succeeded(); // window of 2
    expect(concurrency.limit).toBe(3);
    for (let success = 0; success < 100; success++) concurrency.succeeded();
    expect(concurrency.limit).toBe(8);
    expect(limits).toEqual([4, 2, 1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

describe('ConnectionSlots with a moving limit', () => {
  it('should let a lower limit take effect as calls finish and a higher one admit waiters at once', async () => {
    const slots = new ConnectionSlots(3, 10, 10_000);
    await Promise.all([slots.acquire(), slots.acquire(), slots.acquire()]);
    const waiters = [slots.acquire(), slots.acquire()];
    slots.setLimit(1);
    slots.release();
    slots.release();
    expect(slots.inUse).toBe(1);
    expect(slots.queued).toBe(2);
    slots.setLimit(3);
    await Promise.all(waiters);
    expect(slots.inUse).toBe(3);
    expect(slots.inFlightLimit).toBe(3);
  });
});

describe('adaptive concurrency against the emulator', () => {
  let emulator: Emulator;
  let client: HttpClient;
  beforeAll(async () => {
    emulator = await startEmulator({ latencyMs: 30 });
  });
  afterAll(() => emulator.close());
  afterEach(async () => {
    emulator.reset();
    emulator.setLatency(30);
    await client.close();
  });

  /** Sends `count` calls at once; answers each call's status (a non-2xx rejects with a ProviderError). */
  const send = (count: number, config: Record<string, unknown> = {}) =>
    Promise.all(
      Array.from({ length: count }, (_, index) =>
        client.send(
          {
            url: `${emulator.url}/v1/embeddings`,
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_API_KEY}` },
            body: JSON.stringify({ input: [`text ${index}`], model: 'text-embedding-ada-002' }),
          },
          loopbackPolicy({ max_connection: 8, max_retry_times: 0, ...config }),
        ).then(
          (response) => response.status,
          (error: ProviderError) => error.statusCode,
        ),
      ),
    );

  /**
   * Sends 8 calls at once with a slow provider, so that every call the client lets through is in
   * flight at the same time however busy the machine is; answers the peak the emulator saw.
   */
  const peakOfEight = async (): Promise<number> => {
    emulator.setLatency(300);
    emulator.clearRequests();
    try {
      await send(8);
      return emulator.maxConcurrent;
    } finally {
      emulator.setLatency(30);
    }
  };

  it('should drop the in-flight limit after 429s, then recover to max_connection on successes', async () => {
    client = createHttpClient();
    expect(await peakOfEight()).toBe(8);

    emulator.addFault({ match: { path: '^/v1/embeddings$' }, effect: 'throttle', times: 8 });
    emulator.clearRequests();
    expect(await send(8)).toEqual(Array<number>(8).fill(429));

    emulator.clearRequests();
    await send(8);
    expect(emulator.maxConcurrent).toBeLessThanOrEqual(5); // halved to 4, one step regained during these 8

    for (let round = 0; round < 4; round++) await send(8);
    expect(await peakOfEight()).toBe(8);
  });

  it('should keep max_connection with adaptive_concurrency false', async () => {
    client = createHttpClient();
    emulator.addFault({ match: { path: '^/v1/embeddings$' }, effect: 'throttle', times: 8 });
    await send(8, { adaptive_concurrency: false });
    emulator.setLatency(300);
    emulator.clearRequests();
    await send(8, { adaptive_concurrency: false });
    expect(emulator.maxConcurrent).toBe(8);
  });

  it('should keep max_connection after 429s once the provider has reported its limits (pacing answers them)', async () => {
    emulator.setQuota({ requestsPerMinute: 600_000, burstSeconds: 1 }); // never binds: its headers only teach the limit
    client = createHttpClient();
    expect(await send(8)).toEqual(Array<number>(8).fill(200));
    emulator.addFault({ match: { path: '^/v1/embeddings$' }, effect: 'throttle', times: 8 });
    expect(await send(8)).toEqual(Array<number>(8).fill(429));
    expect(await peakOfEight()).toBe(8); // a provider that reports nothing would have halved it
  });
});
