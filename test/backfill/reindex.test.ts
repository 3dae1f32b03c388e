/**
 * `POST /_reindex` through the proxy when the destination's pipeline is a sidecar pipeline: the
 * sidecar reads the source through a point in time, runs the pipeline in batches, bulk-writes the
 * destination with `pipeline=_none` and answers OpenSearch's reindex response; failed documents go
 * to the dead-letter index; a rerun reuses unchanged outputs (`skip_existing`). Other reindexes go
 * to the cluster unchanged.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { embedText } from '../../fixtures/emulator/embeddings.js';
import { FAIL_MARKER } from '../../fixtures/emulator/request-pipeline.js';
import { send } from '../helpers/proxy-setup.js';
import { errorReason } from '../helpers/test-app.js';
import { DIMENSIONS, numberedDocuments, seedDocuments, useBackfillSetup, waitForTask } from './backfill-setup.js';

const setup = useBackfillSetup();

const reindex = (body: object, query = '') => send(setup.test, 'POST', `/_reindex${query}`, body);
const vectorOf = (text: string) => embedText(text, DIMENSIONS);

describe('POST /_reindex into a sidecar pipeline', () => {
  it("answers OpenSearch's reindex response once every document is enriched and written", async () => {
    await seedDocuments(setup.cluster, 'source', numberedDocuments(25));
    const response = await reindex({ source: { index: 'source', size: 10 }, dest: { index: 'dest', pipeline: 'embed' } });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(Object.keys(response.body)).toEqual([
      'took', 'timed_out', 'total', 'updated', 'created', 'deleted', 'batches', 'version_conflicts', 'noops', 'retries',
      'throttled_millis', 'requests_per_second', 'throttled_until_millis', 'failures', 'dead_letter_index',
    ]);
    expect(response.body).toMatchObject({
      timed_out: false,
      total: 25,
      updated: 0,
      created: 25,
      deleted: 0,
      batches: 3,
      version_conflicts: 0,
      noops: 0,
      // A loaded machine may make a call to the stand-in time out and be retried.
      retries: { bulk: expect.any(Number), search: expect.any(Number) },
      throttled_millis: 0,
      requests_per_second: -1,
      throttled_until_millis: 0,
      failures: [],
      dead_letter_index: 'dest-dead-letter',
    });
    const written = setup.cluster.indices.documents('dest');
    expect(written).toHaveLength(25);
    for (const { source } of written) expect(source['vector']).toEqual(vectorOf(source['text'] as string));
  });

  it('reads through a point in time sorted on _index and _id, writes with pipeline=_none, and frees the point in time', async () => {
    await seedDocuments(setup.cluster, 'source', numberedDocuments(15));
    await reindex({ source: { index: 'source', size: 10 }, dest: { index: 'dest', pipeline: 'embed' } });
    const paths = setup.cluster.requests.map((request) => `${request.method} ${request.path}`);
    expect(paths).toContain('POST /source/_search/point_in_time');
    const searches = setup.cluster.requests.filter((request) => request.path === '/_search').map((request) => JSON.parse(request.body));
    expect(searches[0]).toMatchObject({ size: 10, sort: [{ _index: 'asc' }, { _id: 'asc' }], pit: { keep_alive: '5m' }, track_total_hits: true });
    expect(searches[1].search_after).toEqual(['source', 'doc-00009']);
    const bulk = setup.cluster.requests.find((request) => request.path === '/_bulk' && request.body.includes('"_none"'))!;
    const actions = bulk.body.trim().split('\n').filter((_, line) => line % 2 === 0).map((line) => JSON.parse(line));
    expect(actions[0]).toEqual({ index: { _index: 'dest', _id: 'doc-00000', pipeline: '_none' } });
    expect(paths).toContain('DELETE /_search/point_in_time');
    const live = await fetch(`${setup.cluster.url}/_search/point_in_time/_all`).then((answer) => answer.json());
    expect(live).toEqual({ pits: [] });
  });

  it("runs the destination's default_pipeline when it is a sidecar pipeline", async () => {
    await send(setup.test, 'PUT', '/defaulted', { settings: { index: { default_pipeline: 'embed' } } });
    await seedDocuments(setup.cluster, 'source', numberedDocuments(3));
    const response = await reindex({ source: { index: 'source' }, dest: { index: 'defaulted' } });
    expect(response.body).toMatchObject({ created: 3, failures: [] });
    expect(setup.cluster.indices.document('defaulted', 'doc-00001')!['vector']).toEqual(vectorOf('document number 1'));
  });

  it.each([
    ['without a pipeline', { source: { index: 'source' }, dest: { index: 'dest' } }],
    ['with a pipeline of the cluster', { source: { index: 'source' }, dest: { index: 'dest', pipeline: 'cluster-side' } }],
    ['with _none', { source: { index: 'source' }, dest: { index: 'dest', pipeline: '_none' } }],
  ])('sends a reindex %s to the cluster unchanged', async (_case, body) => {
    await reindex(body, '?refresh=true');
    const forwarded = setup.cluster.requests.find((request) => request.path === '/_reindex')!;
    expect(JSON.parse(forwarded.body)).toEqual(body);
    expect(forwarded.query).toEqual({ refresh: 'true' });
    expect(setup.emulator.requests).toHaveLength(0);
  });

  it('honours query, max_docs and _source filtering, size being the batch', async () => {
    await seedDocuments(setup.cluster, 'source', numberedDocuments(30).map(({ id, source }) => ({ id, source: { ...source, extra: 'x' } })));
    const response = await reindex({
      source: { index: 'source', size: 4, query: { range: { n: { gte: 10 } } }, _source: ['text', 'n'] },
      dest: { index: 'dest', pipeline: 'embed' },
      max_docs: 9,
    });
    expect(response.body).toMatchObject({ total: 9, created: 9, batches: 3 });
    const ids = setup.cluster.indices.documents('dest').map((document) => document.id).sort();
    expect(ids).toEqual(Array.from({ length: 9 }, (_, n) => `doc-000${n + 10}`));
    expect(setup.cluster.indices.document('dest', 'doc-00010')).not.toHaveProperty('extra');
  });

  it('dead-letters a document the pipeline fails and goes on with the others', async () => {
    await seedDocuments(setup.cluster, 'source', [
      { id: 'good-1', source: { text: 'fine' } },
      { id: 'bad', source: { text: `refused ${FAIL_MARKER}` } },
      { id: 'good-2', source: { text: 'also fine' } },
    ]);
    const response = await reindex({ source: { index: 'source' }, dest: { index: 'dest', pipeline: 'embed' } }, '?dead_letter_index=rejects');
    expect(response.body).toMatchObject({ total: 3, created: 2, dead_letter_index: 'rejects' });
    expect(response.body.failures).toEqual([
      { index: 'source', id: 'bad', cause: expect.objectContaining({ type: expect.any(String), reason: expect.stringMatching(/^Error from remote service/) }), status: 400 },
    ]);
    expect(setup.cluster.indices.documents('dest').map((document) => document.id).sort()).toEqual(['good-1', 'good-2']);
    const [entry] = setup.cluster.indices.documents('rejects');
    expect(entry!.id).toBe('source:bad');
    expect(entry!.source).toMatchObject({ source_index: 'source', source_id: 'bad', stage: 'pipeline', status: 400, pipeline: 'embed' });
    expect(Date.parse(entry!.source['failed_at'] as string)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("sends again the items a full write queue turned away (429 per item), as OpenSearch's reindex does, dead-lettering none", async () => {
    await seedDocuments(setup.cluster, 'source', numberedDocuments(6));
    setup.cluster.rejectShards({ times: 2, index: 'dest' });
    const response = await reindex({ source: { index: 'source' }, dest: { index: 'dest', pipeline: 'embed' } });
    expect(response.body).toMatchObject({ total: 6, created: 6, failures: [] });
    expect(response.body.retries.bulk).toBeGreaterThanOrEqual(2);
    expect(setup.cluster.indices.documents('dest')).toHaveLength(6);
    expect(setup.cluster.indices.documents('dest-dead-letter')).toEqual([]);
  });

  it('counts documents a pipeline drops as noops', async () => {
    await send(setup.test, 'PUT', '/_ingest/pipeline/drop-odd', { processors: [{ drop: { if: 'ctx.n % 2 == 1' } }, { text_embedding: { model_id: setup.embeddingModel, field_map: { text: 'v' } } }] });
    await seedDocuments(setup.cluster, 'source', numberedDocuments(6));
    const response = await reindex({ source: { index: 'source' }, dest: { index: 'dest', pipeline: 'drop-odd' } });
    expect(response.body).toMatchObject({ total: 6, created: 3, noops: 3 });
  });

  describe('op_type create and conflicts', () => {
    beforeEach(async () => {
      await seedDocuments(setup.cluster, 'source', numberedDocuments(6));
      await seedDocuments(setup.cluster, 'dest', [{ id: 'doc-00002', source: { text: 'already there' } }]);
    });

    it('counts a version conflict and goes on with conflicts=proceed', async () => {
      const response = await reindex({ source: { index: 'source', size: 2 }, dest: { index: 'dest', pipeline: 'embed', op_type: 'create' }, conflicts: 'proceed' });
      expect(response.body).toMatchObject({ total: 6, created: 5, version_conflicts: 1, batches: 3, failures: [] });
      expect(setup.cluster.indices.document('dest', 'doc-00002')).toEqual({ text: 'already there' });
    });

    it('stops after the batch of the conflict by default, listing it as OpenSearch does', async () => {
      const response = await reindex({ source: { index: 'source', size: 2 }, dest: { index: 'dest', pipeline: 'embed', op_type: 'create' } });
      expect(response.body).toMatchObject({ total: 6, created: 3, version_conflicts: 1, batches: 2 });
      expect(response.body.failures).toEqual([
        { index: 'source', id: 'doc-00002', cause: expect.objectContaining({ type: 'version_conflict_engine_exception' }), status: 409 },
      ]);
    });
  });

  it('refreshes the destination with ?refresh', async () => {
    await seedDocuments(setup.cluster, 'source', numberedDocuments(3));
    await reindex({ source: { index: 'source' }, dest: { index: 'dest', pipeline: 'embed' } }, '?refresh=true');
    expect(setup.cluster.indices.searchableIds('dest')).toHaveLength(3);
  });

  it('answers the cluster error for a missing source at once, starting no job', async () => {
    const jobs = (await setup.test.store.list('backfill-jobs')).length;
    const response = await reindex({ source: { index: 'missing' }, dest: { index: 'dest', pipeline: 'embed' } });
    expect(response.status).toBe(404);
    expect(response.body.error.type).toBe('index_not_found_exception');
    expect(await setup.test.store.list('backfill-jobs')).toHaveLength(jobs);
  });

  it.each([
    [{ source: { index: 's' }, dest: { index: 'd', pipeline: 'embed' }, script: { source: 'ctx._source.x = 1' } }, '', '[script] is not supported when the sidecar runs the reindex (its pipeline [embed] is a sidecar pipeline); use a script processor in the pipeline instead'],
    [{ source: { index: 's', remote: { host: 'http://x:9200' } }, dest: { index: 'd', pipeline: 'embed' } }, '', '[source.remote] is not supported when the sidecar runs the reindex (its pipeline [embed] is a sidecar pipeline); reindex into an index of this cluster first'],
    [{ source: { index: 's', unknown: 1 }, dest: { index: 'd', pipeline: 'embed' } }, '', '[reindex] unknown field [source.unknown]'],
    [{ source: { index: 's' }, dest: { index: 'd', pipeline: 'embed', op_type: 'upsert' } }, '', '[reindex] field [dest.op_type] must be one of [index, create]'],
    [{ source: { index: 's' }, dest: { index: 'd', pipeline: 'embed' }, conflicts: 'ignore' }, '', '[reindex] field [conflicts] must be one of [abort, proceed]'],
    [{ source: { index: 's' }, dest: { index: 'd', pipeline: 'embed' } }, '?requests_per_second=0', '[requests_per_second] must be a float greater than 0. Use -1 to disable throttling.'],
    [{ source: { index: 's' }, dest: { index: 'd', pipeline: 'embed' } }, '?wait_for_completion=maybe', 'Failed to parse value [maybe] as only [true] or [false] are allowed.'],
    [{ source: { index: 's' }, dest: { index: 'd', pipeline: 'embed' } }, '?max_docs=-1', '[max_docs] parameter cannot be negative, found [-1]'],
    [{ source: { index: 's' }, dest: { index: 'd', pipeline: 'embed' } }, '?slices=zero', '[slices] must be a positive integer or the string "auto"'],
  ])('refuses %j%s with a 400', async (body, query, reason) => {
    const response = await reindex(body, query);
    expect(response.status).toBe(400);
    expect(errorReason(response.body)).toBe(reason);
  });

  it('refuses a dead-letter index name OpenSearch would refuse', async () => {
    const response = await reindex({ source: { index: 's' }, dest: { index: 'd', pipeline: 'embed' } }, '?dead_letter_index=Rejects');
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ type: 'invalid_index_name_exception', reason: 'Invalid index name [Rejects], must be lowercase' });
  });

  describe('a rerun with skip_existing', () => {
    it('sends no document whose text and model are unchanged to the model again', async () => {
      await seedDocuments(setup.cluster, 'source', numberedDocuments(20));
      const first = await reindex({ source: { index: 'source' }, dest: { index: 'dest', pipeline: 'embed-once' } });
      expect(first.body).toMatchObject({ created: 20 });
      const calls = setup.emulator.requests.length;
      expect(calls).toBeGreaterThan(0);
      const before = new Map(setup.cluster.indices.documents('dest').map((document) => [document.id, document.source]));
      expect(before.get('doc-00003')!['ml_sidecar']).toEqual({
        inference: [{ field: 'vector', model_id: setup.embeddingModel, input_sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }],
      });

      await seedDocuments(setup.cluster, 'source', [{ id: 'doc-00003', source: { text: 'a new text', n: 3 } }]);
      setup.emulator.clearRequests();
      const rerun = await reindex({ source: { index: 'source' }, dest: { index: 'dest', pipeline: 'embed-once' } });
      expect(rerun.body).toMatchObject({ total: 20, updated: 20 });
      const texts = setup.emulator.requests.flatMap((request) => (request.body as { input: string[] }).input);
      expect(texts).toEqual(['a new text']);
      for (const { id, source } of setup.cluster.indices.documents('dest')) {
        expect(source['vector']).toEqual(vectorOf(source['text'] as string));
        if (id !== 'doc-00003') expect(source).toEqual(before.get(id));
      }
    });
  });

  it('runs in the background with wait_for_completion=false', async () => {
    await seedDocuments(setup.cluster, 'source', numberedDocuments(12));
    const response = await reindex({ source: { index: 'source', size: 5 }, dest: { index: 'dest', pipeline: 'embed' } }, '?wait_for_completion=false');
    expect(response.body).toEqual({ task: expect.stringMatching(/^[\w-]+:\d+$/) });
    const done = await waitForTask(setup.test, response.body.task);
    expect(done.response).toMatchObject({ total: 12, created: 12, batches: 3 });
  });
});
