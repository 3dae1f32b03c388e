/** Mapping options that decide what is indexed: `enabled: false` objects and `dynamic`. */
import { describe, expect, it } from 'vitest';
import { search, type FieldMapping } from '../../src/query/index.js';
import type { StoredRecord } from '../../src/store/store.js';

const record = (id: string, seqNo: number, source: Record<string, unknown>): StoredRecord => ({
  collection: 'state',
  id,
  version: 1,
  seqNo,
  primaryTerm: 1,
  source,
});

const RECORDS = [
  record('a', 0, { kind: 'model', blob: { note: 'kept', deep: { n: 1 } }, extra: 'x', meta: { tag: 't' } }),
  record('b', 1, { kind: 'task', blob: 'a string where an object is mapped', extra: 'y', meta: { tag: 'u' } }),
];

const MAPPING: FieldMapping = {
  dynamic: false,
  properties: {
    kind: { type: 'keyword' },
    blob: { type: 'object', enabled: false },
    meta: { type: 'object', dynamic: true, properties: {} },
  },
};

const ids = (body: unknown, mapping: FieldMapping = MAPPING): string[] =>
  search({ records: RECORDS, body, mapping, index: 'state' }).hits.hits.map((hit) => hit._id);

describe('mapping options', () => {
  const CASES: Array<{ name: string; query: unknown; ids: string[] }> = [
    { name: 'a mapped field still matches', query: { term: { kind: 'task' } }, ids: ['b'] },
    { name: 'a field under a disabled object matches nothing', query: { match: { 'blob.note': 'kept' } }, ids: [] },
    { name: 'exists on a disabled object matches nothing', query: { exists: { field: 'blob' } }, ids: [] },
    { name: 'exists under a disabled object matches nothing', query: { exists: { field: 'blob.deep.n' } }, ids: [] },
    { name: 'an unmapped field under dynamic: false matches nothing', query: { term: { 'extra.keyword': 'x' } }, ids: [] },
    { name: 'an object with dynamic: true indexes its unmapped fields', query: { term: { 'meta.tag.keyword': 'u' } }, ids: ['b'] },
  ];

  it.each(CASES)('$name', ({ query, ids: expected }) => {
    expect(ids({ query })).toEqual(expected);
  });

  it('returns a disabled object in _source whatever its shape', () => {
    const hits = search({ records: RECORDS, body: {}, mapping: MAPPING, index: 'state' }).hits.hits;
    expect(hits.map((hit) => hit._source?.['blob'])).toEqual([
      { note: 'kept', deep: { n: 1 } },
      'a string where an object is mapped',
    ]);
  });

  it('refuses to sort on a field that is not indexed', () => {
    expect(() => ids({ sort: ['blob.note'] })).toThrow('No mapping found for [blob.note] in order to sort on');
  });

  it('indexes unmapped fields when dynamic is absent or true', () => {
    expect(ids({ query: { term: { 'extra.keyword': 'x' } } }, { ...MAPPING, dynamic: true })).toEqual(['a']);
  });
});
