/** Per-connector pools: the max_connection bound on the wire, queueing limits, rebuilds and eviction. */
import type { Dispatcher } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenSearchError } from '../../src/errors/opensearch-error.js';
import { ConnectionPools, type PoolSpec } from '../../src/http/connection-pools.js';
import { createHttpClient, type HttpClient } from '../../src/http/http-client.js';
import { delayed, startListener, type TestListener } from './support/listener.js';
import { loopbackPolicy, post } from './support/policies.js';

const listeners: TestListener[] = [];
let client: HttpClient | undefined;
afterEach(async () => {
  await client?.close();
  await Promise.all(listeners.splice(0).map((listener) => listener.close()));
});

async function slowListener(milliseconds = 80): Promise<TestListener> {
  const listener = await startListener(delayed(milliseconds));
  listeners.push(listener);
  return listener;
}

describe('max_connection on the wire', () => {
  it.each([
    [1, 6],
    [3, 12],
    [5, 20],
  ])('never lets more than %i of %i concurrent calls reach the provider', async (maxConnection, calls) => {
    const listener = await slowListener();
    client = createHttpClient();
    const policy = loopbackPolicy({ max_connection: maxConnection });
    const responses = await Promise.all(Array.from({ length: calls }, () => client!.send(post(`${listener.url}/v1`), policy)));
    expect(responses.every((response) => response.status === 200)).toBe(true);
    expect(listener.requests).toHaveLength(calls);
    expect(listener.maxInFlight).toBe(maxConnection);
  });

  it('defaults to 30 concurrent calls', async () => {
    const listener = await slowListener(150);
    client = createHttpClient();
    await Promise.all(Array.from({ length: 40 }, () => client!.send(post(`${listener.url}/v1`), loopbackPolicy())));
    expect(listener.maxInFlight).toBe(30);
  });

  it('bounds each connector separately', async () => {
    const listener = await slowListener();
    client = createHttpClient();
    const calls = ['connector-a', 'connector-b'].flatMap((poolKey) =>
      Array.from({ length: 6 }, () => client!.send(post(`${listener.url}/v1`), loopbackPolicy({ max_connection: 2 }, { poolKey }))),
    );
    await Promise.all(calls);
    expect(listener.maxInFlight).toBe(4);
  });

  it('rebuilds the pool when the client config changes', async () => {
    const listener = await slowListener();
    client = createHttpClient();
    const send = (maxConnection: number) =>
      Promise.all(Array.from({ length: 6 }, () => client!.send(post(`${listener.url}/v1`), loopbackPolicy({ max_connection: maxConnection }))));
    await send(1);
    expect(listener.maxInFlight).toBe(1);
    await send(3);
    expect(listener.maxInFlight).toBe(3);
  });
});

describe('waiting for a connection', () => {
  it('answers 429 when too many calls already wait', async () => {
    const listener = await slowListener(200);
    client = createHttpClient({ maxQueuedPerPool: 2 });
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () =>
        client!.send(post(`${listener.url}/v1`), loopbackPolicy({ max_connection: 1 })).then(
          (response) => response.status,
          (error: OpenSearchError) => error,
        ),
      ),
    );
    const refused = outcomes.filter((outcome): outcome is OpenSearchError => outcome instanceof OpenSearchError);
    expect(outcomes.filter((outcome) => outcome === 200)).toHaveLength(3);
    expect(refused).toHaveLength(2);
    expect(refused[0]).toMatchObject({
      status: 429,
      reason: 'Error communicating with remote model: Maximum pending connection acquisitions exceeded (2 waiting)',
    });
    expect(listener.requests).toHaveLength(3);
  });

  it('answers 429 when no connection frees up within the acquire timeout, without retrying', async () => {
    const listener = await slowListener(600);
    client = createHttpClient({ acquireTimeoutMillis: 100 });
    const policy = loopbackPolicy({ max_connection: 1 });
    const first = client.send(post(`${listener.url}/v1`), policy);
    const second = await client.send(post(`${listener.url}/v1`), policy).catch((error: unknown) => error as OpenSearchError);
    expect(second).toMatchObject({
      status: 429,
      type: 'status_exception',
      reason: 'Error communicating with remote model: Acquire operation took longer than the configured maximum time (100 ms)',
    });
    expect((await first).status).toBe(200);
    expect(listener.requests).toHaveLength(1);
  });
});

/** A stand-in dispatcher that records when it is closed. */
function fakeSpec(origin: string, fingerprint = 'f1', closed: string[] = []): PoolSpec {
  return {
    origin,
    fingerprint,
    maxConnections: 2,
    create: () => ({ close: async () => void closed.push(`${origin}#${fingerprint}`) }) as unknown as Dispatcher,
  };
}

describe('ConnectionPools', () => {
  const limits = { maxPools: 2, idleMillis: 1000, maxQueuedPerPool: 10, acquireTimeoutMillis: 1000 };

  it('reuses the pool for the same key, origin and settings', async () => {
    const pools = new ConnectionPools(limits, () => 0);
    const first = pools.get('c1', fakeSpec('http://a'));
    expect(pools.get('c1', fakeSpec('http://a'))).toBe(first);
    expect(pools.get('c2', fakeSpec('http://a'))).not.toBe(first);
    await pools.close();
  });

  it('keeps one pool per origin under one key', async () => {
    const pools = new ConnectionPools({ ...limits, maxPools: 10 }, () => 0);
    expect(pools.get('c1', fakeSpec('http://a'))).not.toBe(pools.get('c1', fakeSpec('http://b')));
    expect(pools.size).toBe(2);
    await pools.close();
  });

  it('closes the old pool once its calls finish when the settings change', async () => {
    const closed: string[] = [];
    const pools = new ConnectionPools(limits, () => 0);
    const old = pools.get('c1', fakeSpec('http://a', 'f1', closed));
    await old.slots.acquire();
    const rebuilt = pools.get('c1', fakeSpec('http://a', 'f2', closed));
    expect(rebuilt).not.toBe(old);
    await Promise.resolve();
    expect(closed).toEqual([]); // a call is still in flight on the old pool
    old.slots.release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toEqual(['http://a#f1']);
    await pools.close();
  });

  it('evicts the least recently used pool beyond maxPools', async () => {
    const closed: string[] = [];
    let now = 0;
    const pools = new ConnectionPools(limits, () => now);
    pools.get('c1', fakeSpec('http://a', 'f', closed));
    now = 1;
    pools.get('c2', fakeSpec('http://b', 'f', closed));
    now = 2;
    pools.get('c1', fakeSpec('http://a', 'f', closed)); // c1 is now the most recently used
    now = 3;
    pools.get('c3', fakeSpec('http://c', 'f', closed));
    await new Promise((resolve) => setImmediate(resolve));
    expect(pools.size).toBe(2);
    expect(closed).toEqual(['http://b#f']);
    await pools.close();
  });

  it('closes pools left idle, but not busy ones', async () => {
    const closed: string[] = [];
    let now = 0;
    const pools = new ConnectionPools({ ...limits, maxPools: 10 }, () => now);
    pools.get('idle', fakeSpec('http://a', 'f', closed));
    const busy = pools.get('busy', fakeSpec('http://b', 'f', closed));
    await busy.slots.acquire();
    now = 5000;
    pools.closeIdle();
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toEqual(['http://a#f']);
    expect(pools.size).toBe(1);
    busy.slots.release();
    await pools.close();
    expect(closed).toEqual(['http://a#f', 'http://b#f']);
  });
});
