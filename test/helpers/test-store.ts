/**
 * The store a test app runs on when the test gives none: the embedded store, or, when the suite
 * runs as the `cluster-store` project (`SIDECAR_TEST_STORE=cluster`, see vitest.config.ts), a
 * cluster store over one OpenSearch stand-in per test file, with fresh indices per app. The same
 * route and service tests thus prove that everything above the store runs on either backend.
 */
import { afterAll } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { startOpenSearchStandIn, type StandIn } from '../support/opensearch-stand-in/index.js';
import { freshStatePrefix, openClusterStore } from './cluster-store.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const testStoreKind = process.env['SIDECAR_TEST_STORE'] === 'cluster' ? 'cluster' : 'sqlite';

let standIn: Promise<StandIn> | undefined;
const opened: Store[] = [];

if (testStoreKind === 'cluster') {
  afterAll(async () => {
    for (const store of opened.splice(0)) await store.close();
    if (standIn !== undefined) await (await standIn).close();
    standIn = undefined;
  });
}

/**
 * A test store that can be closed and opened again over the same state, as a restart does: the
 * embedded store in a file of its own, or a cluster store on the same indices.
 */
export async function openReopenableTestStore(): Promise<{ store: Store; reopen(): Promise<Store> }> {
  if (testStoreKind === 'sqlite') {
    const file = join(mkdtempSync(join(tmpdir(), 'sidecar-store-')), 'sidecar.db');
    return { store: new SqliteStore(file), reopen: async () => new SqliteStore(file) };
  }
  standIn ??= startOpenSearchStandIn();
  const url = (await standIn).url;
  const prefix = freshStatePrefix();
  const open = async () => {
    const store = await openClusterStore(url, { indexPrefix: prefix, pollIntervalMs: 1_000 });
    opened.push(store);
    return store;
  };
  return { store: await open(), reopen: open };
}

export async function openTestStore(): Promise<Store> {
  if (testStoreKind === 'sqlite') return new SqliteStore(':memory:');
  standIn ??= startOpenSearchStandIn();
  const store = await openClusterStore((await standIn).url, { pollIntervalMs: 1_000 });
  opened.push(store);
  return store;
}
