/**
 * The store contract: what every backend must do, run against each of them
 * (`sqlite-store.test.ts`, `cluster-store.test.ts`). Collections named here are real ones: the
 * cluster store places each collection in its index, so the suite also proves that collections
 * sharing an index (model groups and their name reservations) stay apart.
 */
import { describe, expect, it } from 'vitest';
import { OpenSearchError } from '../../src/errors/opensearch-error.js';
import { unchanged, type Store, type WriteOperation } from '../../src/store/store.js';

export interface StoreHarness {
  /** A new, empty store. */
  open(): Promise<Store>;
  /** Another store over the same data as `store` (a reopened file, a second replica). */
  reopen(store: Store): Promise<Store>;
}

const CONNECTORS = '.plugins-ml-connector';
const GROUPS = '.plugins-ml-model-group';
const NAMES = 'model-group-names';
const PIPELINES = 'ingest-pipelines';
const SEARCH_PIPELINES = 'search-pipelines';

async function failure(promise: Promise<unknown>): Promise<OpenSearchError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OpenSearchError);
  return error as OpenSearchError;
}

export function describeStoreContract(name: string, harness: StoreHarness): void {
  describe(`store contract: ${name}`, () => {
    it('should create, read, update and delete with OpenSearch bookkeeping', async () => {
      const store = await harness.open();
      const [created] = await store.write([{ op: 'create', collection: CONNECTORS, id: 'a', source: { n: 1 } }]);
      expect(created).toMatchObject({ collection: CONNECTORS, id: 'a', result: 'created', version: 1, primaryTerm: 1 });
      const [updated] = await store.write([{ op: 'put', collection: CONNECTORS, id: 'a', source: { n: 2 } }]);
      expect(updated).toMatchObject({ result: 'updated', version: 2 });
      expect(updated!.seqNo).toBeGreaterThan(created!.seqNo);
      expect(await store.get(CONNECTORS, 'a')).toEqual({
        collection: CONNECTORS, id: 'a', version: 2, seqNo: updated!.seqNo, primaryTerm: 1, source: { n: 2 },
      });
      const [deleted] = await store.write([{ op: 'delete', collection: CONNECTORS, id: 'a' }]);
      expect(deleted).toMatchObject({ result: 'deleted', version: 3 });
      expect(await store.get(CONNECTORS, 'a')).toBeUndefined();
      const [missing] = await store.write([{ op: 'delete', collection: CONNECTORS, id: 'a' }]);
      expect(missing).toMatchObject({ result: 'not_found' });
    });

    it('should keep nested JSON exactly, whatever its shape', async () => {
      const store = await harness.open();
      const source = { s: 'é\u0000"\\', n: 1.5, big: 2 ** 53 - 1, nested: { list: [1, 'two', null, { x: [] }], empty: {} }, flag: false };
      await store.write([
        { op: 'create', collection: CONNECTORS, id: 'shape-1', source },
        // The same field with another type in another record: no mapping may refuse it.
        { op: 'create', collection: CONNECTORS, id: 'shape-2', source: { nested: 'a string now', n: { deep: true } } },
      ]);
      expect((await store.get(CONNECTORS, 'shape-1'))?.source).toEqual(source);
      expect((await store.get(CONNECTORS, 'shape-2'))?.source).toEqual({ nested: 'a string now', n: { deep: true } });
    });

    it('should refuse a create over an existing id with OpenSearch 409', async () => {
      const store = await harness.open();
      await store.write([{ op: 'create', collection: CONNECTORS, id: 'taken', source: {} }]);
      const error = await failure(store.write([{ op: 'create', collection: CONNECTORS, id: 'taken', source: {} }]));
      expect(error.status).toBe(409);
      expect(error.type).toBe('version_conflict_engine_exception');
      expect(error.reason).toBe('[taken]: version conflict, document already exists (current version [1])');
    });

    it.each([
      ['put', (seqNo: number): WriteOperation => ({ op: 'put', collection: CONNECTORS, id: 'c', source: { v: 2 }, ifMatch: { seqNo, primaryTerm: 1 } })],
      ['delete', (seqNo: number): WriteOperation => ({ op: 'delete', collection: CONNECTORS, id: 'c', ifMatch: { seqNo, primaryTerm: 1 } })],
    ])('should apply a conditional %s only while the record is unchanged', async (_kind, operation) => {
      const store = await harness.open();
      await store.write([{ op: 'create', collection: CONNECTORS, id: 'c', source: { v: 1 } }]);
      const read = (await store.get(CONNECTORS, 'c'))!;
      const [moved] = await store.write([{ op: 'put', collection: CONNECTORS, id: 'c', source: { v: 'other writer' } }]);
      const error = await failure(store.write([operation(read.seqNo)]));
      expect(error.status).toBe(409);
      expect(error.type).toBe('version_conflict_engine_exception');
      expect(error.reason).toBe(
        `[c]: version conflict, required seqNo [${read.seqNo}], primary term [1]. current document has seqNo [${moved!.seqNo}] and primary term [1]`,
      );
      expect((await store.get(CONNECTORS, 'c'))?.source).toEqual({ v: 'other writer' });
      const [applied] = await store.write([operation(moved!.seqNo)]);
      expect(applied?.result).toMatch(/updated|deleted/);
    });

    it('should refuse a conditional write to a record that is gone, and a required delete of nothing', async () => {
      const store = await harness.open();
      const gone = await failure(store.write([{ op: 'put', collection: CONNECTORS, id: 'gone', source: {}, ifMatch: { seqNo: 3, primaryTerm: 1 } }]));
      expect(gone.status).toBe(409);
      expect(gone.reason).toBe('[gone]: version conflict, required seqNo [3], primary term [1]. but no document was found');
      expect((await failure(store.write([{ op: 'delete', collection: CONNECTORS, id: 'gone', mustExist: true }]))).status).toBe(404);
    });

    it('should read several records in the order asked, missing ones as undefined', async () => {
      const store = await harness.open();
      await store.write([
        { op: 'create', collection: CONNECTORS, id: 'x', source: { n: 'x' } },
        { op: 'create', collection: CONNECTORS, id: 'y', source: { n: 'y' } },
      ]);
      const records = await store.getMany(CONNECTORS, ['y', 'nope', 'x']);
      expect(records.map((record) => record?.source['n'])).toEqual(['y', undefined, 'x']);
      expect(await store.getMany(CONNECTORS, [])).toEqual([]);
    });

    it('should list a collection in write order and keep collections sharing an index apart', async () => {
      const store = await harness.open();
      await store.write([
        { op: 'create', collection: GROUPS, id: 'b', source: { name: 'b' } },
        { op: 'create', collection: GROUPS, id: 'a', source: { name: 'a' } },
        { op: 'create', collection: NAMES, id: 'a', source: { model_group_id: 'a' } },
        { op: 'create', collection: PIPELINES, id: 'p', source: { body: { kind: 'ingest' } } },
        { op: 'create', collection: SEARCH_PIPELINES, id: 'p', source: { body: { kind: 'search' } } },
      ]);
      await store.write([{ op: 'put', collection: GROUPS, id: 'b', source: { name: 'b2' } }]);
      expect((await store.list(GROUPS)).map((record) => record.id)).toEqual(['a', 'b']);
      expect((await store.list(NAMES)).map((record) => [record.id, record.source])).toEqual([['a', { model_group_id: 'a' }]]);
      expect((await store.get(GROUPS, 'a'))?.source).toEqual({ name: 'a' });
      expect((await store.get(NAMES, 'a'))?.source).toEqual({ model_group_id: 'a' });
      expect((await store.get(SEARCH_PIPELINES, 'p'))?.source).toEqual({ body: { kind: 'search' } });
      expect((await store.list(PIPELINES)).map((record) => record.source)).toEqual([{ body: { kind: 'ingest' } }]);
    });

    it('should list every record of a large collection', async () => {
      const store = await harness.open();
      const ids = Array.from({ length: 1_234 }, (_, n) => `t${String(n).padStart(4, '0')}`);
      for (let start = 0; start < ids.length; start += 250) {
        await store.write(ids.slice(start, start + 250).map((id) => ({ op: 'create' as const, collection: '.plugins-ml-task', id, source: { id } })));
      }
      expect((await store.list('.plugins-ml-task')).map((record) => record.id)).toEqual(ids);
    });

    it('should store ids of any length a name may have', async () => {
      const store = await harness.open();
      const long = 'n'.repeat(600);
      await store.write([{ op: 'create', collection: NAMES, id: long, source: { model_group_id: 'g' } }]);
      expect((await store.get(NAMES, long))?.id).toBe(long);
      expect((await store.list(NAMES)).map((record) => record.id)).toEqual([long]);
      expect((await failure(store.write([{ op: 'create', collection: NAMES, id: long, source: {} }]))).status).toBe(409);
    });

    it('should leave nothing of a batch whose later write fails', async () => {
      const store = await harness.open();
      await store.write([
        { op: 'create', collection: GROUPS, id: 'g', source: { latest_version: 1 } },
        { op: 'create', collection: CONNECTORS, id: 'gone-after', source: { kept: true } },
        { op: 'create', collection: CONNECTORS, id: 'taken', source: {} },
      ]);
      const group = (await store.get(GROUPS, 'g'))!;
      const error = await failure(
        store.write([
          { op: 'put', collection: GROUPS, id: 'g', source: { latest_version: 2 }, ifMatch: unchanged(group) },
          { op: 'create', collection: CONNECTORS, id: 'fresh', source: {} },
          { op: 'delete', collection: CONNECTORS, id: 'gone-after' },
          { op: 'create', collection: CONNECTORS, id: 'taken', source: {} },
        ]),
      );
      expect(error.status).toBe(409);
      expect((await store.get(GROUPS, 'g'))?.source).toEqual({ latest_version: 1 });
      expect(await store.get(CONNECTORS, 'fresh')).toBeUndefined();
      expect((await store.get(CONNECTORS, 'gone-after'))?.source).toEqual({ kept: true });
      expect((await store.list(CONNECTORS)).map((record) => record.id).sort()).toEqual(['gone-after', 'taken']);
    });

    it('should announce each written collection once, before the write resolves', async () => {
      const store = await harness.open();
      const heard: string[] = [];
      const stop = store.changes.subscribe([CONNECTORS, GROUPS], (collection) => heard.push(collection));
      await store.write([
        { op: 'create', collection: CONNECTORS, id: 'one', source: {} },
        { op: 'create', collection: CONNECTORS, id: 'two', source: {} },
        { op: 'create', collection: '.plugins-ml-task', id: 'unheard', source: {} },
      ]);
      expect(heard).toEqual([CONNECTORS]);
      stop();
      await store.write([{ op: 'create', collection: CONNECTORS, id: 'three', source: {} }]);
      expect(heard).toEqual([CONNECTORS]);
    });

    it('should serve the same records to a second store over the same data', async () => {
      const store = await harness.open();
      await store.write([{ op: 'create', collection: CONNECTORS, id: 'kept', source: { kept: true } }]);
      const other = await harness.reopen(store);
      expect((await other.get(CONNECTORS, 'kept'))?.source).toEqual({ kept: true });
      expect((await other.list(CONNECTORS)).map((record) => record.id)).toEqual(['kept']);
      const [next] = await other.write([{ op: 'create', collection: CONNECTORS, id: 'next', source: {} }]);
      expect(next?.seqNo).toBeGreaterThan((await other.get(CONNECTORS, 'kept'))!.seqNo);
      await other.ping();
    });
  });
}
