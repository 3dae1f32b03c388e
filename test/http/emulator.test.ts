/** The transport against the provider emulator's real fault shapes (OpenAI, Bedrock, SageMaker). */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { TEST_API_KEY } from '../../fixtures/emulator/test-credentials.js';
import { createHttpClient, type HttpClient } from '../../src/http/http-client.js';
import type { OutboundRequest } from '../../src/http/outbound.js';
import { fakeClock } from './support/fake-clock.js';
import { loopbackPolicy } from './support/policies.js';

let emulator: Emulator;
let client: HttpClient;
let clock: ReturnType<typeof fakeClock>;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
afterEach(async () => {
  emulator.reset();
  await client.close();
});

const embeddings = (): OutboundRequest => ({
  url: `${emulator.url}/v1/embeddings`,
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_API_KEY}` },
  body: JSON.stringify({ input: ['hello world'], model: 'text-embedding-ada-002' }),
});

const newClient = (): HttpClient => {
  clock = fakeClock();
  return (client = createHttpClient({ clock }));
};

describe('provider faults', () => {
  it('retries OpenAI throttling, waiting as its retry-after says', async () => {
    emulator.addFault({ match: { path: '^/v1/embeddings$' }, effect: 'throttle', times: 2, retryAfterSeconds: 2 });
    const response = await newClient().send(embeddings(), loopbackPolicy());
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ object: 'list' });
    expect(emulator.requests).toHaveLength(3);
    expect(clock.sleeps).toEqual([2000, 2000]);
  });

  it('rejects with the provider 500 after the default three retries', async () => {
    emulator.addFault({ match: { path: '^/v1/embeddings$' }, effect: 'error', status: 500, times: 'unlimited' });
    await expect(newClient().send(embeddings(), loopbackPolicy())).rejects.toMatchObject({ statusCode: 500, isRetryable: true });
    expect(emulator.requests).toHaveLength(4);
  });

  it('recovers from a dropped connection', async () => {
    emulator.addFault({ match: { path: '^/v1/embeddings$' }, effect: 'drop' });
    const response = await newClient().send(embeddings(), loopbackPolicy());
    expect(response.status).toBe(200);
    expect(emulator.requests).toHaveLength(2);
  });

  it('does not follow the emulator redirect', async () => {
    emulator.addFault({ match: { path: '^/v1/embeddings$' }, effect: 'redirect', location: `${emulator.url}/v2/embed` });
    await expect(newClient().send(embeddings(), loopbackPolicy())).rejects.toMatchObject({
      status: 502,
      reason: `Remote service answered a redirect (307, Location: ${emulator.url}/v2/embed); connectors never follow redirects`,
    });
    expect(emulator.requests.map((request) => request.path)).toEqual(['/v1/embeddings']);
  });

  it('keeps max_connection against a slow provider', async () => {
    emulator.setLatency(60);
    try {
      const sending = newClient();
      await Promise.all(Array.from({ length: 8 }, () => sending.send(embeddings(), loopbackPolicy({ max_connection: 2 }))));
      expect(emulator.maxConcurrent).toBe(2);
    } finally {
      emulator.setLatency(0);
    }
  });

  it('refuses the emulator when private IPs are not allowed, before it sees anything', async () => {
    await expect(newClient().send(embeddings(), loopbackPolicy({}, { allowPrivateIps: false }))).rejects.toThrow(
      'Remote inference host name has private ip address: 127.0.0.1',
    );
    expect(emulator.requests).toHaveLength(0);
  });
});
