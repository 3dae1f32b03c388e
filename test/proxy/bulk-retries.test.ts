import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ndjson, send, startProxySetup, type ProxySetup } from '../helpers/proxy-setup.js';

let setup: ProxySetup;
beforeAll(async () => {
  setup = await startProxySetup({ clusterTimeoutMs: 3_000 });
  await send(setup.test, 'PUT', '/_ingest/pipeline/embed', {
    processors: [{ text_embedding: { model_id: setup.embeddingModel, field_map: { text: 'v' } } }],
  });
});
afterAll(async () => setup.close());
beforeEach(async () => {
  await setup.cluster.reset();
  setup.emulator.clearRequests();
});

const bulkRequests = () => setup.cluster.requests.filter((request) => request.path.endsWith('/_bulk'));
/** The `[action, _index, _id]` of each item a bulk request carried. */
const itemsSent = (body: string) =>
  body
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, Record<string, unknown>>)
    .filter((line) => ['index', 'create', 'update', 'delete'].includes(Object.keys(line)[0]!))
    .map((line) => {
      const [action, metadata] = Object.entries(line)[0]!;
      return [action, metadata['_index'], metadata['_id']];
    });
const statuses = (body: any): number[] => body.items.map((item: object) => (Object.values(item)[0] as { status: number }).status);

/** Auto-id documents for two indices, through the embedding pipeline. */
const autoIdBulk = ndjson(
  { index: { _index: 'full' } }, { text: 'one' },
  { create: { _index: 'free' } }, { text: 'two' },
  { index: { _index: 'full' } }, { text: 'three' },
  { index: { _index: 'free', _id: 'mine' } }, { text: 'four' },
);

