/**
 * Sorted search on the stand-in: metadata sorts (`_seq_no`, `_id` and its cluster setting,
 * `_version`, `_primary_term`), `search_after` paging across one and several indices, and the
 * per-shard failures OpenSearch reports (all shards failed, or a partial answer).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { at, ids, ndjson, useStandIn } from './stand-in-client.js';

const shardFailure = (index: string, nodeId: string, status: number, cause: Record<string, unknown>) => ({
  error: {
    root_cause: [cause],
    type: 'search_phase_execution_exception',
    reason: 'all shards failed',
    phase: 'query',
    grouped: true,
    failed_shards: [{ shard: 0, index, node: nodeId, reason: cause }],
    caused_by: cause,
  },
  status,
});

describe('OpenSearch stand-in: sorted search', () => {
  const { request } = useStandIn();

  beforeEach(async () => {
    await request('PUT', '/state', { mappings: { properties: { kind: { type: 'keyword' } } } });
    const lines = ['c', 'a', 'e', 'b', 'd'].flatMap((id) => [
      { index: { _id: id } },
      { kind: id < 'c' ? 'early' : 'late' },
    ]);
    await request('POST', '/state/_bulk?refresh=wait_for', ndjson(...lines));
  });

  it('sorts on _seq_no and reports it as the sort value; seq_no_primary_term adds the pair', async () => {
    const answer = await request('POST', '/state/_search', {
      sort: [{ _seq_no: 'desc' }],
      seq_no_primary_term: true,
    });
    expect(ids(answer)).toEqual(['d', 'b', 'e', 'a', 'c']);
    expect(at(answer.json, 'hits', 'hits', 0)).toMatchObject({
      _id: 'd',
      _seq_no: 4,
      _primary_term: 1,
      _score: null,
      sort: [4],
    });
  });

  it('pages with search_after until no hit is left, counting every match each time', async () => {
    const seen: unknown[] = [];
    let after: unknown;
    for (let page = 0; page < 5; page += 1) {
      const answer = await request('POST', '/state/_search', {
        size: 2,
        query: { match_all: {} },
        sort: [{ kind: 'asc' }, { _seq_no: 'asc' }],
        ...(after === undefined ? {} : { search_after: after }),
      });
      expect(at(answer.json, 'hits', 'total')).toEqual({ value: 5, relation: 'eq' });
      const hits = at(answer.json, 'hits', 'hits') as Array<{ _id: string; sort: unknown[] }>;
      if (hits.length === 0) break;
      seen.push(...hits.map((hit) => hit._id));
      after = hits.at(-1)?.sort;
    }
    expect(seen).toEqual(['a', 'b', 'c', 'e', 'd']);
  });

  it('pages across several indices, merging their sort values', async () => {
    await request('PUT', '/other', { mappings: { properties: { kind: { type: 'keyword' } } } });
    await request('PUT', '/other/_doc/x?refresh=true', { kind: 'early' });
    const answer = await request('POST', '/state,other/_search', {
      sort: [{ kind: 'asc' }, { _id: 'asc' }],
      search_after: ['early', 'b'],
      size: 3,
    });
    expect(ids(answer)).toEqual(['x', 'c', 'd']);
    expect(at(answer.json, 'hits', 'hits', 0, 'sort')).toEqual(['early', 'x']);
    expect(at(answer.json, '_shards')).toEqual({ total: 2, successful: 2, skipped: 0, failed: 0 });
  });

  it('sorts on _id while indices.id_field_data.enabled is true (the default), refuses it once false', async () => {
    expect(ids(await request('POST', '/state/_search', { sort: ['_id'] }))).toEqual(['a', 'b', 'c', 'd', 'e']);
    await request('PUT', '/_cluster/settings', { persistent: { 'indices.id_field_data.enabled': false } });
    const refused = await request('POST', '/state/_search', { sort: ['_id'] });
    const node = String(at(refused.json, 'error', 'failed_shards', 0, 'node'));
    expect(refused.json).toEqual(
      shardFailure('state', node, 400, {
        type: 'illegal_argument_exception',
        reason:
          'Fielddata access on the _id field is disallowed, you can re-enable it by updating the dynamic cluster setting: indices.id_field_data.enabled',
      }),
    );
    expect(refused.status).toBe(400);
  });

  const SHARD_FAILURES: Array<{ name: string; body: Record<string, unknown>; status: number; cause: Record<string, unknown> }> = [
    {
      name: 'search_after with from',
      body: { sort: ['kind'], search_after: ['early'], from: 1 },
      status: 500,
      cause: {
        type: 'search_exception',
        reason: '`from` parameter must be set to 0 when `search_after` is used.',
      },
    },
    {
      name: 'search_after longer than the sort',
      body: { sort: ['kind'], search_after: ['early', 3] },
      status: 400,
      cause: { type: 'illegal_argument_exception', reason: 'search_after has 2 value(s) but sort has 1.' },
    },
    {
      name: 'search_after without a sort',
      body: { search_after: [1] },
      status: 400,
      cause: { type: 'illegal_argument_exception', reason: 'Sort must contain at least one field.' },
    },
    {
      name: 'a sort on _version',
      body: { sort: ['_version'] },
      status: 400,
      cause: {
        type: 'illegal_argument_exception',
        reason: 'Fielddata is not supported on field [_version] of type [_version]',
      },
    },
    {
      name: 'a sort on _primary_term',
      body: { sort: ['_primary_term'] },
      status: 400,
      cause: {
        type: 'illegal_argument_exception',
        reason: 'No mapping found for [_primary_term] in order to sort on',
      },
    },
  ];

  it.each(SHARD_FAILURES)('fails every shard for $name', async ({ body, status, cause }) => {
    const answer = await request('POST', '/state/_search', body);
    const node = String(at(answer.json, 'error', 'failed_shards', 0, 'node'));
    expect(node).not.toBe('');
    expect(answer.json).toEqual(shardFailure('state', node, status, cause));
    expect(answer.status).toBe(status);
  });

  it('answers the shards that succeeded and lists the one that failed', async () => {
    // `kind` is a keyword in `state` but dynamic text in `loose`: only `loose` cannot sort on it.
    await request('PUT', '/loose/_doc/1?refresh=true', { kind: 'free text' });
    const answer = await request('POST', '/state,loose/_search', { sort: ['kind'], size: 1 });
    expect(answer.status).toBe(200);
    expect(ids(answer)).toEqual(['a']);
    expect(at(answer.json, '_shards', 'total')).toBe(2);
    expect(at(answer.json, '_shards', 'successful')).toBe(1);
    expect(at(answer.json, '_shards', 'failed')).toBe(1);
    expect(at(answer.json, '_shards', 'failures', 0, 'index')).toBe('loose');
    expect(at(answer.json, '_shards', 'failures', 0, 'reason', 'type')).toBe('illegal_argument_exception');
  });

  it('answers an index pattern that matches nothing with no shards', async () => {
    const answer = await request('POST', '/nothing-*/_search', {});
    expect(answer.json).toMatchObject({
      _shards: { total: 0, successful: 0, skipped: 0, failed: 0 },
      hits: { total: { value: 0, relation: 'eq' }, max_score: 0, hits: [] },
    });
  });
});
