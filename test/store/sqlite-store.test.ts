import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { describeStoreContract } from './store-contract.js';

const directories: string[] = [];
const tempFile = () => {
  const directory = mkdtempSync(join(tmpdir(), 'sidecar-store-'));
  directories.push(directory);
  return join(directory, 'store.db');
};

afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

const files = new Map<object, string>();
describeStoreContract('embedded SQLite', {
  open: async () => {
    const file = tempFile();
    const store = new SqliteStore(file);
    files.set(store, file);
    return store;
  },
  reopen: async (store) => new SqliteStore(files.get(store)!),
});

describe('SqliteStore', () => {
  it('should keep every record across a reopen', async () => {
    const file = tempFile();
    const first = new SqliteStore(file);
    await first.write([{ op: 'create', collection: 'c', id: 'a', source: { kept: true } }]);
    await first.close();
    const second = new SqliteStore(file);
    expect((await second.get('c', 'a'))?.source).toEqual({ kept: true });
    const [next] = await second.write([{ op: 'create', collection: 'c', id: 'b', source: {} }]);
    expect(next?.seqNo).toBe(1);
    await second.close();
  });

  it('should leave every batch whole or absent when the process is killed mid-write', async () => {
    const file = tempFile();
    // A child process writes batches of two records as fast as it can; we kill it with SIGKILL.
    const script = `
      import { SqliteStore } from ${JSON.stringify(join(process.cwd(), 'src/store/sqlite-store.ts'))};
      const store = new SqliteStore(${JSON.stringify(file)});
      let n = 0;
      for (;;) {
        await store.write([
          { op: 'put', collection: 'left', id: String(n), source: { n, padding: 'x'.repeat(2000) } },
          { op: 'put', collection: 'right', id: String(n), source: { n } },
        ]);
        if (n === 50) process.stdout.write('ready\\n');
        n++;
      }`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 150));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    const store = new SqliteStore(file);
    const left = new Set((await store.list('left')).map((record) => record.id));
    const right = new Set((await store.list('right')).map((record) => record.id));
    expect(left.size).toBeGreaterThan(50);
    expect([...left].sort()).toEqual([...right].sort());
    await store.close();
  });
});
