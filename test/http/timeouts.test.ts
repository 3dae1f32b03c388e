/** Connect and read timeouts against listeners that accept and then say nothing. */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenSearchError } from '../../src/errors/opensearch-error.js';
import { createHttpClient, type HttpClient } from '../../src/http/http-client.js';
import { answer, closedPort, delayed, hang, sequence, startListener, type TestListener } from './support/listener.js';
import { loopbackPolicy, post } from './support/policies.js';

const listeners: TestListener[] = [];
let client: HttpClient | undefined;
afterEach(async () => {
  await client?.close();
  await Promise.all(listeners.splice(0).map((listener) => listener.close()));
});

async function listen(...args: Parameters<typeof startListener>): Promise<TestListener> {
  const listener = await startListener(...args);
  listeners.push(listener);
  return listener;
}

/** A TCP listener that accepts and never speaks: a TLS handshake to it never completes. */
async function silentTcp(): Promise<{ port: number; accepted: () => number; close: () => Promise<void> }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    accepted: () => sockets.length,
    close: () => new Promise<void>((resolve) => (sockets.forEach((socket) => socket.destroy()), server.close(() => resolve()))),
  };
}

const failure = (promise: Promise<unknown>): Promise<OpenSearchError> =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as OpenSearchError,
  );

describe('timeouts', () => {
  it('fires connection_timeout when the connection (here the TLS handshake) never completes', async () => {
    const silent = await silentTcp();
    client = createHttpClient();
    try {
      const started = Date.now();
      const error = await failure(
        client.send(post(`https://127.0.0.1:${silent.port}/v1`), loopbackPolicy({ connection_timeout: 0.3, max_retry_times: 0 })),
      );
      expect(error).toBeInstanceOf(OpenSearchError);
      expect(error.status).toBe(500);
      expect(error.reason).toBe('Error communicating with remote model: connect timed out after 0.3 s (client_config.connection_timeout)');
      expect(Date.now() - started).toBeLessThan(5000);
      expect(silent.accepted()).toBe(1);
    } finally {
      await silent.close();
    }
  });

  it('fires read_timeout when the response headers never come', async () => {
    const listener = await listen(hang);
    client = createHttpClient();
    const error = await failure(client.send(post(`${listener.url}/v1`), loopbackPolicy({ read_timeout: 0.3, max_retry_times: 0 })));
    expect(error.reason).toBe(
      'Error communicating with remote model: read timed out after 0.3 s waiting for the response headers (client_config.read_timeout)',
    );
    expect(listener.requests).toHaveLength(1);
  });

  it('fires read_timeout when the body stalls', async () => {
    const listener = await listen((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      response.write('{"partial":');
    });
    client = createHttpClient();
    const error = await failure(client.send(post(`${listener.url}/v1`), loopbackPolicy({ read_timeout: 0.3, max_retry_times: 0 })));
    expect(error.reason).toBe(
      'Error communicating with remote model: read timed out after 0.3 s waiting for the response body (client_config.read_timeout)',
    );
  });

  it('does not fire read_timeout on a provider that is slow but within it', async () => {
    const listener = await listen(delayed(150));
    client = createHttpClient();
    const response = await client.send(post(`${listener.url}/v1`), loopbackPolicy({ read_timeout: 2, max_retry_times: 0 }));
    expect(response.status).toBe(200);
  });

  it('retries a read timeout like any transport failure', async () => {
    const listener = await listen(sequence(hang, answer(200, '{"ok":true}')));
    client = createHttpClient({ clock: { now: () => 0, sleep: async () => undefined } });
    const response = await client.send(post(`${listener.url}/v1`), loopbackPolicy({ read_timeout: 0.2 }));
    expect(response.status).toBe(200);
    expect(listener.requests).toHaveLength(2);
  });

  it('reports a refused connection as a transport error', async () => {
    const port = await closedPort();
    client = createHttpClient();
    const error = await failure(client.send(post(`http://127.0.0.1:${port}/v1`), loopbackPolicy({ max_retry_times: 0 })));
    expect(error.status).toBe(500);
    expect(error.reason).toMatch(/^Error communicating with remote model: ECONNREFUSED/);
    expect(error.reason).not.toContain('sk-test-secret');
  });
});

describe('a hanging provider', () => {
  it('does not stop other connectors, and frees its slot when the read timeout fires', async () => {
    const hanging = await listen(sequence(hang, answer(200, '{"recovered":true}')));
    const healthy = await listen();
    client = createHttpClient({ acquireTimeoutMillis: 3000 });
    const stuckConfig = { read_timeout: 0.5, max_retry_times: 0, max_connection: 1 };
    const stuck = client.send(post(`${hanging.url}/v1`), loopbackPolicy(stuckConfig, { poolKey: 'hanging-connector' }));
    const stuckOutcome = failure(stuck);

    // Other connectors are served while the first call hangs.
    for (let call = 0; call < 3; call++) {
      const response = await client.send(post(`${healthy.url}/v1`), loopbackPolicy({}, { poolKey: 'healthy-connector' }));
      expect(response.status).toBe(200);
    }
    expect(hanging.requests).toHaveLength(1);

    expect((await stuckOutcome).reason).toContain('read timed out after 0.5 s');
    // With max_connection 1 a leaked slot would make this wait for the acquire timeout and fail.
    const next = await client.send(post(`${hanging.url}/v1`), loopbackPolicy(stuckConfig, { poolKey: 'hanging-connector' }));
    expect(next.body).toBe('{"recovered":true}');
  });
});
