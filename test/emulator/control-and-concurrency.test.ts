import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { asJson, list, postJson, send } from './client.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.reset();
  emulator.setLatency(0);
});

const chat = (content: string) =>
  postJson(emulator, '/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content }] });
const control = (method: string, path: string, body?: unknown) =>
  send(emulator, {
    method,
    path: `/_emulator/${path}`,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('request log and concurrency', () => {
  it('records method, path, provider, route, headers, parsed body, status and timestamps', async () => {
    await chat('first');
    const [entry] = emulator.requests;
    expect(entry).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      provider: 'openai',
      route: 'openai.chat_completions',
      status: 200,
      body: { model: 'm', messages: [{ role: 'user', content: 'first' }] },
      headers: { authorization: 'Bearer test-key' },
    });
    expect(entry?.endTime).toBeGreaterThanOrEqual(entry?.startTime ?? Infinity);
  });

  it('tracks the peak of concurrent requests', async () => {
    // Long enough that all five are in flight together even on a loaded machine.
    emulator.setLatency(250);
    await Promise.all(Array.from({ length: 5 }, (_, index) => chat(`parallel ${index}`)));
    expect(emulator.maxConcurrent).toBe(5);
    expect(emulator.inFlight).toBe(0);
    emulator.clearRequests();
    expect(emulator.maxConcurrent).toBe(0);
    for (let index = 0; index < 3; index++) await chat(`serial ${index}`);
    expect(emulator.maxConcurrent).toBe(1);
    expect(emulator.requests).toHaveLength(3);
  });

  it('timestamps show the added latency and the pacing of sequential requests', async () => {
    emulator.setLatency(50);
    await chat('a');
    await chat('b');
    const [first, second] = emulator.requests;
    expect((first?.endTime ?? 0) - (first?.startTime ?? 0)).toBeGreaterThanOrEqual(45);
    expect(second?.startTime).toBeGreaterThanOrEqual(first?.endTime ?? Infinity);
  });

  it('bounds the log', async () => {
    const small = await startEmulator({ maxLoggedRequests: 2 });
    try {
      for (const text of ['a', 'b', 'c'])
        await postJson(small, '/v1/chat/completions', {
          model: 'm',
          messages: [{ role: 'user', content: text }],
        });
      expect(
        small.requests.map(
          (entry) => (entry.body as { messages: { content: string }[] }).messages[0]?.content,
        ),
      ).toEqual(['b', 'c']);
    } finally {
      await small.close();
    }
  });
});

describe('control API', () => {
  it('GET /_emulator/health reports status and counters', async () => {
    await chat('x');
    const answer = await control('GET', 'health');
    expect(asJson(answer)).toMatchObject({
      status: 'ok',
      url: emulator.url,
      requests: 1,
      faults: 0,
      inFlight: 0,
    });
  });

  it('GET /_emulator/requests lists and filters; DELETE clears', async () => {
    await chat('x');
    await postJson(emulator, '/v1/embed', { texts: ['y'], model: 'embed-english-v3.0' });
    const cohereOnly = await control('GET', 'requests?provider=cohere');
    expect(list(asJson(cohereOnly)['requests'])).toHaveLength(1);
    expect(asJson(cohereOnly)['requests']?.[0]?.['route']).toBe('cohere.embed_v1');
    await control('DELETE', 'requests');
    expect(emulator.requests).toHaveLength(0);
  });

  it('POST /_emulator/faults adds faults (one or many), GET lists, DELETE removes', async () => {
    const added = await control('POST', 'faults', [
      { effect: 'throttle', match: { provider: 'openai' } },
      { effect: 'error', status: 500, times: 'unlimited', match: { path: '^/v2/chat$' } },
    ]);
    expect(added.status).toBe(201);
    const ids = list(asJson(added)['ids']) as string[];
    expect(ids).toHaveLength(2);
    expect((await chat('x')).status).toBe(429);
    const listed = await control('GET', 'faults');
    expect(asJson(listed)['faults']?.[0]).toMatchObject({ id: ids[0], remaining: 0, hits: 1 });
    expect((await control('DELETE', `faults/${ids[1]}`)).status).toBe(200);
    expect((await control('DELETE', 'faults/nope')).status).toBe(404);
    expect(emulator.faults).toHaveLength(1);
    await control('DELETE', 'faults');
    expect(emulator.faults).toHaveLength(0);
  });

  it.each([
    [{ effect: 'explode' }, 'fault.effect must be one of'],
    [{ effect: 'error', times: 0 }, 'fault.times must be a positive integer'],
    [{ effect: 'error', match: { provider: 'acme' } }, 'fault.match.provider must be one of'],
    [{ effect: 'error', match: { path: '(' } }, 'Invalid regular expression'],
  ])('rejects the invalid fault %j', async (fault, message) => {
    const answer = await control('POST', 'faults', fault);
    expect(answer.status).toBe(400);
    expect(asJson(answer)['error']).toContain(message);
  });

  it('POST /_emulator/latency sets latency; POST /_emulator/reset clears faults and log', async () => {
    expect(asJson(await control('POST', 'latency', { latencyMs: 30 }))).toEqual({ latencyMs: 30, perInputMs: 0 });
    const started = Date.now();
    await chat('slow');
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    await control('POST', 'faults', { effect: 'error' });
    await control('POST', 'reset');
    expect(emulator.faults).toHaveLength(0);
    expect(emulator.requests).toHaveLength(0);
    expect((await control('POST', 'latency', { latencyMs: -1 })).status).toBe(400);
  });

  it('control calls are not logged; unknown provider paths are 404 JSON and logged', async () => {
    await control('GET', 'health');
    expect(emulator.requests).toHaveLength(0);
    const missing = await postJson(emulator, '/v9/unknown', {});
    expect(missing.status).toBe(404);
    expect(asJson(missing)['error']?.['message']).toContain(
      'No emulated provider serves POST /v9/unknown',
    );
    expect(emulator.requests[0]).toMatchObject({ provider: null, route: null, status: 404 });
    expect((await control('GET', 'nothing')).status).toBe(404);
  });
});
