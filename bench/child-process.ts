import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..');
/** Linux's USER_HZ, the unit of `/proc/<pid>/stat` times. */
const CLOCK_TICKS_PER_SECOND = 100;

/** The sidecar's readiness probe: 200 once its state is open and its cluster answers. */
export const SIDECAR_READY_PATH = '/_sidecar/ready';

/** A child process, and how to stop it. */
export interface Child {
  readonly process: ChildProcess;
  readonly url: string;
  output(): string;
  /** Peak resident set size in MB (Linux VmHWM), read before stopping. */
  peakRssMb(): number;
  /** CPU seconds (user + system) the process has used so far (Linux `/proc/<pid>/stat`); NaN elsewhere. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** A free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Starts `script` (compiled `.js` with node, TypeScript under tsx) with `env`, waits until `readyPath` on `port` answers 200. */
export async function startChild(
  script: string,
  env: Record<string, string>,
  port: number,
  readyPath = '/',
  nodeArguments: string[] = [],
): Promise<Child> {
  const loader = script.endsWith('.js') ? [] : ['--import', 'tsx'];
  const child = spawn(process.execPath, [...nodeArguments, ...loader, join(ROOT, script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited:\n${output}`);
    if (await fetch(url + readyPath).then((response) => response.ok, () => false)) break;
    if (Date.now() > deadline) throw new Error(`${script} did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    process: child,
    url,
    output: () => output,
    peakRssMb: () => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const kilobytes = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
        return Math.round(kilobytes / 1024);
      } catch {
        return 0;
      }
    },
    cpuSeconds: () => {
      try {
        // Fields 14 and 15 (utime, stime) in clock ticks, after the command name in parentheses.
        const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
      } catch {
        return Number.NaN;
      }
    },
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}
