/**
 * Undoing the applied part of a batch whose later write failed, newest first. Each undo is
 * conditional on the document still being the one this batch wrote, so it never overwrites a
 * change another request made meanwhile; an undo that cannot apply is left as it is.
 */
import type { StoredRecord, WriteOperation, WriteResult } from '../store.js';

export interface AppliedWrite {
  readonly operation: WriteOperation;
  readonly result: WriteResult;
  /** The record before the write (read for `put` and `delete` in batches of more than one). */
  readonly before: StoredRecord | undefined;
}

export async function undoWrites(applied: readonly AppliedWrite[], apply: (undo: WriteOperation) => Promise<unknown>): Promise<void> {
  for (const { operation, result, before } of [...applied].reverse()) {
    const undo = undoOf(operation, result, before);
    if (undo !== undefined) await apply(undo).catch(() => undefined);
  }
}

function undoOf(operation: WriteOperation, result: WriteResult, before: StoredRecord | undefined): WriteOperation | undefined {
  const { collection, id } = operation;
  const written = { seqNo: result.seqNo, primaryTerm: result.primaryTerm };
  if (operation.op === 'delete') {
    return before === undefined ? undefined : { op: 'create', collection, id, source: before.source };
  }
  if (before === undefined) return { op: 'delete', collection, id, ifMatch: written };
  return { op: 'put', collection, id, source: before.source, ifMatch: written };
}
