/**
 * The stand-in's `rescore` (query rescorer) and `explain` options, and the index settings a
 * hybrid search reads (primary shard count, result window).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { at, ids, ndjson, scores, useStandIn } from './stand-in-client.js';

const constant = (id: string, boost: number) => ({ constant_score: { filter: { ids: { values: [id] } }, boost } });

describe('OpenSearch stand-in: rescore and explain', () => {
  const { request } = useStandIn();

  beforeEach(async () => {
    await request('PUT', '/docs', { settings: { number_of_shards: 3 }, mappings: { properties: { tag: { type: 'keyword' } } } });
    const lines = ['a', 'b', 'c', 'd'].flatMap((id) => [{ index: { _id: id } }, { tag: id === 'c' || id === 'd' ? 'boosted' : 'plain' }]);
    await request('POST', '/docs/_bulk?refresh=true', ndjson(...lines));
  });

  // First pass: a 4, b 3, c 2, d 1.
  const firstPass = { dis_max: { queries: [constant('a', 4), constant('b', 3), constant('c', 2), constant('d', 1)] } };

  it('rescores the top window_size hits and sorts every hit again', async () => {
    const answer = await request('POST', '/docs/_search', {
      query: firstPass,
      rescore: { window_size: 3, query: { rescore_query: { constant_score: { filter: { term: { tag: 'boosted' } }, boost: 5 } }, query_weight: 0.5 } },
    });
    // a 2, b 1.5, c 1 + 5 (in the window), d 0.5 (outside it: the query weight only).
    expect(ids(answer)).toEqual(['c', 'a', 'b', 'd']);
    expect(scores(answer)).toEqual([6, 2, 1.5, 0.5]);
    expect(at(answer.json, 'hits', 'max_score')).toBe(6);
  });

  it('runs rescorers in order with their score modes, then pages', async () => {
    const answer = await request('POST', '/docs/_search', {
      query: firstPass,
      from: 1,
      size: 2,
      rescore: [
        { window_size: 4, query: { rescore_query: constant('d', 10), score_mode: 'max' } },
        { window_size: 1, query: { rescore_query: { match_all: {} }, score_mode: 'multiply', rescore_query_weight: 2 } },
      ],
    });
    // After the first: d 10, a 4, b 3, c 2; the second doubles d only.
    expect(ids(answer)).toEqual(['a', 'b']);
    expect(scores(answer)).toEqual([4, 3]);
  });

  it('refuses rescore with sort, as OpenSearch does', async () => {
    const answer = await request('POST', '/docs/_search', { query: firstPass, sort: ['_doc'], rescore: { query: { rescore_query: { match_all: {} } } } });
    expect(answer.status).toBe(400);
    expect(at(answer.json, 'error', 'root_cause', 0, 'reason')).toBe('Cannot use [sort] option in conjunction with [rescore].');
  });

  it('explains each hit with its score, shard and node', async () => {
    const answer = await request('POST', '/docs/_search?explain=true', { query: firstPass, size: 1 });
    expect(at(answer.json, 'hits', 'hits', 0)).toMatchObject({
      _shard: '[docs][0]',
      _node: expect.any(String),
      _id: 'a',
      _explanation: { value: 4, details: [] },
    });
  });

  it('reports the primary shard count and the result window among the index settings', async () => {
    const answer = await request('GET', '/docs/_settings/index.number_of_shards,index.max_result_window?flat_settings=true&include_defaults=true');
    expect(answer.json).toEqual({
      docs: { settings: { 'index.number_of_shards': '3' }, defaults: { 'index.max_result_window': '10000' } },
    });
  });
});
