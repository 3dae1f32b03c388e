/**
 * The first promise: a 10,000-document reindex through a `text_embedding` pipeline while
 * the provider fails now and then (bad inputs, 5xx, throttling) ends with every source document
 * either in the destination with the emulator's vector or in the dead-letter index, never both,
 * never neither, and the job's counters say so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedText } from '../../../fixtures/emulator/embeddings.js';
import { FAIL_MARKER } from '../../../fixtures/emulator/request-pipeline.js';
import { send, startProxySetup, type ProxySetup } from '../../helpers/proxy-setup.js';
import { numberedDocuments, seedDocuments, waitForTask } from '../backfill-setup.js';

const DOCUMENTS = 10_000;
const DIMENSIONS = 8;
/** Every 97th document carries the emulator's failure marker: the provider refuses it, always. */
const poisoned = (n: number) => n % 97 === 13;

let setup: ProxySetup;
beforeAll(async () => {
  setup = await startProxySetup({
    emulator: { embeddingDimensions: { 'text-embedding-ada-002': DIMENSIONS } },
    // No provider retries: every injected fault reaches the pipeline.
    connector: { client_config: { max_retry_times: 0 } },
  });
  await send(setup.test, 'PUT', '/_ingest/pipeline/embed', {
    processors: [{ text_embedding: { model_id: setup.embeddingModel, field_map: { text: 'text_embedding' }, batch_size: 25 } }],
  });
  await seedDocuments(
    setup.cluster,
    'corpus',
    numberedDocuments(DOCUMENTS, (n) => (poisoned(n) ? `text ${n} ${FAIL_MARKER}` : `text of document ${n}`)),
  );
}, 120_000);
afterAll(async () => setup.close());

describe('a 10,000-document reindex with provider faults', () => {
  it('ends with every document in the destination (with its vector) or in the dead-letter index, exactly once', async () => {
    setup.emulator.addFault({ match: { path: '^/v1/embeddings$' }, effect: 'error', status: 500, times: 40 });
    setup.emulator.addFault({ match: { path: '^/v1/embeddings$' }, effect: 'throttle', times: 5 });
    setup.emulator.addFault({ match: { path: '^/v1/embeddings$' }, effect: 'error', status: 503, times: 10 });
    const started = await send(setup.test, 'POST', '/_reindex?wait_for_completion=false', {
      source: { index: 'corpus', size: 500 },
      dest: { index: 'embedded', pipeline: 'embed' },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const done = await waitForTask(setup.test, started.body.task, 240_000);

    const written = new Map(setup.cluster.indices.documents('embedded').map((document) => [document.id, document.source]));
    const deadLetters = setup.cluster.indices.documents('embedded-dead-letter').map((document) => document.source);
    const deadIds = deadLetters.map((entry) => entry['source_id'] as string);
    expect(new Set(deadIds).size).toBe(deadIds.length);
    for (const id of deadIds) expect(written.has(id), `${id} is in both`).toBe(false);
    expect(written.size + deadIds.length).toBe(DOCUMENTS);
    for (let n = 0; n < DOCUMENTS; n++) {
      const id = `doc-${String(n).padStart(5, '0')}`;
      const source = written.get(id);
      if (source === undefined) {
        expect(deadIds, `${id} is lost`).toContain(id);
        continue;
      }
      expect(poisoned(n), `${id} was written though the provider refuses it`).toBe(false);
      expect(source['text_embedding']).toEqual(embedText(`text of document ${n}`, DIMENSIONS));
    }
    // Every poisoned document is dead-lettered; the injected faults add a few more (whichever calls they hit).
    const poisonedCount = Array.from({ length: DOCUMENTS }, (_, n) => n).filter(poisoned).length;
    expect(deadIds.length).toBeGreaterThan(poisonedCount);
    for (const entry of deadLetters) {
      expect(entry).toMatchObject({ source_index: 'corpus', stage: 'pipeline', task: started.body.task, pipeline: 'embed' });
      expect(entry['error']).toMatchObject({ type: expect.any(String), reason: expect.any(String) });
      expect(Date.parse(entry['failed_at'] as string)).not.toBeNaN();
    }
    expect(done.response).toMatchObject({
      total: DOCUMENTS,
      created: written.size,
      updated: 0,
      batches: DOCUMENTS / 500,
      version_conflicts: 0,
      dead_letter_index: 'embedded-dead-letter',
    });
    expect(done.task.status.failures).toBe(deadIds.length);
    expect(done.response.failures).toHaveLength(Math.min(100, deadIds.length));
  }, 300_000);
});
