import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAIL_MARKER } from '../../fixtures/emulator/request-pipeline.js';
import { ndjson, send, startProxySetup, type ProxySetup } from '../helpers/proxy-setup.js';
import { errorReason } from '../helpers/test-app.js';

let setup: ProxySetup;
beforeAll(async () => {
  setup = await startProxySetup();
  await send(setup.test, 'PUT', '/_ingest/pipeline/embed', {
    processors: [{ text_embedding: { model_id: setup.embeddingModel, field_map: { text: 'text_embedding' }, batch_size: 50 } }],
  });
});
afterAll(async () => setup.close());
beforeEach(async () => {
  await setup.cluster.reset();
  setup.emulator.clearFaults();
  setup.emulator.clearRequests();
});

describe('ingest on traffic', () => {
  it("should run the sidecar's pipeline named by ?pipeline= on a single document and index it with pipeline=_none", async () => {
    const response = await send(setup.test, 'PUT', '/articles/_doc/1?pipeline=embed&refresh=true', { text: 'hello world' });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(setup.cluster.indices.document('articles', '1')!['text_embedding']).toHaveLength(1536);
    const forwarded = setup.cluster.requests.find((request) => request.path === '/articles/_doc/1')!;
    expect(forwarded.query).toMatchObject({ pipeline: '_none', refresh: 'true' });
  });

  it("should run the index's default_pipeline when it names a sidecar pipeline, on _doc, _create and _bulk", async () => {
    await send(setup.test, 'PUT', '/defaulted', { settings: { index: { default_pipeline: 'embed' } } });
    expect((await send(setup.test, 'POST', '/defaulted/_doc', { text: 'auto id' })).status).toBe(201);
    expect((await send(setup.test, 'PUT', '/defaulted/_create/c1', { text: 'created' })).status).toBe(201);
    const bulk = await send(setup.test, 'POST', '/defaulted/_bulk', ndjson({ index: { _id: 'b1' } }, { text: 'bulk one' }));
    expect(bulk.body.errors).toBe(false);
    for (const document of setup.cluster.indices.documents('defaulted')) expect(document.source['text_embedding']).toHaveLength(1536);
    expect(setup.cluster.indices.documents('defaulted')).toHaveLength(3);
  });

  it('should pass a write unchanged when the pipeline lives on the cluster (or is _none)', async () => {
    const response = await send(setup.test, 'PUT', '/other/_doc/1?pipeline=cluster-side', { text: 'x' });
    expect(response.status).toBe(400);
    expect(errorReason(response.body)).toBe('pipeline with id [cluster-side] does not exist');
    expect((await send(setup.test, 'PUT', '/other/_doc/2?pipeline=_none', { text: 'x' })).status).toBe(201);
    expect(setup.emulator.requests).toHaveLength(0);
  });

  it('should index documents unchanged through a pipeline with no processors, calling no model', async () => {
    await send(setup.test, 'PUT', '/_ingest/pipeline/nothing', { description: 'placeholder', processors: [] });
    const single = await send(setup.test, 'PUT', '/plain/_doc/1?pipeline=nothing', { text: 'as is', n: 1 });
    expect(single.status, JSON.stringify(single.body)).toBe(201);
    const bulk = await send(setup.test, 'POST', '/_bulk?pipeline=nothing', ndjson({ index: { _index: 'plain', _id: '2' } }, { text: 'bulk as is' }));
    expect(bulk.body.errors, JSON.stringify(bulk.body)).toBe(false);
    expect(setup.cluster.indices.document('plain', '1')).toEqual({ text: 'as is', n: 1 });
    expect(setup.cluster.indices.document('plain', '2')).toEqual({ text: 'bulk as is' });
    expect(setup.emulator.requests).toHaveLength(0);
  });

  it('should answer a document whose enrichment failed with its error and status, indexing nothing', async () => {
    const response = await send(setup.test, 'PUT', '/articles/_doc/bad?pipeline=embed', { text: `oops ${FAIL_MARKER}` });
    expect(response.status).toBe(400);
    expect(errorReason(response.body)).toMatch(/^Error from remote service: /);
    expect(setup.cluster.indices.document('articles', 'bad')).toBeUndefined();
  });

  it('should keep all four bulk actions in order, enriching index/create items only', async () => {
    await send(setup.test, 'PUT', '/mixed/_doc/u1', { text: 'to update', n: 1 });
    await send(setup.test, 'PUT', '/mixed/_doc/d1', { text: 'to delete' });
    const bulk = await send(
      setup.test,
      'POST',
      '/_bulk?pipeline=embed',
      ndjson(
        { index: { _index: 'mixed', _id: 'i1' } }, { text: 'indexed' },
        { update: { _index: 'mixed', _id: 'u1' } }, { doc: { n: 2 } },
        { delete: { _index: 'mixed', _id: 'd1' } },
        { create: { _index: 'mixed', _id: 'c1' } }, { text: 'created' },
      ),
    );
    expect(bulk.status).toBe(200);
    expect(bulk.body.items.map((item: object) => Object.keys(item)[0])).toEqual(['index', 'update', 'delete', 'create']);
    expect(bulk.body.items.map((item: any) => Object.values(item)[0] as any).map((inner: any) => inner.status)).toEqual([201, 200, 200, 201]);
    expect(setup.cluster.indices.document('mixed', 'i1')!['text_embedding']).toHaveLength(1536);
    expect(setup.cluster.indices.document('mixed', 'u1')).toEqual({ text: 'to update', n: 2 });
    expect(setup.cluster.indices.document('mixed', 'd1')).toBeUndefined();
    const forwarded = setup.cluster.requests.find((request) => request.path === '/_bulk')!;
    expect(forwarded.query['pipeline']).toBeUndefined();
    expect(forwarded.body.split('\n')[0]).toContain('"pipeline":"_none"');
  });

  it('should index or report every one of 1,000 documents despite model failures and 429s, in order', async () => {
    setup.emulator.addFault({ effect: 'throttle', times: 3 } as never);
    const bad = new Set([3, 500, 999]);
    const lines: unknown[] = [];
    for (let index = 0; index < 1000; index++) {
      lines.push({ index: { _index: 'corpus', _id: String(index) } }, { text: bad.has(index) ? `broken ${FAIL_MARKER} ${index}` : `document ${index}` });
    }
    const bulk = await send(setup.test, 'POST', '/_bulk?pipeline=embed', ndjson(...lines));
    expect(bulk.status).toBe(200);
    expect(bulk.body.errors).toBe(true);
    expect(bulk.body.items).toHaveLength(1000);
    expect(bulk.body.ingest_took).toEqual(expect.any(Number));
    const failures: number[] = [];
    bulk.body.items.forEach((item: any, index: number) => {
      const inner = item.index;
      expect(inner._id).toBe(String(index));
      if (inner.error) {
        failures.push(index);
        expect(inner.status).toBe(400);
        expect(inner.error).toMatchObject({ type: 'status_exception', reason: expect.stringMatching(/^Error from remote service/) });
      } else {
        expect(inner.status).toBe(201);
      }
    });
    expect(failures).toEqual([3, 500, 999]);
    const stored = setup.cluster.indices.documents('corpus');
    expect(stored).toHaveLength(997);
    for (const document of stored) expect(document.source['text_embedding']).toHaveLength(1536);
  });
});
