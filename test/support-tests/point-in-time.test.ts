/**
 * Points in time on the stand-in: created on indices with a keep-alive, searched (with no index
 * in the path) as they were when created whatever is written since, paged with `search_after`,
 * listed, freed, and gone once their keep-alive passes, with OpenSearch's answers and errors.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { at, ids, ndjson, useStandIn } from './stand-in-client.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('OpenSearch stand-in: point in time', () => {
  const { request } = useStandIn();

  beforeEach(async () => {
    const lines = ['c', 'a', 'b'].flatMap((id) => [{ index: { _id: id } }, { text: `doc ${id}` }]);
    await request('POST', '/docs/_bulk?refresh=true', ndjson(...lines));
  });

  async function openPit(keepAlive = '1m', index = 'docs'): Promise<string> {
    const answer = await request('POST', `/${index}/_search/point_in_time?keep_alive=${keepAlive}`);
    expect(answer.status).toBe(200);
    return at(answer.json, 'pit_id') as string;
  }

  it('answers the id, the shards and the creation time', async () => {
    const before = Date.now();
    const answer = await request('POST', '/docs/_search/point_in_time?keep_alive=1m');
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      pit_id: expect.any(String),
      _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
      creation_time: expect.any(Number),
    });
    expect(at(answer.json, 'creation_time')).toBeGreaterThanOrEqual(before);
  });

  it('searches what the indices held when it was created, and names itself in the answer', async () => {
    const pit = await openPit();
    await request('PUT', '/docs/_doc/d?refresh=true', { text: 'doc d' });
    await request('DELETE', '/docs/_doc/a?refresh=true');
    await request('PUT', '/docs/_doc/b?refresh=true', { text: 'changed' });
    const answer = await request('POST', '/_search', {
      pit: { id: pit, keep_alive: '1m' },
      sort: [{ _id: 'asc' }],
    });
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.json as object)[0]).toBe('pit_id');
    expect(at(answer.json, 'pit_id')).toBe(pit);
    expect(ids(answer)).toEqual(['a', 'b', 'c']);
    expect(at(answer.json, 'hits', 'hits', 1, '_source')).toEqual({ text: 'doc b' });
    const live = await request('POST', '/docs/_search', { sort: [{ _id: 'asc' }] });
    expect(ids(live)).toEqual(['b', 'c', 'd']);
  });

  it('pages with search_after on _id', async () => {
    const pit = await openPit();
    const first = await request('POST', '/_search', { pit: { id: pit }, size: 2, sort: [{ _id: 'asc' }] });
    expect(ids(first)).toEqual(['a', 'b']);
    const after = at(first.json, 'hits', 'hits', 1, 'sort');
    expect(after).toEqual(['b']);
    const second = await request('POST', '/_search', {
      pit: { id: pit },
      size: 2,
      sort: [{ _id: 'asc' }],
      search_after: after,
    });
    expect(ids(second)).toEqual(['c']);
  });

  it.each([
    [
      'an index in the path',
      '/docs/_search',
      {},
      '[indices] cannot be used with point in time. Do not specify any index with point in time.',
    ],
    ['a routing', '/_search?routing=r', {}, '[routing] cannot be used with point in time'],
    ['a preference', '/_search?preference=_local', {}, '[preference] cannot be used with point in time'],
  ])('refuses %s beside a point in time', async (_case, path, extra, problem) => {
    const pit = await openPit();
    const answer = await request('POST', path, { pit: { id: pit }, ...extra });
    expect(answer.status).toBe(400);
    expect(at(answer.json, 'error', 'type')).toBe('action_request_validation_exception');
    expect(at(answer.json, 'error', 'reason')).toBe(`Validation Failed: 1: ${problem};`);
  });

  it('refuses a point in time without a keep-alive, or with one it cannot read', async () => {
    const missing = await request('POST', '/docs/_search/point_in_time');
    expect(missing.status).toBe(400);
    expect(at(missing.json, 'error', 'reason')).toBe('Validation Failed: 1: keep alive not specified;');
    const unreadable = await request('POST', '/docs/_search/point_in_time?keep_alive=soon');
    expect(unreadable.status).toBe(400);
    expect(at(unreadable.json, 'error')).toMatchObject({
      type: 'parse_exception',
      reason: 'failed to parse setting [keep_alive] with value [soon] as a time value: unit is missing or unrecognized',
    });
  });

  it('answers 404 on a missing index', async () => {
    const answer = await request('POST', '/nothing/_search/point_in_time?keep_alive=1m');
    expect(answer.status).toBe(404);
    expect(at(answer.json, 'error', 'type')).toBe('index_not_found_exception');
  });

  it('lapses after its keep-alive unless a search extends it', async () => {
    const kept = await openPit('300ms');
    const lapsing = await openPit('300ms');
    await sleep(150);
    expect((await request('POST', '/_search', { pit: { id: kept, keep_alive: '1m' } })).status).toBe(200);
    await sleep(250);
    expect((await request('POST', '/_search', { pit: { id: kept } })).status).toBe(200);
    const gone = await request('POST', '/_search', { pit: { id: lapsing } });
    expect(gone.status).toBe(404);
    expect(at(gone.json, 'error', 'type')).toBe('search_phase_execution_exception');
    expect(at(gone.json, 'error', 'root_cause', 0, 'type')).toBe('search_context_missing_exception');
    expect(at(gone.json, 'error', 'root_cause', 0, 'reason')).toMatch(/^No search context found for id \[\d+\]$/);
  });

  it('refuses an id it cannot decode', async () => {
    const answer = await request('POST', '/_search', { pit: { id: '!!not-an-id' } });
    expect(answer.status).toBe(400);
    expect(at(answer.json, 'error')).toMatchObject({
      type: 'illegal_argument_exception',
      reason: 'invalid id: [!!not-an-id]',
    });
  });

  it('lists the live points in time and frees them by id or all at once', async () => {
    const first = await openPit();
    const second = await openPit('2m');
    const listed = await request('GET', '/_search/point_in_time/_all');
    expect(at(listed.json, 'pits')).toEqual([
      { pit_id: first, creation_time: expect.any(Number), keep_alive: 60_000 },
      { pit_id: second, creation_time: expect.any(Number), keep_alive: 120_000 },
    ]);
    const freed = await request('DELETE', '/_search/point_in_time', { pit_id: [first] });
    expect(freed.json).toEqual({ pits: [{ succeeded: true, pit_id: first }] });
    expect((await request('POST', '/_search', { pit: { id: first } })).status).toBe(404);
    const all = await request('DELETE', '/_search/point_in_time/_all');
    expect(all.json).toEqual({ pits: [{ succeeded: true, pit_id: second }] });
    expect(at((await request('GET', '/_search/point_in_time/_all')).json, 'pits')).toEqual([]);
  });

  it('refuses a delete naming no point in time', async () => {
    const answer = await request('DELETE', '/_search/point_in_time', {});
    expect(answer.status).toBe(400);
    expect(at(answer.json, 'error', 'reason')).toBe('Validation Failed: 1: no pit ids specified;');
  });

  it('covers several indices with one point in time', async () => {
    await request('PUT', '/more/_doc/z?refresh=true', { text: 'doc z' });
    const pit = await openPit('1m', 'docs,more');
    const answer = await request('POST', '/_search', {
      pit: { id: pit },
      sort: [{ _index: 'asc' }, { _id: 'asc' }],
    });
    expect(ids(answer)).toEqual(['a', 'b', 'c', 'z']);
    expect(at(answer.json, 'hits', 'hits', 3, 'sort')).toEqual(['more', 'z']);
  });
});
