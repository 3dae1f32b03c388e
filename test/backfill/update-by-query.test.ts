/**
 * `POST /{index}/_update_by_query` with a sidecar pipeline (`?pipeline=` or the index's default
 * pipeline): documents are enriched and written back in place, each conditional on the
 * `_seq_no` / `_primary_term` it was read with, so a document changed meanwhile is never
 * clobbered: a version conflict, counted (`conflicts=proceed`) or ending the job (the default).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { embedText } from '../../fixtures/emulator/embeddings.js';
import { send } from '../helpers/proxy-setup.js';
import { errorReason } from '../helpers/test-app.js';
import { DIMENSIONS, numberedDocuments, seedDocuments, useBackfillSetup, waitForTask } from './backfill-setup.js';

const setup = useBackfillSetup();

const updateByQuery = (path: string, body?: object) => send(setup.test, 'POST', path, body);

/** Waits until the task has written `batches` batches. */
async function batchesDone(task: string, batches: number): Promise<void> {
  for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
    const answer = await send(setup.test, 'GET', `/_tasks/${task}`);
    if (answer.body.task.status.batches >= batches) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`task ${task} did not write ${batches} batches`);
}

describe('POST /{index}/_update_by_query with a sidecar pipeline', () => {
  it('enriches the documents in place and answers OpenSearch response (no created)', async () => {
    await seedDocuments(setup.cluster, 'articles', numberedDocuments(12));
    const response = await updateByQuery('/articles/_update_by_query?pipeline=embed&scroll_size=5');
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(Object.keys(response.body)).toEqual([
      'took', 'timed_out', 'total', 'updated', 'deleted', 'batches', 'version_conflicts', 'noops', 'retries',
      'throttled_millis', 'requests_per_second', 'throttled_until_millis', 'failures', 'dead_letter_index',
    ]);
    expect(response.body).toMatchObject({ total: 12, updated: 12, batches: 3, version_conflicts: 0, failures: [], dead_letter_index: 'articles-dead-letter' });
    for (const document of setup.cluster.indices.documents('articles')) {
      expect(document.version).toBe(2);
      expect(document.source['vector']).toEqual(embedText(document.source['text'] as string, DIMENSIONS));
    }
    const bulk = setup.cluster.requests.find((request) => request.path === '/_bulk' && request.body.includes('"_none"'))!;
    const [action] = bulk.body.split('\n').map((line) => (line === '' ? undefined : JSON.parse(line)));
    expect(action).toEqual({ index: { _index: 'articles', _id: 'doc-00000', if_seq_no: 0, if_primary_term: 1, pipeline: '_none' } });
  });

  it("runs the index's default_pipeline when it is a sidecar pipeline", async () => {
    await send(setup.test, 'PUT', '/defaulted', { settings: { index: { default_pipeline: 'embed' } } });
    await seedDocuments(setup.cluster, 'defaulted', numberedDocuments(3));
    const response = await updateByQuery('/defaulted/_update_by_query', { query: { term: { n: 1 } } });
    expect(response.body).toMatchObject({ total: 1, updated: 1 });
    expect(setup.cluster.indices.document('defaulted', 'doc-00001')!['vector']).toHaveLength(DIMENSIONS);
    expect(setup.cluster.indices.document('defaulted', 'doc-00000')).not.toHaveProperty('vector');
  });

  it('sends an update_by_query without a sidecar pipeline to the cluster unchanged', async () => {
    await updateByQuery('/articles/_update_by_query?conflicts=proceed', { query: { match_all: {} } });
    const forwarded = setup.cluster.requests.find((request) => request.path === '/articles/_update_by_query')!;
    expect(forwarded.query).toEqual({ conflicts: 'proceed' });
    expect(JSON.parse(forwarded.body)).toEqual({ query: { match_all: {} } });
  });

  describe('a document changed while the job runs', () => {
    beforeEach(async () => {
      await seedDocuments(setup.cluster, 'articles', numberedDocuments(30));
    });

    /**
     * Starts a paced job, changes doc-00025 (read in the third batch, at least 2 s after the
     * first) once the first batch is written.
     */
    async function runWithConcurrentChange(query: string): Promise<any> {
      const started = await updateByQuery(`/articles/_update_by_query?pipeline=embed&scroll_size=10&requests_per_second=10&wait_for_completion=false${query}`);
      expect(started.status, JSON.stringify(started.body)).toBe(200);
      await batchesDone(started.body.task, 1);
      const change = await fetch(`${setup.cluster.url}/articles/_doc/doc-00025?refresh=true`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'changed by someone else' }),
      });
      expect(change.status).toBe(200);
      return waitForTask(setup.test, started.body.task);
    }

    it('is not clobbered: the conflict is counted and the job goes on with conflicts=proceed', async () => {
      const done = await runWithConcurrentChange('&conflicts=proceed');
      expect(done.response).toMatchObject({ total: 30, updated: 29, version_conflicts: 1, batches: 3, failures: [] });
      expect(setup.cluster.indices.document('articles', 'doc-00025')).toEqual({ text: 'changed by someone else' });
      expect(setup.cluster.indices.document('articles', 'doc-00029')!['vector']).toHaveLength(DIMENSIONS);
    });

    it('is not clobbered and ends the job after its batch by default, listing the conflict', async () => {
      const done = await runWithConcurrentChange('');
      expect(done.response).toMatchObject({ total: 30, updated: 29, version_conflicts: 1, batches: 3 });
      expect(done.response.failures).toEqual([
        { index: 'articles', id: 'doc-00025', cause: expect.objectContaining({ type: 'version_conflict_engine_exception' }), status: 409 },
      ]);
      expect(setup.cluster.indices.document('articles', 'doc-00025')).toEqual({ text: 'changed by someone else' });
    });
  });

  it('reuses the outputs a document carries with skip_existing: a rerun calls the model for nothing unchanged', async () => {
    await seedDocuments(setup.cluster, 'articles', numberedDocuments(8));
    expect((await updateByQuery('/articles/_update_by_query?pipeline=embed-once&refresh=true')).body).toMatchObject({ updated: 8 });
    const calls = setup.emulator.requests.length;
    const rerun = await updateByQuery('/articles/_update_by_query?pipeline=embed-once');
    expect(rerun.body).toMatchObject({ total: 8, updated: 8, failures: [] });
    expect(setup.emulator.requests).toHaveLength(calls);
  });

  it.each([
    ['/a,b/_update_by_query?pipeline=embed', '[dead_letter_index] is required when the job reads several indices (there is no single index to name it after)'],
    ['/logs-*/_update_by_query?pipeline=embed', '[dead_letter_index] is required when the job reads several indices (there is no single index to name it after)'],
    ['/articles/_update_by_query?pipeline=embed&q=text:x', '[q] is not supported when the sidecar runs the update_by_query (its pipeline [embed] is a sidecar pipeline); put the query in the body'],
    ['/articles/_update_by_query?pipeline=embed&conflicts=skip', 'conflicts may only be "proceed" or "abort" but was [skip]'],
    ['/articles/_update_by_query?pipeline=embed&scroll_size=0', 'Failed to parse int parameter [scroll_size] with value [0]'],
  ])('refuses %s with a 400', async (path, reason) => {
    const response = await updateByQuery(path);
    expect(response.status).toBe(400);
    expect(errorReason(response.body)).toBe(reason);
  });

  it('refuses a script: the pipeline is where the sidecar changes documents', async () => {
    const response = await updateByQuery('/articles/_update_by_query?pipeline=embed', { script: { source: 'ctx._source.n++' } });
    expect(response.status).toBe(400);
    expect(errorReason(response.body)).toMatch(/^\[script\] is not supported when the sidecar runs the update_by_query/);
  });

  it('reads several indices with a dead-letter index named', async () => {
    await seedDocuments(setup.cluster, 'part-1', numberedDocuments(2));
    await seedDocuments(setup.cluster, 'part-2', numberedDocuments(2));
    const response = await updateByQuery('/part-*/_update_by_query?pipeline=embed&dead_letter_index=parts-rejects');
    expect(response.body).toMatchObject({ total: 4, updated: 4, dead_letter_index: 'parts-rejects' });
  });
});
