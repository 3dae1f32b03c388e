/**
 * `npm start` on a clone: compiles when dist/ is stale, then runs the compiled service as the very
 * process npm signals (the script `exec`s node: no shell or tsx between them). SIGTERM on npm's
 * pid, what an orchestrator or a terminal sends, stops the service, frees the port and leaves no
 * process behind (`npm start` used to leave the server running as an orphan).
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { freePort } from '../helpers/server-process.js';
import { temporaryFolders } from '../helpers/temp-dirs.js';

const newDataDir = temporaryFolders('sidecar-npm-start');

/** Every live process below `root`, with its command line (Linux /proc). */
function descendants(root: number): Array<{ pid: number; command: string }> {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Gone while listing.
    }
  }
  const found: number[] = [];
  for (let frontier = [root]; frontier.length > 0; ) {
    frontier = [...parents].filter(([, parent]) => frontier.includes(parent)).map(([pid]) => pid);
    found.push(...frontier);
  }
  return found.map((pid) => ({ pid, command: readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim() }));
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm start', () => {
  it('should stop on SIGTERM to npm, free its port and leave no process behind', async () => {
    const port = await freePort();
    const npm = spawn('npm', ['start'], { env: { ...process.env, PORT: String(port), DATA_DIR: newDataDir() }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    npm.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    npm.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
    const url = `http://127.0.0.1:${port}`;
    // A stale dist/ is compiled first (a fresh clone's first start).
    const deadline = Date.now() + 170_000;
    while (!(await fetch(`${url}/_sidecar/ready`).then((response) => response.ok, () => false))) {
      expect(npm.exitCode, output).toBeNull();
      expect(Date.now() < deadline, output).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const tree = descendants(npm.pid!);
    // node runs the compiled service as npm's own child: nothing in between to swallow the signal.
    try {
      expect(tree.map((process) => process.command)).toEqual(['node dist/main.js']);
      npm.kill('SIGTERM');
      expect(await exited, output).toBe(0);
      expect(output).toContain('"msg":"stopped: every request in flight was answered"');
      expect(await fetch(`${url}/`).then(() => 'answered', (error: Error & { cause?: { code?: string } }) => error.cause?.code)).toBe('ECONNREFUSED');
      expect(tree.filter((process) => isAlive(process.pid))).toEqual([]);
    } finally {
      for (const { pid } of tree.filter((process) => isAlive(process.pid))) process.kill(pid, 'SIGKILL');
    }
  }, 180_000);
});
