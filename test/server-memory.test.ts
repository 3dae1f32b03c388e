import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chunkedUpload } from './helpers/chunked-upload.js';
import { startServerProcess, type ServerProcess } from './helpers/server-process.js';

const MIB = 1024 * 1024;
const dataDir = mkdtempSync(join(tmpdir(), 'sidecar-memory-'));
let server: ServerProcess | undefined;
afterAll(async () => {
  await server?.stop('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** The process's resident memory now and at its peak (Linux `/proc`), in bytes. */
function residentMemory(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kibibytes = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)![1]) * 1024;
  return { now: kibibytes('VmRSS'), peak: kibibytes('VmHWM') };
}

describe('memory at the front door (npm start, default limits)', () => {
  it('should hold ten concurrent 150 MB chunked uploads to the bodies budget, not to ten bodies', async () => {
    server = await startServerProcess({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
    const before = residentMemory(server.child.pid!);
    const uploads = Array.from({ length: 10 }, () =>
      chunkedUpload(`${server!.url}/_plugins/_ml/connectors/_create`, { prefix: '{"name": "', fillBytes: 150 * MIB, suffix: '"}' }).answer,
    );
    const statuses = (await Promise.all(uploads)).map((answer) => answer.status);
    const after = residentMemory(server.child.pid!);
    // Each is refused: past MAX_BODY_BYTES (413) or past MAX_BUFFERED_BODY_BYTES (429).
    expect(statuses.every((status) => status === 413 || status === 429)).toBe(true);
    expect(statuses).toContain(429);
    // The budget is 256 MiB (measured peak growth: about 300 MB; without it, about 950 MB).
    expect(after.peak - before.peak).toBeLessThan(600 * MIB);
    const healthy = await fetch(`${server.url}/`);
    expect(healthy.status).toBe(200);
  }, 120_000);
});
