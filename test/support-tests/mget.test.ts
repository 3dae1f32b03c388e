/**
 * `_mget` on the stand-in: both body forms, realtime reads, `_source` filtering from the URL and
 * per item, found / not-found / missing-index entries in order, and the request-level 400s.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { useStandIn } from './stand-in-client.js';

const missingIndex = (name: string) => {
  const cause = {
    type: 'index_not_found_exception',
    reason: `no such index [${name}]`,
    'resource.type': 'index_expression',
    'resource.id': name,
    index_uuid: '_na_',
    index: name,
  };
  return { root_cause: [cause], ...cause };
};

const failure = (type: string, reason: string) => ({
  error: { root_cause: [{ type, reason }], type, reason },
  status: 400,
});

describe('OpenSearch stand-in: _mget', () => {
  const { request } = useStandIn();

  beforeEach(async () => {
    await request('PUT', '/a/_doc/1?refresh=true', { name: 'one', meta: { tag: 'x', n: 1 } });
    // Not refreshed: _mget is realtime, like GET.
    await request('PUT', '/a/_doc/2', { name: 'two', meta: { tag: 'y', n: 2 } });
    await request('PUT', '/b/_doc/1', { name: 'b-one' });
  });

  it('answers docs across indices in order: found, not found and a missing index', async () => {
    const answer = await request('POST', '/_mget', {
      docs: [
        { _index: 'a', _id: '2' },
        { _index: 'b', _id: '9' },
        { _index: 'nowhere', _id: '1' },
        { _index: 'b', _id: 1 },
      ],
    });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      docs: [
        {
          _index: 'a',
          _id: '2',
          _version: 1,
          _seq_no: 1,
          _primary_term: 1,
          found: true,
          _source: { name: 'two', meta: { tag: 'y', n: 2 } },
        },
        { _index: 'b', _id: '9', found: false },
        { _index: 'nowhere', _id: '1', error: missingIndex('nowhere') },
        {
          _index: 'b',
          _id: '1',
          _version: 1,
          _seq_no: 0,
          _primary_term: 1,
          found: true,
          _source: { name: 'b-one' },
        },
      ],
    });
  });

  it('takes ids with the index from the path, and docs default to it', async () => {
    const byIds = await request('POST', '/a/_mget', { ids: ['1', '3'] });
    expect(byIds.json).toMatchObject({
      docs: [{ _id: '1', found: true }, { _index: 'a', _id: '3', found: false }],
    });
    const byDocs = await request('POST', '/a/_mget', { docs: [{ _id: '2' }] });
    expect(byDocs.json).toMatchObject({ docs: [{ _index: 'a', _id: '2', found: true }] });
  });

  it('reads as of the last refresh with realtime=false', async () => {
    const answer = await request('POST', '/a/_mget?realtime=false', { ids: ['1', '2'] });
    expect(answer.json).toMatchObject({
      docs: [{ _id: '1', found: true }, { _id: '2', found: false }],
    });
  });

  const SOURCES: Array<{ name: string; query: string; item?: unknown; source: unknown }> = [
    { name: '_source=false', query: '?_source=false', source: undefined },
    { name: '_source as a field list', query: '?_source=name', source: { name: 'one' } },
    {
      name: '_source_includes with a path',
      query: '?_source_includes=meta.tag',
      source: { meta: { tag: 'x' } },
    },
    {
      name: '_source_excludes',
      query: '?_source_excludes=meta',
      source: { name: 'one' },
    },
    {
      name: "an item's _source overrides the URL's",
      query: '?_source=false',
      item: { includes: ['meta.*'], excludes: ['meta.n'] },
      source: { meta: { tag: 'x' } },
    },
    { name: 'an item _source: false', query: '', item: false, source: undefined },
  ];

  it.each(SOURCES)('filters the source: $name', async ({ query, item, source }) => {
    const doc = item === undefined ? { _id: '1' } : { _id: '1', _source: item };
    const answer = await request('POST', `/a/_mget${query}`, { docs: [doc] });
    const [entry] = (answer.json as { docs: Array<Record<string, unknown>> }).docs;
    expect(entry).toMatchObject({ _id: '1', found: true, _version: 1 });
    expect(entry?.['_source']).toEqual(source);
  });

  const INVALID: Array<{ name: string; path: string; body: unknown; json: unknown }> = [
    {
      name: 'an empty docs list',
      path: '/_mget',
      body: { docs: [] },
      json: failure('action_request_validation_exception', 'Validation Failed: 1: no documents to get;'),
    },
    {
      name: 'ids without an index in the path',
      path: '/_mget',
      body: { ids: ['1', '2'] },
      json: failure(
        'action_request_validation_exception',
        'Validation Failed: 1: index is missing for doc 0;2: index is missing for doc 1;',
      ),
    },
    {
      name: 'a doc without _id',
      path: '/a/_mget',
      body: { docs: [{ _index: 'a' }] },
      json: failure('action_request_validation_exception', 'Validation Failed: 1: id is missing for doc 0;'),
    },
    {
      name: 'an unknown top-level key',
      path: '/a/_mget',
      body: { keys: ['1'] },
      json: failure('parsing_exception', 'unknown key [keys] for a START_ARRAY, expected [docs] or [ids]'),
    },
    {
      name: 'an unknown item field',
      path: '/a/_mget',
      body: { docs: [{ _id: '1', colour: 'red' }] },
      json: failure('parse_exception', 'failed to parse multi get request. unknown field [colour]'),
    },
    {
      name: 'an id that is not a value',
      path: '/a/_mget',
      body: { ids: [{ id: 1 }] },
      json: failure('illegal_argument_exception', 'ids array element should only contain ids'),
    },
  ];

  it.each(INVALID)('refuses $name', async ({ path, body, json }) => {
    const answer = await request('POST', path, body as Record<string, unknown>);
    expect(answer.json).toEqual(json);
    expect(answer.status).toBe(400);
  });
});
