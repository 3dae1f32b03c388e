/**
 * Every record of one collection, in write order (`_seq_no`), a page at a time with
 * `search_after`: no `from` + `size` window limit, no scroll context to clean up.
 */
import { isJsonObject } from '../../util/json.js';
import type { JsonObject, StoredRecord } from '../store.js';
import type { StateCalls } from './state-calls.js';
import { toStoredRecord } from './state-documents.js';

const PAGE_SIZE = 1000;

export async function searchAll<T extends JsonObject>(
  calls: StateCalls,
  index: string,
  collection: string,
  primaryPreference: boolean,
): Promise<Array<StoredRecord<T>>> {
  const records: Array<StoredRecord<T>> = [];
  let after: unknown[] | undefined;
  for (;;) {
    const response = await calls.expect(
      {
        method: 'POST',
        path: `/${encodeURIComponent(index)}/_search`,
        // Under segment replication only the primary is sure to have refreshed a write.
        ...(primaryPreference ? { querystring: { preference: '_primary_first' } } : {}),
        body: {
          size: PAGE_SIZE,
          query: { term: { collection } },
          sort: [{ _seq_no: 'asc' }],
          seq_no_primary_term: true,
          version: true,
          track_total_hits: false,
          ...(after === undefined ? {} : { search_after: after }),
        },
      },
      `list [${collection}]`,
    );
    const hits = hitsOf(response.body);
    for (const hit of hits) {
      const record = toStoredRecord<T>(hit);
      if (record !== undefined) records.push(record);
    }
    if (hits.length < PAGE_SIZE) return records;
    const last = hits[hits.length - 1];
    after = isJsonObject(last) && Array.isArray(last['sort']) ? last['sort'] : undefined;
    if (after === undefined) return records;
  }
}

function hitsOf(body: unknown): unknown[] {
  const hits = isJsonObject(body) && isJsonObject(body['hits']) ? body['hits']['hits'] : undefined;
  return Array.isArray(hits) ? hits : [];
}
