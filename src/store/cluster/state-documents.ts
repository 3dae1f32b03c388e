/**
 * How records are laid out in the state indices: document ids and the wrapper around each record.
 */
import { createHash } from 'node:crypto';
import { isJsonObject } from '../../util/json.js';
import type { JsonObject, StoredRecord } from '../store.js';
import { placementOf, type StateIndexKind } from './state-indices.js';

/** The stored document: the record under `record`, with the fields operators may query on. */
export interface StateDocument {
  readonly collection: string;
  readonly id: string;
  readonly updated_at: number;
  readonly record: JsonObject;
}

const MAX_DOCUMENT_ID_BYTES = 512;

/** Names the indices of one deployment (`.ml-sidecar-models`, ...). */
export class StateLayout {
  constructor(readonly prefix: string) {}

  indexName(kind: StateIndexKind): string {
    return `${this.prefix}-${kind}`;
  }

  indexOf(collection: string): string {
    return this.indexName(placementOf(collection).index);
  }

  /**
   * The document id of a record: its id, prefixed where an index holds several collections. Ids
   * that would pass OpenSearch's 512-byte limit (long group names) are hashed; the wrapper keeps
   * the real id.
   */
  documentId(collection: string, id: string): string {
    const documentId = placementOf(collection).idPrefix + id;
    if (Buffer.byteLength(documentId, 'utf8') <= MAX_DOCUMENT_ID_BYTES) return documentId;
    return `${placementOf(collection).idPrefix}sha256:${createHash('sha256').update(id, 'utf8').digest('hex')}`;
  }

  wrap(collection: string, id: string, record: JsonObject, now: number): StateDocument {
    return { collection, id, updated_at: now, record };
  }
}

/** A GET / `_mget` entry or a search hit as a stored record; undefined when it is not a state document. */
export function toStoredRecord<T extends JsonObject>(hit: unknown): StoredRecord<T> | undefined {
  if (!isJsonObject(hit) || !isJsonObject(hit['_source'])) return undefined;
  const source = hit['_source'];
  if (typeof source['collection'] !== 'string' || typeof source['id'] !== 'string' || !isJsonObject(source['record'])) return undefined;
  return {
    collection: source['collection'],
    id: source['id'],
    version: Number(hit['_version'] ?? 1),
    seqNo: Number(hit['_seq_no']),
    primaryTerm: Number(hit['_primary_term']),
    source: source['record'] as T,
  };
}
