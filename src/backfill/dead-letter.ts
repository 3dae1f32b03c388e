/**
 * The dead-letter index of a job: one document per source document that could not be enriched
 * or written, so the job never stops on a document. Its id is derived from the source document's
 * index and id, so a batch replayed after a crash overwrites its entries instead of doubling them
 * (and a document that succeeds on the replay removes its entry).
 */
import { createHash } from 'node:crypto';
import type { BulkItem } from '../proxy/bulk-request.js';
import type { JsonObject } from '../store/store.js';

/** OpenSearch's limit on a document id. */
const MAX_ID_BYTES = 512;

/** What a dead-letter document says. */
export interface DeadLetterEntry {
  readonly sourceIndex: string;
  readonly sourceId: string;
  /** `pipeline` (enrichment failed) or `write` (the destination refused the document). */
  readonly stage: 'pipeline' | 'write';
  readonly error: JsonObject;
  readonly status: number;
  readonly task: string;
  readonly pipeline: string;
  readonly failedAt: number;
}

/** The dead-letter id of a source document: readable when short enough, hashed otherwise. */
export function deadLetterId(sourceIndex: string, sourceId: string): string {
  const readable = `${sourceIndex}:${sourceId}`;
  if (Buffer.byteLength(readable) <= MAX_ID_BYTES) return readable;
  return `sha256:${createHash('sha256').update(readable).digest('hex')}`;
}

/** The bulk item writing an entry (never through a pipeline: entries must land as they are). */
export function deadLetterItem(index: string, entry: DeadLetterEntry): Pick<BulkItem, 'action' | 'metadata' | 'source'> {
  return {
    action: 'index',
    metadata: { _index: index, _id: deadLetterId(entry.sourceIndex, entry.sourceId), pipeline: '_none' },
    source: {
      source_index: entry.sourceIndex,
      source_id: entry.sourceId,
      stage: entry.stage,
      error: entry.error,
      status: entry.status,
      task: entry.task,
      pipeline: entry.pipeline,
      failed_at: new Date(entry.failedAt).toISOString(),
    },
  };
}

/** The bulk item removing a document's entry (after a replayed batch wrote the document). */
export function deadLetterRemoval(index: string, sourceIndex: string, sourceId: string): Pick<BulkItem, 'action' | 'metadata' | 'source'> {
  return { action: 'delete', metadata: { _index: index, _id: deadLetterId(sourceIndex, sourceId) }, source: undefined };
}
