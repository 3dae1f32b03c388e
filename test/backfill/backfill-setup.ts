/**
 * What the backfill tests share: the setup, documents put straight into the stand-in (as if
 * indexed long ago), and a task polled through the sidecar until it completes.
 */
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import type { StandIn } from '../support/opensearch-stand-in/index.js';
import { send, startProxySetup, type ProxySetup } from '../helpers/proxy-setup.js';
import type { TestApp } from '../helpers/test-app.js';

/** The emulator's embedding size in these tests (small: the vectors are compared whole). */
export const DIMENSIONS = 4;

/**
 * The sidecar before the stand-in with an emulator embedding model and two pipelines writing
 * `text`'s vector to `vector`: `embed`, and `embed-once` (with `skip_existing`).
 */
async function startBackfillSetup(): Promise<ProxySetup> {
  const setup = await startProxySetup({ emulator: { embeddingDimensions: { 'text-embedding-ada-002': DIMENSIONS } } });
  const embed = { model_id: setup.embeddingModel, field_map: { text: 'vector' }, batch_size: 10 };
  await send(setup.test, 'PUT', '/_ingest/pipeline/embed', { processors: [{ text_embedding: embed }] });
  await send(setup.test, 'PUT', '/_ingest/pipeline/embed-once', { processors: [{ text_embedding: { ...embed, skip_existing: true } }] });
  return setup;
}

/**
 * The setup of a test file: started once; before each test the cluster is emptied, the emulator's
 * faults and log cleared, and `seed` numbered documents put in `source`.
 */
export function useBackfillSetup(options: { seed?: number } = {}): Pick<ProxySetup, 'test' | 'cluster' | 'emulator' | 'embeddingModel'> {
  let setup: ProxySetup | undefined;
  beforeAll(async () => {
    setup = await startBackfillSetup();
  });
  afterAll(async () => setup?.close());
  beforeEach(async () => {
    await setup!.cluster.reset();
    setup!.emulator.clearFaults();
    if (options.seed !== undefined) await seedDocuments(setup!.cluster, 'source', numberedDocuments(options.seed));
    setup!.emulator.clearRequests();
  });
  return {
    get test() {
      return setup!.test;
    },
    get cluster() {
      return setup!.cluster;
    },
    get emulator() {
      return setup!.emulator;
    },
    get embeddingModel() {
      return setup!.embeddingModel;
    },
  };
}

/** Indexes documents into the stand-in directly (no sidecar), refreshed, in bulks of 1,000. */
export async function seedDocuments(cluster: StandIn, index: string, documents: ReadonlyArray<{ id: string; source: Record<string, unknown> }>): Promise<void> {
  for (let start = 0; start < documents.length; start += 1_000) {
    const lines = documents
      .slice(start, start + 1_000)
      .flatMap(({ id, source }) => [JSON.stringify({ index: { _index: index, _id: id } }), JSON.stringify(source)]);
    const response = await fetch(`${cluster.url}/_bulk?refresh=true&pipeline=_none`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: `${lines.join('\n')}\n`,
    });
    const body = (await response.json()) as { errors: boolean };
    expect(body.errors).toBe(false);
  }
}

/** Polls `GET /_tasks/{id}` through the sidecar until the task completes; answers its last state. */
export async function waitForTask(test: TestApp, task: string, timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await send(test, 'GET', `/_tasks/${task}`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    if (answer.body.completed === true) return answer.body;
    if (Date.now() > deadline) throw new Error(`task ${task} did not complete: ${JSON.stringify(answer.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** `count` numbered documents with a text each (`doc-00001`...). */
export const numberedDocuments = (count: number, text: (n: number) => string = (n) => `document number ${n}`) =>
  Array.from({ length: count }, (_, n) => ({ id: `doc-${String(n).padStart(5, '0')}`, source: { text: text(n), n } }));
