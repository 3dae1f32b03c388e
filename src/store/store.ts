/**
 * The persistence boundary. Everything the service keeps (connectors, model groups, models,
 * tasks, settings, pipelines) is a JSON document in a named collection, addressed by id, with
 * OpenSearch's bookkeeping (`_version`, `_seq_no`, `_primary_term`) so responses can carry it.
 * Two backends implement it and pass one contract suite (`test/store/store-contract.ts`): the
 * embedded SQLite store and the cluster store (hidden `.ml-sidecar-*` indices shared by replicas).
 */
import type { ChangeFeed } from './change-feed.js';

/** A JSON object as stored. */
export type JsonObject = { [key: string]: unknown };

/** One stored document with its OpenSearch-style metadata. */
export interface StoredRecord<T extends JsonObject = JsonObject> {
  readonly collection: string;
  readonly id: string;
  readonly version: number;
  readonly seqNo: number;
  readonly primaryTerm: number;
  readonly source: T;
}

/** The state a conditional write requires: the `_seq_no` and `_primary_term` the writer read. */
export interface WriteCondition {
  readonly seqNo: number;
  readonly primaryTerm: number;
}

/** One write of a batch. */
export type WriteOperation =
  /** Fails with a 409 if the id exists. */
  | { readonly op: 'create'; readonly collection: string; readonly id: string; readonly source: JsonObject }
  /** Creates or replaces; with `ifMatch`, fails with a 409 unless the stored document is still that one. */
  | {
      readonly op: 'put';
      readonly collection: string;
      readonly id: string;
      readonly source: JsonObject;
      readonly ifMatch?: WriteCondition;
    }
  /** Deletes if present; `mustExist` turns absence into a 404, `ifMatch` a changed document into a 409. */
  | {
      readonly op: 'delete';
      readonly collection: string;
      readonly id: string;
      readonly mustExist?: boolean;
      readonly ifMatch?: WriteCondition;
    };

/** What a write did, in the shape OpenSearch's index/delete responses need. */
export interface WriteResult {
  readonly collection: string;
  readonly id: string;
  readonly result: 'created' | 'updated' | 'deleted' | 'not_found';
  readonly version: number;
  readonly seqNo: number;
  readonly primaryTerm: number;
}

export interface Store {
  /** Which backend this is (`GET /_sidecar/health` and the start line say so). */
  readonly kind: 'sqlite' | 'cluster';
  /** One record, as of now (the cluster's GET is realtime). */
  get<T extends JsonObject = JsonObject>(collection: string, id: string): Promise<StoredRecord<T> | undefined>;
  /** Several records of one collection in one round trip, in the order asked. */
  getMany<T extends JsonObject = JsonObject>(collection: string, ids: readonly string[]): Promise<Array<StoredRecord<T> | undefined>>;
  /** Every record of a collection, in write order (search evaluates queries over these). */
  list<T extends JsonObject = JsonObject>(collection: string): Promise<Array<StoredRecord<T>>>;
  /**
   * Applies the operations in order. The embedded store applies a batch in one transaction; the
   * cluster store applies them one by one and undoes the applied ones when a later one fails, so
   * callers order a batch so that any prefix left by a crash is harmless (see DESIGN.md).
   */
  write(operations: readonly WriteOperation[]): Promise<WriteResult[]>;
  /** Which collections changed, here or (cluster store) on any replica; caches listen to it. */
  readonly changes: ChangeFeed;
  /** Resolves when the store answers; rejects with the reason otherwise (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** OpenSearch's reason for a failed `if_seq_no` / `if_primary_term` condition. */
export function conditionFailedReason(id: string, required: WriteCondition, current: WriteCondition | undefined): string {
  const wanted = `[${id}]: version conflict, required seqNo [${required.seqNo}], primary term [${required.primaryTerm}].`;
  return current === undefined
    ? `${wanted} but no document was found`
    : `${wanted} current document has seqNo [${current.seqNo}] and primary term [${current.primaryTerm}]`;
}

/** The condition that a write succeeds only while `record` is unchanged. */
export const unchanged = (record: StoredRecord): WriteCondition => ({ seqNo: record.seqNo, primaryTerm: record.primaryTerm });
