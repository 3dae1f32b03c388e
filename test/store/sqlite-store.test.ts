import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenSearchError } from '../../src/errors/opensearch-error.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';

const directories: string[] = [];
const tempFile = () => {
  const directory = mkdtempSync(join(tmpdir(), 'sidecar-store-'));
  directories.push(directory);
  return join(directory, 'store.db');
};

afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe('SqliteStore', () => {
  it('should create, read, update and delete with OpenSearch bookkeeping', async () => {
    const store = new SqliteStore(':memory:');
    const [created] = await store.write([{ op: 'create', collection: 'c', id: 'a', source: { n: 1 } }]);
    expect(created).toMatchObject({ result: 'created', version: 1, seqNo: 0, primaryTerm: 1 });
    const [updated] = await store.write([{ op: 'put', collection: 'c', id: 'a', source: { n: 2 } }]);
    expect(updated).toMatchObject({ result: 'updated', version: 2, seqNo: 1 });
    expect(await store.get('c', 'a')).toMatchObject({ id: 'a', version: 2, seqNo: 1, source: { n: 2 } });
    const [deleted] = await store.write([{ op: 'delete', collection: 'c', id: 'a' }]);
    expect(deleted).toMatchObject({ result: 'deleted', version: 3, seqNo: 2 });
    expect(await store.get('c', 'a')).toBeUndefined();
  });

  it('should list a collection in write order and keep collections apart', async () => {
    const store = new SqliteStore(':memory:');
    await store.write([
      { op: 'create', collection: 'c', id: 'b', source: {} },
      { op: 'create', collection: 'c', id: 'a', source: {} },
      { op: 'create', collection: 'other', id: 'x', source: {} },
    ]);
    expect((await store.list('c')).map((record) => record.id)).toEqual(['b', 'a']);
  });

  it('should apply a batch all or nothing', async () => {
    const store = new SqliteStore(':memory:');
    await store.write([{ op: 'create', collection: 'c', id: 'taken', source: {} }]);
    await expect(
      store.write([
        { op: 'create', collection: 'c', id: 'fresh', source: {} },
        { op: 'create', collection: 'c', id: 'taken', source: {} },
      ]),
    ).rejects.toMatchObject({ status: 409 });
    expect(await store.get('c', 'fresh')).toBeUndefined();
  });

  it.each([
    [{ op: 'put', collection: 'c', id: 'a', source: {}, ifVersion: 5 } as const, 409],
    [{ op: 'delete', collection: 'c', id: 'missing', mustExist: true } as const, 404],
  ])('should refuse %o with %i', async (operation, status) => {
    const store = new SqliteStore(':memory:');
    await store.write([{ op: 'create', collection: 'c', id: 'a', source: {} }]);
    const failure = await store.write([operation]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenSearchError);
    expect((failure as OpenSearchError).status).toBe(status);
  });

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
