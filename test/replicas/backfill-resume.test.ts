/**
 * A backfill job outlives the sidecar process running it: SIGKILL the process mid-way and the job
 * resumes from its checkpoint (on another replica once the job's lease lapses, with the cluster
 * store; when the process starts again, with the embedded store) and finishes with the result an
 * uninterrupted run gives: every document in the destination with the emulator's vector or in
 * the dead-letter index, exactly once. Stopped by SIGTERM, the process ends its runs after their
 * batch under way (a caller waiting on one gets a 503 naming the task) and exits cleanly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { embedText } from '../../fixtures/emulator/embeddings.js';
import { FAIL_MARKER } from '../../fixtures/emulator/request-pipeline.js';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { numberedDocuments, seedDocuments } from '../backfill/backfill-setup.js';
import { freshStatePrefix } from '../helpers/cluster-store.js';
import { openAiEmbeddingConnector } from '../helpers/emulator-connectors.js';
import { callServer, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { startOpenSearchStandIn, type StandIn } from '../support/opensearch-stand-in/index.js';

const MASTER_KEY = Buffer.alloc(32, 5).toString('base64');
const DOCUMENTS = 2_000;
const DIMENSIONS = 8;
const poisoned = (n: number) => n % 41 === 7;
const textOf = (n: number) => (poisoned(n) ? `text ${n} ${FAIL_MARKER}` : `text of document ${n}`);

let cluster: StandIn;
let emulator: Emulator;
const running: ServerProcess[] = [];
const folders: string[] = [];

beforeAll(async () => {
  cluster = await startOpenSearchStandIn();
  emulator = await startEmulator({ embeddingDimensions: { 'text-embedding-ada-002': DIMENSIONS } });
  await seedDocuments(cluster, 'corpus', numberedDocuments(DOCUMENTS, textOf));
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((replica) => replica.stop('SIGKILL')));
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

afterAll(async () => {
  await emulator.close();
  await cluster.close();
});

async function start(env: Record<string, string>): Promise<ServerProcess> {
  const replica = await startServerProcess({ OPENSEARCH_URL: cluster.url, MASTER_KEY, LOG_LEVEL: 'warn', ...env });
  running.push(replica);
  return replica;
}

/** Settings, an embedding model on the emulator and the `embed` pipeline, through `replica`. */
async function prepare(replica: ServerProcess): Promise<void> {
  const settings = await callServer(replica, 'PUT', '/_cluster/settings', {
    persistent: {
      'plugins.ml_commons.connector.private_ip_enabled': true,
      'plugins.ml_commons.trusted_connector_endpoints_regex': ['^http://127\\.0\\.0\\.1:.*$'],
    },
  });
  expect(settings.status).toBe(200);
  const model = await callServer(replica, 'POST', '/_plugins/_ml/models/_register?deploy=true', {
    name: 'embedder',
    function_name: 'remote',
    connector: openAiEmbeddingConnector(emulator.url),
  });
  expect(model.status, JSON.stringify(model.body)).toBe(200);
  const pipeline = await callServer(replica, 'PUT', '/_ingest/pipeline/embed', {
    processors: [{ text_embedding: { model_id: model.body.model_id, field_map: { text: 'vector' }, batch_size: 20 } }],
  });
  expect(pipeline.status).toBe(200);
}

/** Starts the reindex into `dest`, paced so that it is still running when it is killed. */
async function startReindex(replica: ServerProcess, dest: string): Promise<string> {
  const started = await callServer(replica, 'POST', '/_reindex?wait_for_completion=false&requests_per_second=1000', {
    source: { index: 'corpus', size: 100 },
    dest: { index: dest, pipeline: 'embed' },
  });
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  return started.body.task as string;
}

