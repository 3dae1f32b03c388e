import { once } from 'node:events';
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { RequestDrain } from '../../src/lifecycle/request-drain.js';
import { ServiceProbes } from '../../src/lifecycle/service-probes.js';
import { Shutdown } from '../../src/lifecycle/shutdown.js';
import type { Clock } from '../../src/util/clock.js';
import { systemClock } from '../../src/util/clock.js';
import { createLogger } from '../../src/util/logger.js';
import { LogCapture } from '../helpers/test-app.js';

/** A shutdown over a listening server (answering at once, or never), its probes serving, logging into `logs`. */
async function idleService(clock: Clock = systemClock, answer = true) {
  const server = createServer((_request, response) => void (answer && response.end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const probes = new ServiceProbes({ version: '1.2.3', mode: 'standalone', store: 'sqlite', clock });
  probes.serving([]);
  const logs = new LogCapture();
  const shutdown = new Shutdown({
    probes,
    drain: new RequestDrain(server, clock),
    clock,
    logger: createLogger({ level: 'info', destination: logs }),
    timeoutMs: 1_000,
  });
  return { server, probes, logs, shutdown };
}

const parsed = (logs: LogCapture) => logs.lines.map((line) => JSON.parse(line) as Record<string, unknown>);

describe('Shutdown', () => {
  it('should stop readiness, close in reverse order of opening, and exit 0 when nothing was cut', async () => {
    const { server, probes, logs, shutdown } = await idleService();
    const closed: string[] = [];
    for (const name of ['state store', 'provider connections', 'background duties']) {
      shutdown.onShutdown(name, async () => {
        expect(probes.status).toBe('stopping');
        expect(server.listening).toBe(false);
        closed.push(name);
      });
    }
    const [first, second] = [shutdown.run('SIGTERM'), shutdown.run('SIGINT')];
    expect(await first).toBe(0);
    expect(await second).toBe(0);
    expect(closed).toEqual(['background duties', 'provider connections', 'state store']);
    expect((await probes.readiness()).ready).toBe(false);
    expect(parsed(logs).map((line) => line['msg'])).toEqual(['shutting down: finishing requests in flight', 'stopped: every request in flight was answered']);
    expect(parsed(logs)[0]).toMatchObject({ signal: 'SIGTERM', in_flight: 0, shutdown_timeout_ms: 1_000 });
  });

  it('should exit 1 and log how many requests it cut at SHUTDOWN_TIMEOUT_MS, leaving their calls to the exit', async () => {
    const { server, logs, shutdown } = await idleService(systemClock, false);
    const closed: string[] = [];
    shutdown.onShutdown('state store', async () => void closed.push('state store'));
    shutdown.onShutdown('provider connections', async () => void closed.push('provider connections'), { onlyWhenDrained: true });
    const port = (server.address() as { port: number }).port;
    const hanging = fetch(`http://127.0.0.1:${port}/`).catch((error: Error) => error);
    await once(server, 'request');
    expect(await shutdown.run('SIGTERM')).toBe(1);
    expect(await hanging).toBeInstanceOf(Error);
    expect(closed).toEqual(['state store']);
    expect(parsed(logs).at(-1)).toMatchObject({
      level: 'error',
      cut_requests: 1,
      shutdown_timeout_ms: 1_000,
      msg: 'shutdown cut 1 request(s) still in flight after SHUTDOWN_TIMEOUT_MS',
    });
  });

  it('should go on closing after a step fails or hangs, saying which', async () => {
    const instant: Clock = { now: () => 0, sleep: async () => undefined };
    const { logs, shutdown } = await idleService(instant);
    const closed: string[] = [];
    shutdown.onShutdown('store', async () => void closed.push('store'));
    shutdown.onShutdown('pools', () => new Promise(() => undefined));
    shutdown.onShutdown('duties', async () => {
      throw new Error('lease release refused');
    });
    expect(await shutdown.run('SIGTERM')).toBe(0);
    expect(closed).toEqual(['store']);
    expect(parsed(logs).filter((line) => line['level'] === 'warn')).toMatchObject([
      { step: 'duties', reason: 'lease release refused', msg: 'shutdown step failed; going on' },
      { step: 'pools', timeout_ms: 10_000, msg: 'shutdown step did not finish in time; going on' },
    ]);
  });
});