describe('a busy cluster behind the proxy', () => {
  it.each([429, 503] as const)(
    'should send a bulk the cluster turned away as a whole (%i) again, with the embeddings already paid for',
    async (status) => {
      setup.cluster.rejectBulks({ times: 2, status });
      const response = await send(setup.test, 'POST', '/_bulk?pipeline=embed', autoIdBulk);
      expect(response.status).toBe(200);
      expect(response.body.errors).toBe(false);
      expect(statuses(response.body)).toEqual([201, 201, 201, 201]);
      const sent = bulkRequests().map((request) => itemsSent(request.body));
      expect(sent).toHaveLength(3);
      expect(sent[1]).toEqual(sent[0]);
      expect(sent[2]).toEqual(sent[0]);
      // The model was called for each document once, whatever the retries.
      const embedded = setup.emulator.requests.flatMap((request) => (request.body as { input: string[] }).input);
      expect(embedded.sort()).toEqual(['four', 'one', 'three', 'two']);
      expect(setup.cluster.indices.documents('full')).toHaveLength(2);
      expect(setup.cluster.indices.documents('free')).toHaveLength(2);
    },
  );

  it('should give every auto-id index/create item an id before the first send, and answer with it', async () => {
    setup.cluster.rejectBulks({ times: 1, status: 429 });
    const response = await send(setup.test, 'POST', '/_bulk?pipeline=embed', autoIdBulk);
    const firstSent = itemsSent(bulkRequests()[0]!.body);
    expect(firstSent.map(([action, index]) => [action, index])).toEqual([['index', 'full'], ['create', 'free'], ['index', 'full'], ['index', 'free']]);
    const ids = firstSent.map(([, , id]) => id as string);
    expect(ids[3]).toBe('mine');
    for (const id of ids.slice(0, 3)) expect(id).toMatch(/^\S{20}$/);
    expect(new Set(ids).size).toBe(4);
    expect(response.body.items.map((item: object) => (Object.values(item)[0] as { _id: string })._id)).toEqual(ids);
    expect(setup.cluster.indices.documents('full').map((document) => document.id).sort()).toEqual([ids[0], ids[2]].sort());
  });

  it("should honour the cluster's Retry-After", async () => {
    setup.cluster.rejectBulks({ times: 1, status: 503, retryAfterSeconds: 1 });
    const started = Date.now();
    const response = await send(setup.test, 'POST', '/_bulk', ndjson({ index: { _index: 'free', _id: '1' } }, { text: 'x' }));
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
  });

  it("should send again only the items of a full shard, and answer every item at its place in OpenSearch's shape", async () => {
    setup.cluster.rejectShards({ times: 1, index: 'full' });
    const response = await send(
      setup.test,
      'POST',
      '/_bulk?pipeline=embed',
      ndjson(
        { index: { _index: 'full', _id: 'a' } }, { text: 'one' },
        { delete: { _index: 'free', _id: 'gone' } },
        { index: { _index: 'free', _id: 'b' } }, { text: 'two' },
        { update: { _index: 'full', _id: 'c' } }, { doc: { text: 'three' }, doc_as_upsert: true },
      ),
    );
    expect(response.status).toBe(200);
    expect(response.body.items.map((item: object) => Object.keys(item)[0])).toEqual(['index', 'delete', 'index', 'update']);
    expect(statuses(response.body)).toEqual([201, 404, 201, 201]);
    expect(response.body.errors).toBe(true);
    expect(bulkRequests().map((request) => itemsSent(request.body))).toEqual([
      [['index', 'full', 'a'], ['delete', 'free', 'gone'], ['index', 'free', 'b'], ['update', 'full', 'c']],
      [['index', 'full', 'a'], ['update', 'full', 'c']],
    ]);
    expect(setup.cluster.indices.document('full', 'a')!['v']).toHaveLength(1536);
    expect(setup.emulator.requests).toHaveLength(1);
  });

  it('should answer the items still turned away with their 429 once its time is up, the others indexed', async () => {
    setup.cluster.rejectShards({ times: 1_000, index: 'full' });
    const started = Date.now();
    const response = await send(setup.test, 'POST', '/_bulk', ndjson({ index: { _index: 'full', _id: 'a' } }, { n: 1 }, { index: { _index: 'free', _id: 'b' } }, { n: 2 }));
    expect(Date.now() - started).toBeLessThan(2_900);
    expect(response.status).toBe(200);
    expect(response.body.errors).toBe(true);
    expect(response.body.items[0].index).toMatchObject({ _index: 'full', _id: 'a', status: 429, error: { type: 'rejected_execution_exception' } });
    expect(response.body.items[1].index).toMatchObject({ _index: 'free', _id: 'b', status: 201 });
    expect(bulkRequests().length).toBeGreaterThan(2);
    expect(bulkRequests().slice(1).every((request) => itemsSent(request.body).every(([, index]) => index === 'full'))).toBe(true);
  });

  it.each([429, 503] as const)('should send a single-document write the cluster turned away (%i) again, embedded once', async (status) => {
    setup.cluster.rejectBulks({ times: 2, status });
    const response = await send(setup.test, 'PUT', '/free/_doc/solo?pipeline=embed', { text: 'solo' });
    expect(response.status).toBe(201);
    expect(setup.cluster.requests.filter((request) => request.path === '/free/_doc/solo')).toHaveLength(3);
    expect(setup.emulator.requests).toHaveLength(1);
    expect(setup.cluster.indices.document('free', 'solo')).toMatchObject({ text: 'solo', v: expect.any(Array) });
  });

  it("should hand back the cluster's own 429 when it turned every attempt away as a whole", async () => {
    setup.cluster.rejectBulks({ times: 1_000, status: 429, retryAfterSeconds: 1 });
    const response = await send(setup.test, 'POST', '/_bulk', ndjson({ index: { _index: 'free', _id: 'a' } }, { n: 1 }));
    expect(response.status).toBe(429);
    // The cluster's Retry-After reaches the client, which then knows when to try again.
    expect(response.headers.get('retry-after')).toBe('1');
    expect(response.body.error.type).toBe('rejected_execution_exception');
    expect(response.body.error.reason).toMatch(/^rejected execution of coordinating operation/);
    expect(bulkRequests().length).toBeGreaterThan(1);
    expect(setup.cluster.indices.document('free', 'a')).toBeUndefined();
  });
});
