import { serve, type ServerType } from '@hono/node-server';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, type ServerLimits } from '../../src/config.js';
import { applyServerLimits, serverTimeoutOptions } from '../../src/startup/server-limits.js';

const LIMITS: ServerLimits = { headersTimeoutMs: 400, requestTimeoutMs: 1_000, keepAliveTimeoutMs: 300, maxConnections: 3 };

let server: ServerType | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A server set up as `main` sets it up: it reads each body whole, and answers `/slow` after 1.5 s (past the request timeout). */
async function startServer(limits: ServerLimits): Promise<number> {
  return new Promise((resolve) => {
    server = serve(
      {
        fetch: async (request) => {
          await request.text();
          if (new URL(request.url).pathname === '/slow') await new Promise((done) => setTimeout(done, 1_500));
          return new Response('{}', { headers: { 'content-type': 'application/json' } });
        },
        port: 0,
        hostname: '127.0.0.1',
        serverOptions: serverTimeoutOptions(limits),
      },
      (info: AddressInfo) => resolve(info.port),
    );
    applyServerLimits(server, limits);
  });
}

/** A raw connection that records what it receives and when the server closed it. */
function open(port: number): { socket: Socket; received: () => string; closedAfterMs: Promise<number> } {
  const opened = Date.now();
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  let received = '';
  socket.setEncoding('latin1');
  socket.on('data', (data: string) => (received += data));
  socket.on('error', () => {});
  const closedAfterMs = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now() - opened)));
  return { socket, received: () => received, closedAfterMs };
}

const GET = (path: string) => `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`;

describe('the listening server', () => {
  it('should answer 408 and close a connection whose headers do not arrive within the headers timeout', async () => {
    const port = await startServer(LIMITS);
    const connection = open(port);
    connection.socket.write('GET / HTTP/1.1\r\nHost: x\r\n');
    expect(await connection.closedAfterMs).toBeLessThan(3_000);
    expect(connection.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('should answer 408 and close a connection whose body does not arrive within the request timeout', async () => {
    const port = await startServer(LIMITS);
    const connection = open(port);
    connection.socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{"\r\n');
    const closedAfter = await connection.closedAfterMs;
    expect(closedAfter).toBeGreaterThanOrEqual(LIMITS.requestTimeoutMs - 50);
    expect(closedAfter).toBeLessThan(4_000);
    expect(connection.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('should not cut an answer that takes longer than the request timeout once the request is in', async () => {
    const port = await startServer(LIMITS);
    const response = await fetch(`http://127.0.0.1:${port}/slow`);
    expect(response.status).toBe(200);
  });

  it('should close an idle keep-alive connection after the keep-alive timeout', async () => {
    const port = await startServer(LIMITS);
    const connection = open(port);
    connection.socket.write(GET('/'));
    const closedAfter = await connection.closedAfterMs;
    expect(connection.received()).toMatch(/^HTTP\/1\.1 200 /);
    expect(closedAfter).toBeGreaterThanOrEqual(LIMITS.keepAliveTimeoutMs - 50);
    expect(closedAfter).toBeLessThan(3_000);
  });

  it('should close connections past the limit as they arrive, and take new ones once others close', async () => {
    const port = await startServer({ ...LIMITS, keepAliveTimeoutMs: 30_000 });
    const kept = Array.from({ length: LIMITS.maxConnections }, () => open(port));
    for (const connection of kept) connection.socket.write(GET('/'));
    await expect.poll(() => kept.every((connection) => connection.received().startsWith('HTTP/1.1 200'))).toBe(true);
    const refused = open(port);
    refused.socket.write(GET('/'));
    expect(await refused.closedAfterMs).toBeLessThan(2_000);
    expect(refused.received()).toBe('');
    kept[0]!.socket.destroy();
    await kept[0]!.closedAfterMs;
    await expect.poll(async () => (await fetch(`http://127.0.0.1:${port}/`).then((response) => response.status, () => 0)), { timeout: 3_000 }).toBe(200);
  });
});

describe('loadConfig: the front door', () => {
  it('should default to limits that suit a proxy in front of OpenSearch', () => {
    const config = loadConfig({});
    expect(config.server).toEqual({ headersTimeoutMs: 30_000, requestTimeoutMs: 300_000, keepAliveTimeoutMs: 65_000, maxConnections: 1_000 });
    expect(config.maxBufferedBodyBytes).toBe(256 * 1024 * 1024);
  });

  it('should keep the request timeout longer than the cluster timeout', () => {
    expect(loadConfig({ OPENSEARCH_TIMEOUT_MS: '600000' }).server.requestTimeoutMs).toBe(660_000);
  });

  it('should default the body budget to one largest body when that is larger', () => {
    expect(loadConfig({ MAX_BODY_BYTES: String(512 * 1024 * 1024) }).maxBufferedBodyBytes).toBe(512 * 1024 * 1024);
  });

  it('should read every setting', () => {
    const config = loadConfig({
      HTTP_HEADERS_TIMEOUT_MS: '5000', HTTP_REQUEST_TIMEOUT_MS: '9000', HTTP_KEEP_ALIVE_TIMEOUT_MS: '7000', HTTP_MAX_CONNECTIONS: '64',
      MAX_BODY_BYTES: '1000', MAX_BUFFERED_BODY_BYTES: '4000',
    });
    expect(config.server).toEqual({ headersTimeoutMs: 5_000, requestTimeoutMs: 9_000, keepAliveTimeoutMs: 7_000, maxConnections: 64 });
    expect(config.maxBufferedBodyBytes).toBe(4_000);
  });

  it.each([
    [{ MAX_BODY_BYTES: '2000', MAX_BUFFERED_BODY_BYTES: '1000' }, 'MAX_BUFFERED_BODY_BYTES (1000) must be at least MAX_BODY_BYTES (2000)'],
    [{ HTTP_HEADERS_TIMEOUT_MS: '5000', HTTP_REQUEST_TIMEOUT_MS: '4000' }, 'HTTP_HEADERS_TIMEOUT_MS (5000) must not exceed HTTP_REQUEST_TIMEOUT_MS (4000)'],
    [{ HTTP_MAX_CONNECTIONS: '0' }, 'HTTP_MAX_CONNECTIONS'],
    [{ HTTP_KEEP_ALIVE_TIMEOUT_MS: '1s' }, 'HTTP_KEEP_ALIVE_TIMEOUT_MS'],
  ])('should refuse %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
