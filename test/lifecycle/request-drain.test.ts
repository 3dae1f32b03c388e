import { createServer, request, Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RequestDrain } from '../../src/lifecycle/request-drain.js';
import { systemClock } from '../../src/util/clock.js';

/** A server whose `/slow?ms=N` answers after N ms; everything else at once. */
async function startServer(): Promise<{ server: Server; drain: RequestDrain; port: number }> {
  const server = createServer((incoming, response) => {
    const ms = Number(new URL(incoming.url ?? '/', 'http://x').searchParams.get('ms') ?? 0);
    setTimeout(() => response.end('done'), ms);
  });
  const drain = new RequestDrain(server, systemClock);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, drain, port: (server.address() as AddressInfo).port };
}

interface Answer {
  status: number;
  connection: string | undefined;
  body: string;
}

function get(port: number, path: string, agent?: Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const sent = request({ host: '127.0.0.1', port, path, ...(agent ? { agent } : {}) }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, connection: response.headers.connection, body }));
      response.on('error', reject);
    });
    sent.on('error', reject);
    sent.end();
  });
}

/** Resolves once `count` requests have reached the server (it answers none of them yet). */
async function inFlight(drain: RequestDrain, count: number): Promise<void> {
  while (drain.inFlightCount < count) await new Promise((resolve) => setTimeout(resolve, 10));
}

const agents: Agent[] = [];
afterEach(() => {
  for (const agent of agents.splice(0)) agent.destroy();
});
const keepAlive = () => {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  agents.push(agent);
  return agent;
};

describe('RequestDrain', () => {
  it('should let requests in flight finish, close their connections, and refuse new ones', async () => {
    const { drain, port } = await startServer();
    const agent = keepAlive();
    const slow = get(port, '/slow?ms=300', agent);
    await inFlight(drain, 1);
    const started = Date.now();
    const drained = drain.drain(5_000);
    await expect(get(port, '/')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(await slow).toEqual({ status: 200, connection: 'close', body: 'done' });
    expect(await drained).toEqual({ cut: 0 });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('should not wait for idle keep-alive connections', async () => {
    const { drain, port } = await startServer();
    const agent = keepAlive();
    expect((await get(port, '/', agent)).connection).toBe('keep-alive');
    const started = Date.now();
    expect(await drain.drain(5_000)).toEqual({ cut: 0 });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('should cut what is still in flight at the deadline and say how many', async () => {
    const { drain, port } = await startServer();
    const cutShort = [get(port, '/slow?ms=10000'), get(port, '/slow?ms=10000')].map((answer) => answer.catch((error: Error) => error));
    const finished = get(port, '/slow?ms=300');
    await inFlight(drain, 3);
    const started = Date.now();
    expect(await drain.drain(400)).toEqual({ cut: 2 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((await finished).body).toBe('done');
    for (const answer of await Promise.all(cutShort)) expect(answer).toMatchObject({ code: 'ECONNRESET' });
  });
});
