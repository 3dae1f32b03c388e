/**
 * The cluster store: every collection in a hidden `.ml-sidecar-*` index of the cluster, so any
 * number of replicas share one state. Reads by id are realtime GET / `_mget`; lists are sorted
 * searches paged with `search_after`. Creates use `op_type=create`; conditional writes carry
 * `if_seq_no` / `if_primary_term`. A batch is applied in order and undone (best effort) when a
 * later write fails; then the written indices are refreshed (lists see the write at once) and the
 * watched collections' generations bumped (other replicas see it within a poll).
 */
import { notFound } from '../../errors/opensearch-error.js';
import { isJsonObject } from '../../util/json.js';
import { ChangeFeed } from '../change-feed.js';
import type { JsonObject, Store, StoredRecord, WriteOperation, WriteResult } from '../store.js';
import { conditionFailed, stateCallFailed } from './cluster-errors.js';
import type { ClusterTransport } from './cluster-transport.js';
import { ensureStateIndices, type IndexOutcome } from './ensure-state-indices.js';
import { GenerationWatch } from './generation-watch.js';
import { StateCalls } from './state-calls.js';
import { StateLayout, toStoredRecord } from './state-documents.js';
import { undoWrites, type AppliedWrite } from './undo-writes.js';
import { searchAll } from './search-all.js';

export interface ClusterStoreOptions {
  readonly transport: ClusterTransport;
  /** Index name prefix: `.ml-sidecar` gives `.ml-sidecar-models`, ... */
  readonly indexPrefix: string;
  readonly replicaId: string;
  readonly now: () => number;
  readonly pollIntervalMs: number;
  readonly cacheTtlMs: number;
  readonly onWatchHealthChange?: (healthy: boolean, reason?: string) => void;
  /** Pause between retries of rejected (429) calls; real timers unless a test swaps them. */
  readonly pause?: (milliseconds: number) => Promise<unknown>;
}

export class ClusterStore implements Store {
  readonly kind = 'cluster' as const;
  readonly changes = new ChangeFeed();
  readonly layout: StateLayout;
  private readonly calls: StateCalls;
  private readonly watch: GenerationWatch;
  /** Whether the cluster knows `preference=_primary_first` (OpenSearch 2.8+). */
  private primaryPreference = true;

  private constructor(private readonly options: ClusterStoreOptions) {
    this.layout = new StateLayout(options.indexPrefix);
    this.calls = new StateCalls(options.transport, options.pause);
    this.watch = new GenerationWatch(this.calls, this.layout, this.changes, {
      pollIntervalMs: options.pollIntervalMs,
      cacheTtlMs: options.cacheTtlMs,
      replicaId: options.replicaId,
      now: options.now,
      ...(options.onWatchHealthChange === undefined ? {} : { onHealthChange: options.onWatchHealthChange }),
    });
  }

  /** Creates or upgrades the state indices, reads the current generations, starts watching. */
  static async open(options: ClusterStoreOptions): Promise<{ store: ClusterStore; indices: Record<string, IndexOutcome> }> {
    const store = new ClusterStore(options);
    const indices = await ensureStateIndices(store.calls, store.layout);
    await store.watch.start();
    return { store, indices };
  }

  get displayUrl(): string {
    return this.calls.displayUrl;
  }

  async get<T extends JsonObject>(collection: string, id: string): Promise<StoredRecord<T> | undefined> {
    const [record] = await this.getMany<T>(collection, [id]);
    return record;
  }

  async getMany<T extends JsonObject>(collection: string, ids: readonly string[]): Promise<Array<StoredRecord<T> | undefined>> {
    if (ids.length === 0) return [];
    const index = this.layout.indexOf(collection);
    const response = await this.calls.expect(
      { method: 'POST', path: `/${encodeURIComponent(index)}/_mget`, body: { ids: ids.map((id) => this.layout.documentId(collection, id)) } },
      `read [${collection}]`,
    );
    const docs = isJsonObject(response.body) && Array.isArray(response.body['docs']) ? response.body['docs'] : [];
    return ids.map((id, position) => {
      const doc = docs[position];
      if (!isJsonObject(doc) || doc['found'] !== true) return undefined;
      const record = toStoredRecord<T>(doc);
      return record?.collection === collection && record.id === id ? record : undefined;
    });
  }

