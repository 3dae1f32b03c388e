/**
 * The persistence boundary. Everything the service keeps (connectors, model groups, models,
 * tasks, settings, pipelines) is a JSON document in a named collection, addressed by id, with
 * OpenSearch's bookkeeping (`_version`, `_seq_no`, `_primary_term`) so responses can carry it.
 * The embedded store is SQLite; a cluster-backed store can implement the same interface over the
 * cluster's own indices.
 */

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

/** One write inside an atomic batch. */
export type WriteOperation =
  /** Fails the whole batch with a 409 if the id exists. */
  | { readonly op: 'create'; readonly collection: string; readonly id: string; readonly source: JsonObject }
  /** Creates or replaces. With `ifVersion`, fails with a 409 unless the stored version matches. */
  | {
      readonly op: 'put';
      readonly collection: string;
      readonly id: string;
      readonly source: JsonObject;
      readonly ifVersion?: number;
    }
  /** Deletes if present; `mustExist` turns absence into a 404. */
  | { readonly op: 'delete'; readonly collection: string; readonly id: string; readonly mustExist?: boolean };

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
  get<T extends JsonObject = JsonObject>(collection: string, id: string): Promise<StoredRecord<T> | undefined>;
  /** Every record of a collection, in insertion order (search evaluates queries over these). */
  list<T extends JsonObject = JsonObject>(collection: string): Promise<Array<StoredRecord<T>>>;
  /** Applies all operations in one transaction: either every write lands or none does. */
  write(operations: readonly WriteOperation[]): Promise<WriteResult[]>;
  close(): Promise<void>;
}