async function poll(replica: ServerProcess, task: string, until: (body: any) => boolean, timeoutMs: number): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await callServer(replica, 'GET', `/_tasks/${task}`);
    if (answer.status === 200 && until(answer.body)) return answer.body;
    if (Date.now() > deadline) throw new Error(`task ${task}: ${JSON.stringify(answer.body)}\n${replica.output().slice(-4_000)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Every document exactly once: in `dest` with its vector, or (the poisoned ones) dead-lettered. */
function expectEveryDocumentOnce(dest: string): void {
  const written = new Map(cluster.indices.documents(dest).map((document) => [document.id, document.source]));
  const dead = cluster.indices.documents(`${dest}-dead-letter`).map((document) => document.source['source_id'] as string);
  const expectedDead: string[] = [];
  for (let n = 0; n < DOCUMENTS; n++) {
    const id = `doc-${String(n).padStart(5, '0')}`;
    if (poisoned(n)) expectedDead.push(id);
    else expect(written.get(id)?.['vector'], id).toEqual(embedText(textOf(n), DIMENSIONS));
  }
  expect(written.size).toBe(DOCUMENTS - expectedDead.length);
  expect(dead.sort()).toEqual(expectedDead);
}

describe('a backfill job whose sidecar is killed or stopped', { timeout: 120_000 }, () => {
  it('resumes on another replica sharing the cluster store once its lease lapses, with the same result', async () => {
    // Leases and heartbeats slow enough that a loaded machine never misses a renewal.
    const env = { STATE_INDEX_PREFIX: freshStatePrefix(), LEASE_TTL_MS: '3000', REPLICA_HEARTBEAT_MS: '500' };
    const doomed = await start(env);
    await prepare(doomed);
    const task = await startReindex(doomed, 'resumed-in-cluster');
    const before = await poll(doomed, task, (body) => body.task.status.batches >= 3, 30_000);
    expect(before.completed).toBe(false);
    await doomed.stop('SIGKILL');

    const heir = await start(env);
    const done = await poll(heir, task, (body) => body.completed === true, 60_000);
    expect(done.task.status.batches).toBe(DOCUMENTS / 100);
    expect(done.response.total).toBe(DOCUMENTS);
    expect(done.response.created + done.response.updated).toBe(cluster.indices.documents('resumed-in-cluster').length);
    expect(done.task.status.failures).toBe(cluster.indices.documents('resumed-in-cluster-dead-letter').length);
    expectEveryDocumentOnce('resumed-in-cluster');
  });

  it('resumes when the process starts again on the same embedded store, with the same result', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'backfill-resume-'));
    folders.push(dataDir);
    const env = { STATE_STORE: 'sqlite', DATA_DIR: dataDir };
    const doomed = await start(env);
    await prepare(doomed);
    const task = await startReindex(doomed, 'resumed-at-restart');
    await poll(doomed, task, (body) => body.task.status.batches >= 3, 30_000);
    await doomed.stop('SIGKILL');

    const restarted = await start(env);
    const done = await poll(restarted, task, (body) => body.completed === true, 60_000);
    expect(done.response).toMatchObject({ total: DOCUMENTS, batches: DOCUMENTS / 100 });
    expectEveryDocumentOnce('resumed-at-restart');
  });

  it('stops at SIGTERM after its batch, answering a waiting caller 503 with the task, and goes on at restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'backfill-sigterm-'));
    folders.push(dataDir);
    // Shorter than the test: a caller left waiting would be cut, and the exit code say so.
    const env = { STATE_STORE: 'sqlite', DATA_DIR: dataDir, SHUTDOWN_TIMEOUT_MS: '20000' };
    const stopping = await start(env);
    await prepare(stopping);
    // The caller waits (the default); the job is paced (10 s in all) so that it runs at the signal.
    const waiting = callServer(stopping, 'POST', '/_reindex?requests_per_second=200', {
      source: { index: 'corpus', size: 100 },
      dest: { index: 'stopped-at-sigterm', pipeline: 'embed' },
    });
    for (const deadline = Date.now() + 30_000; cluster.indices.documents('stopped-at-sigterm').length < 300; ) {
      if (Date.now() > deadline) throw new Error(`no progress:\n${stopping.output().slice(-4_000)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const exited = stopping.stop('SIGTERM');
    const answer = await waiting;
    expect(answer.status, JSON.stringify(answer.body).slice(0, 500)).toBe(503);
    expect(answer.body.error.type).toBe('status_exception');
    const task = /GET \/_tasks\/(\S+:\d+)$/.exec(answer.body.error.reason)?.[1];
    expect(task, answer.body.error.reason).toBeDefined();
    // Every request was answered, so the shutdown is a clean one.
    expect(await exited).toBe(0);
    expect(cluster.indices.documents('stopped-at-sigterm').length).toBeLessThan(DOCUMENTS);

    const restarted = await start(env);
    const done = await poll(restarted, task!, (body) => body.completed === true, 60_000);
    expect(done.response).toMatchObject({ total: DOCUMENTS, batches: DOCUMENTS / 100 });
    expectEveryDocumentOnce('stopped-at-sigterm');
  });
});
