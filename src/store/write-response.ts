import type { WriteResult } from './store.js';

/** OpenSearch's index/update/delete response. */
export interface UpdateResponse {
  _index: string;
  _id: string;
  _version: number;
  result: WriteResult['result'];
  _shards: { total: number; successful: number; failed: number };
  _seq_no: number;
  _primary_term: number;
}

export function toUpdateResponse(result: WriteResult): UpdateResponse {
  return {
    _index: result.collection,
    _id: result.id,
    _version: result.version,
    result: result.result,
    _shards: { total: 1, successful: 1, failed: 0 },
    _seq_no: result.seqNo,
    _primary_term: result.primaryTerm,
  };
}
