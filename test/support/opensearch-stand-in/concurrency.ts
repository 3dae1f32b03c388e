/**
 * Optimistic concurrency parameters (`if_seq_no`, `if_primary_term`) as OpenSearch reads and
 * validates them for index, create, update and delete, whether they come from the URL or a
 * `_bulk` action line: a negative value is refused when it is set, and the pair is checked by
 * the request's validation (one without the other, or either with `op_type=create`).
 */
import { illegalArgument } from './responses.js';
import type { Concurrency } from './writes.js';

/** OpenSearch's "no sequence number" (`SequenceNumbers.UNASSIGNED_SEQ_NO`). */
const UNASSIGNED_SEQ_NO = -2;

/** Builds the pair, refusing negative values as `IndexRequest.setIfSeqNo/Term` do. */
export function concurrencyOf(
  ifSeqNo: number | undefined,
  ifPrimaryTerm: number | undefined,
): Concurrency {
  if (ifSeqNo !== undefined && ifSeqNo < 0 && ifSeqNo !== UNASSIGNED_SEQ_NO)
    throw illegalArgument(`sequence numbers must be non negative. got [${ifSeqNo}].`);
  if (ifPrimaryTerm !== undefined && ifPrimaryTerm < 0)
    throw illegalArgument(`primary term must be non negative. got [${ifPrimaryTerm}].`);
  return {
    ...(ifSeqNo === undefined || ifSeqNo === UNASSIGNED_SEQ_NO ? {} : { ifSeqNo }),
    ...(ifPrimaryTerm === undefined || ifPrimaryTerm === 0 ? {} : { ifPrimaryTerm }),
  };
}

/** The validation problems of a write's pair, worded and ordered as `IndexRequest.validate`. */
export function concurrencyProblems(concurrency: Concurrency, create: boolean): string[] {
  const { ifSeqNo, ifPrimaryTerm } = concurrency;
  const problems: string[] = [];
  if (create && (ifSeqNo !== undefined || ifPrimaryTerm !== undefined))
    problems.push('create operations do not support compare and set. use index instead');
  if (ifSeqNo !== undefined && ifPrimaryTerm === undefined)
    problems.push('ifSeqNo is set, but primary term is [0]');
  if (ifSeqNo === undefined && ifPrimaryTerm !== undefined)
    problems.push(`ifSeqNo is unassigned, but primary term is [${ifPrimaryTerm}]`);
  return problems;
}
