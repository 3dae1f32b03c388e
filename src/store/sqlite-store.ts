import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { notFound, versionConflict } from '../errors/opensearch-error.js';
import { ChangeFeed } from './change-feed.js';
import { conditionFailedReason, type JsonObject, type Store, type StoredRecord, type WriteOperation, type WriteResult } from './store.js';

interface RecordRow {
  collection: string;
  id: string;
  version: number;
  seq_no: number;
  source: string;
}

const PRIMARY_TERM = 1;

/**
 * The embedded store: one SQLite file in WAL mode. Each `write` batch is one transaction, so a
 * crash leaves every batch either whole or absent. `seq_no` is one counter per collection, like
 * a single-shard index.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly changes = new ChangeFeed();
  private readonly db: Database.Database;
  private readonly statements;
  private readonly applyBatch: (operations: readonly WriteOperation[]) => WriteResult[];

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // FULL makes a committed batch survive a power loss, not only a process kill.
    this.db.pragma('synchronous = FULL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS records (
        collection TEXT NOT NULL,
        id TEXT NOT NULL,
        version INTEGER NOT NULL,
        seq_no INTEGER NOT NULL,
        source TEXT NOT NULL,
        PRIMARY KEY (collection, id)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS sequences (
        collection TEXT PRIMARY KEY,
        next_seq_no INTEGER NOT NULL
      ) WITHOUT ROWID;
    `);
    this.statements = {
      get: this.db.prepare<[string, string], RecordRow>(
        'SELECT collection, id, version, seq_no, source FROM records WHERE collection = ? AND id = ?',
      ),
      list: this.db.prepare<[string], RecordRow>(
        'SELECT collection, id, version, seq_no, source FROM records WHERE collection = ? ORDER BY seq_no',
      ),
      upsert: this.db.prepare(
        `INSERT INTO records (collection, id, version, seq_no, source) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (collection, id) DO UPDATE SET version = excluded.version, seq_no = excluded.seq_no, source = excluded.source`,
      ),
      remove: this.db.prepare('DELETE FROM records WHERE collection = ? AND id = ?'),
      nextSeqNo: this.db.prepare<[string], { seq: number }>(
        `INSERT INTO sequences (collection, next_seq_no) VALUES (?, 1)
         ON CONFLICT (collection) DO UPDATE SET next_seq_no = next_seq_no + 1
         RETURNING next_seq_no - 1 AS seq`,
      ),
    };
    this.applyBatch = this.db.transaction((operations: readonly WriteOperation[]) =>
      operations.map((operation) => this.applyOne(operation)),
    );
  }

  async get<T extends JsonObject>(collection: string, id: string): Promise<StoredRecord<T> | undefined> {
    const row = this.statements.get.get(collection, id);
    return row ? toRecord<T>(row) : undefined;
  }

  async getMany<T extends JsonObject>(collection: string, ids: readonly string[]): Promise<Array<StoredRecord<T> | undefined>> {
    return ids.map((id) => {
      const row = this.statements.get.get(collection, id);
      return row ? toRecord<T>(row) : undefined;
    });
  }

  async list<T extends JsonObject>(collection: string): Promise<Array<StoredRecord<T>>> {
    return this.statements.list.all(collection).map((row) => toRecord<T>(row));
  }

  async write(operations: readonly WriteOperation[]): Promise<WriteResult[]> {
    const results = this.applyBatch(operations);
    this.changes.emit(operations.map((operation) => operation.collection));
    return results;
  }

  async ping(): Promise<void> {
    if (!this.db.open) throw new Error('the embedded store is closed');
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private applyOne(operation: WriteOperation): WriteResult {
    const { collection, id } = operation;
    const existing = this.statements.get.get(collection, id);
    if (operation.op !== 'create' && operation.ifMatch !== undefined) {
      const current = existing ? { seqNo: existing.seq_no, primaryTerm: PRIMARY_TERM } : undefined;
      if (current?.seqNo !== operation.ifMatch.seqNo || current.primaryTerm !== operation.ifMatch.primaryTerm) {
        throw versionConflict(conditionFailedReason(id, operation.ifMatch, current), collection);
      }
    }
    if (operation.op === 'delete') {
      if (!existing) {
        if (operation.mustExist) throw notFound(`[${collection}] document [${id}] not found`);
        return { collection, id, result: 'not_found', version: 1, seqNo: -2, primaryTerm: 0 };
      }
      this.statements.remove.run(collection, id);
      const seqNo = this.nextSeqNo(collection);
      return { collection, id, result: 'deleted', version: existing.version + 1, seqNo, primaryTerm: PRIMARY_TERM };
    }
    if (operation.op === 'create' && existing) {
      throw versionConflict(`[${id}]: version conflict, document already exists (current version [${existing.version}])`, collection);
    }
    const version = existing ? existing.version + 1 : 1;
    const seqNo = this.nextSeqNo(collection);
    this.statements.upsert.run(collection, id, version, seqNo, JSON.stringify(operation.source));
    return { collection, id, result: existing ? 'updated' : 'created', version, seqNo, primaryTerm: PRIMARY_TERM };
  }

  private nextSeqNo(collection: string): number {
    return (this.statements.nextSeqNo.get(collection) as { seq: number }).seq;
  }
}

function toRecord<T extends JsonObject>(row: RecordRow): StoredRecord<T> {
  return {
    collection: row.collection,
    id: row.id,
    version: row.version,
    seqNo: row.seq_no,
    primaryTerm: PRIMARY_TERM,
    source: JSON.parse(row.source) as T,
  };
}