  async list<T extends JsonObject>(collection: string): Promise<Array<StoredRecord<T>>> {
    const run = () => searchAll<T>(this.calls, this.layout.indexOf(collection), collection, this.primaryPreference);
    try {
      return await run();
    } catch (error) {
      // OpenSearch before 2.8 knows no primary preference: list without it from then on.
      if (!this.primaryPreference || !/preference/i.test((error as Error).message)) throw error;
      this.primaryPreference = false;
      return run();
    }
  }

  async write(operations: readonly WriteOperation[]): Promise<WriteResult[]> {
    const applied: AppliedWrite[] = [];
    const results: WriteResult[] = [];
    try {
      for (const operation of operations) {
        const before = operations.length > 1 && operation.op !== 'create' ? await this.get(operation.collection, operation.id) : undefined;
        const result = await this.applyOne(operation);
        results.push(result);
        applied.push({ operation, result, before });
      }
    } catch (error) {
      await undoWrites(applied, (undo) => this.applyOne(undo)).catch(() => undefined);
      throw error;
    }
    const collections = [...new Set(operations.map((operation) => operation.collection))];
    // The writes landed: a failure to make them visible now must not report them as failed.
    // Lists then see them at the next scheduled refresh, other replicas at their caches' TTL.
    await this.refresh(collections).catch(() => undefined);
    await this.watch.bump(collections).catch(() => undefined);
    this.changes.emit(collections);
    return results;
  }

  async ping(): Promise<void> {
    await this.watch.poll();
  }

  async close(): Promise<void> {
    this.watch.stop();
  }

  private async applyOne(operation: WriteOperation): Promise<WriteResult> {
    const { collection, id } = operation;
    const index = this.layout.indexOf(collection);
    const documentId = this.layout.documentId(collection, id);
    const path = `/${encodeURIComponent(index)}/_doc/${encodeURIComponent(documentId)}`;
    const querystring: Record<string, string> = {};
    if (operation.op === 'create') querystring['op_type'] = 'create';
    if (operation.op !== 'create' && operation.ifMatch !== undefined) {
      querystring['if_seq_no'] = String(operation.ifMatch.seqNo);
      querystring['if_primary_term'] = String(operation.ifMatch.primaryTerm);
    }
    const response =
      operation.op === 'delete'
        ? await this.calls.send({ method: 'DELETE', path, querystring })
        : await this.calls.send({ method: 'PUT', path, querystring, body: this.layout.wrap(collection, id, operation.source, this.options.now()) });
    if (response.status === 409) throw conditionFailed(response, documentId, id, collection);
    const body = isJsonObject(response.body) ? response.body : {};
    if (operation.op === 'delete' && response.status === 404 && body['result'] === 'not_found') {
      if (operation.mustExist) throw notFound(`[${collection}] document [${id}] not found`);
      return { collection, id, result: 'not_found', version: Number(body['_version'] ?? 1), seqNo: -2, primaryTerm: 0 };
    }
    if (response.status < 200 || response.status >= 300) throw stateCallFailed(this.displayUrl, response, `write [${collection}]`);
    return {
      collection,
      id,
      result: body['result'] as WriteResult['result'],
      version: Number(body['_version']),
      seqNo: Number(body['_seq_no']),
      primaryTerm: Number(body['_primary_term']),
    };
  }

  private async refresh(collections: readonly string[]): Promise<void> {
    const indices = [...new Set(collections.map((collection) => this.layout.indexOf(collection)))];
    await this.calls.expect({ method: 'POST', path: `/${indices.map(encodeURIComponent).join(',')}/_refresh` }, 'refresh');
  }
}
