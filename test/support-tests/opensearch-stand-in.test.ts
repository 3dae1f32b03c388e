/**
 * The OpenSearch stand-in's own tests: every endpoint's happy path and error shapes, bulk,
 * k-NN correctness against hand-computed cosine scores, security, the pipeline refusals and
 * the simulated outages.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { startOpenSearchStandIn, type StandIn } from '../support/opensearch-stand-in/index.js';
import { at, basic, call, ids, ndjson, scores, type Body } from './stand-in-client.js';

describe('OpenSearch stand-in', () => {
  let standIn: StandIn;
  const request = (method: string, path: string, body?: Body, headers?: Record<string, string>) =>
    call(standIn, method, path, body, headers);

  beforeAll(async () => {
    standIn = await startOpenSearchStandIn({ port: 0, clusterName: 'stand-in-tests' });
  });
  afterEach(async () => {
    await standIn.reset();
  });
  afterAll(async () => {
    await standIn.close();
  });

  describe('root and REST layer', () => {
    it('answers GET / with OpenSearch 3.3.0 root info and HEAD / with 200', async () => {
      const root = await request('GET', '/');
      expect(root.status).toBe(200);
      expect(at(root.json, 'version', 'distribution')).toBe('opensearch');
      expect(at(root.json, 'version', 'number')).toBe('3.3.0');
      expect(at(root.json, 'cluster_name')).toBe('stand-in-tests');
      const head = await request('HEAD', '/');
      expect(head.status).toBe(200);
      expect(head.text).toBe('');
    });

    it('answers an unknown endpoint with the no-handler 400 and a wrong method with 405', async () => {
      const unknown = await request('GET', '/a/b/c/d?x=1');
      expect(unknown.status).toBe(400);
      expect(unknown.json).toEqual({
        error: 'no handler found for uri [/a/b/c/d?x=1] and method [GET]',
      });
      const wrong = await request('DELETE', '/books/_search');
      expect(wrong.status).toBe(405);
      expect(wrong.headers.get('allow')).toBe('GET,POST');
      expect(at(wrong.json, 'error')).toBe(
        'Incorrect HTTP method for uri [/books/_search] and method [DELETE], allowed: [GET, POST]',
      );
      // As in OpenSearch, a method another matching pattern serves is routed there: DELETE /_search
      // is DELETE /{index} with index "_search".
      const fallback = await request('DELETE', '/_search');
      expect(fallback.status).toBe(404);
      expect(at(fallback.json, 'error', 'type')).toBe('index_not_found_exception');
    });

    it('refuses a body without Content-Type with 406', async () => {
      const response = await fetch(`${standIn.url}/_search`, {
        method: 'POST',
        body: new Uint8Array(Buffer.from('{}')),
      });
      expect(response.status).toBe(406);
      expect(await response.json()).toEqual({
        error: 'Content-Type header is missing',
        status: 406,
      });
    });

    it('accepts a gzipped body and records every request', async () => {
      const response = await fetch(`${standIn.url}/gz/_doc/1?refresh=true`, {
        method: 'PUT',
        headers: {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
          'x-test': 'yes',
        },
        body: gzipSync(JSON.stringify({ a: 1 })),
      });
      expect(response.status).toBe(201);
      expect(standIn.indices.document('gz', '1')).toEqual({ a: 1 });
      const recorded = standIn.requests.at(-1);
      expect(recorded).toMatchObject({
        method: 'PUT',
        path: '/gz/_doc/1',
        query: { refresh: 'true' },
        body: '{"a":1}',
      });
      expect(recorded?.headers['x-test']).toBe('yes');
    });
  });

  describe('indices', () => {
    it('creates an index with nested and flat settings and mappings, and refuses a duplicate', async () => {
      const created = await request('PUT', '/books', {
        settings: {
          index: { default_pipeline: 'p1', knn: true },
          'index.search.default_pipeline': 'sp',
          number_of_shards: 2,
        },
        mappings: {
          properties: { title: { type: 'text' }, embedding: { type: 'knn_vector', dimension: 3 } },
        },
      });
      expect(created.status).toBe(200);
      expect(created.json).toEqual({
        acknowledged: true,
        shards_acknowledged: true,
        index: 'books',
      });
      expect(standIn.indices.settings('books')).toMatchObject({
        'index.default_pipeline': 'p1',
        'index.knn': 'true',
        'index.search.default_pipeline': 'sp',
        'index.number_of_shards': '2',
      });
      expect(standIn.indices.mappings('books')).toEqual({
        properties: { title: { type: 'text' }, embedding: { type: 'knn_vector', dimension: 3 } },
      });
      const again = await request('PUT', '/books', {});
      expect(again.status).toBe(400);
      expect(at(again.json, 'error', 'type')).toBe('resource_already_exists_exception');
      expect(at(again.json, 'error', 'root_cause', 0, 'type')).toBe(
        'resource_already_exists_exception',
      );
      expect(at(again.json, 'status')).toBe(400);
    });

    it('refuses invalid names and invalid mappings as OpenSearch does', async () => {
      const upper = await request('PUT', '/Books', {});
      expect(upper.status).toBe(400);
      expect(at(upper.json, 'error', 'type')).toBe('invalid_index_name_exception');
      expect(at(upper.json, 'error', 'reason')).toBe(
        'Invalid index name [Books], must be lowercase',
      );
      const noDimension = await request('PUT', '/v', {
        mappings: { properties: { e: { type: 'knn_vector' } } },
      });
      expect(noDimension.status).toBe(400);
      expect(at(noDimension.json, 'error', 'type')).toBe('mapper_parsing_exception');
      expect(at(noDimension.json, 'error', 'reason')).toContain(
        'Dimension value missing for vector: e',
      );
      const badType = await request('PUT', '/v', {
        mappings: { properties: { e: { type: 'strang' } } },
      });
      expect(at(badType.json, 'error', 'reason')).toContain(
        'No handler for type [strang] declared on field [e]',
      );
      expect(standIn.indices.has('v')).toBe(false);
    });

    it('answers HEAD and DELETE, and 404 index_not_found for a missing index', async () => {
      await request('PUT', '/gone', {});
      expect((await request('HEAD', '/gone')).status).toBe(200);
      expect((await request('DELETE', '/gone')).json).toEqual({ acknowledged: true });
      expect((await request('HEAD', '/gone')).status).toBe(404);
      const missing = await request('DELETE', '/gone');
      expect(missing.status).toBe(404);
      expect(at(missing.json, 'error')).toMatchObject({
        type: 'index_not_found_exception',
        reason: 'no such index [gone]',
        index: 'gone',
        'resource.type': 'index_or_alias',
        index_uuid: '_na_',
      });
    });

    it('renders settings nested, flat, filtered, with defaults, over patterns and comma lists', async () => {
      await request('PUT', '/logs-a', { settings: { 'index.default_pipeline': 'ingest-a' } });
      await request('PUT', '/logs-b', { settings: { index: { number_of_replicas: 0 } } });
      await request('PUT', '/other', {});
      const nested = await request('GET', '/logs-a/_settings');
      expect(at(nested.json, 'logs-a', 'settings', 'index', 'default_pipeline')).toBe('ingest-a');
      expect(at(nested.json, 'logs-a', 'settings', 'index', 'number_of_shards')).toBe('1');
      const flat = await request(
        'GET',
        '/logs-*/_settings/index.default_pipeline?flat_settings=true&include_defaults=true',
      );
      expect(flat.json).toEqual({
        'logs-a': { settings: { 'index.default_pipeline': 'ingest-a' }, defaults: {} },
        'logs-b': { settings: {}, defaults: { 'index.default_pipeline': '_none' } },
      });
      const listed = await request(
        'GET',
        '/logs-b,other/_settings/index.number_of_replicas?flat_settings',
      );
      expect(listed.json).toEqual({
        'logs-b': { settings: { 'index.number_of_replicas': '0' } },
        other: { settings: { 'index.number_of_replicas': '1' } },
      });
      expect((await request('GET', '/nope/_settings')).status).toBe(404);
    });

    it('updates dynamic settings and refuses static ones', async () => {
      await request('PUT', '/upd', {});
      expect(
        (await request('PUT', '/upd/_settings', { index: { default_pipeline: 'later' } })).status,
      ).toBe(200);
      expect(standIn.indices.settings('upd')?.['index.default_pipeline']).toBe('later');
      const frozen = await request('PUT', '/upd/_settings', { index: { number_of_shards: 3 } });
      expect(frozen.status).toBe(400);
      expect(at(frozen.json, 'error', 'reason')).toContain(
        "Can't update non dynamic settings [[index.number_of_shards]]",
      );
    });

    it('lists indices with _cat/indices as JSON', async () => {
      await request('PUT', '/cat-me', { settings: { number_of_replicas: 0 } });
      await request('PUT', '/cat-me/_doc/1?refresh=true', { a: 1 });
      const cat = await request('GET', '/_cat/indices?format=json');
      expect(cat.json).toEqual([
        expect.objectContaining({
          health: 'green',
          status: 'open',
          index: 'cat-me',
          pri: '1',
          rep: '0',
          'docs.count': '1',
        }),
      ]);
    });
  });

  describe('documents', () => {
    it('indexes (201), re-indexes (200) and gets a document with OpenSearch bookkeeping', async () => {
      const created = await request('PUT', '/docs/_doc/1', { title: 'one' });
      expect(created.status).toBe(201);
      expect(created.json).toEqual({
        _index: 'docs',
        _id: '1',
        _version: 1,
        result: 'created',
        _shards: { total: 2, successful: 1, failed: 0 },
        _seq_no: 0,
        _primary_term: 1,
      });
      const updated = await request('POST', '/docs/_doc/1', { title: 'uno' });
      expect(updated.status).toBe(200);
      expect(updated.json).toMatchObject({ result: 'updated', _version: 2, _seq_no: 1 });
      const found = await request('GET', '/docs/_doc/1');
      expect(found.json).toEqual({
        _index: 'docs',
        _id: '1',
        _version: 2,
        _seq_no: 1,
        _primary_term: 1,
        found: true,
        _source: { title: 'uno' },
      });
      const missing = await request('GET', '/docs/_doc/2');
      expect(missing.status).toBe(404);
      expect(missing.json).toEqual({ _index: 'docs', _id: '2', found: false });
      expect(standIn.indices.mappings('docs')).toEqual({});
    });

    it('auto-generates 20-character ids and refuses _create of an existing id with 409', async () => {
      const auto = await request('POST', '/docs/_doc', { a: 1 });
      expect(auto.status).toBe(201);
      expect(at(auto.json, '_id')).toMatch(/^[A-Za-z0-9_-]{20}$/);
      expect((await request('PUT', '/docs/_create/x', { a: 1 })).status).toBe(201);
      const conflict = await request('POST', '/docs/_create/x', { a: 2 });
      expect(conflict.status).toBe(409);
      expect(at(conflict.json, 'error')).toMatchObject({
        type: 'version_conflict_engine_exception',
        reason: '[x]: version conflict, document already exists (current version [1])',
        index: 'docs',
        shard: '0',
      });
      expect(standIn.indices.document('docs', 'x')).toEqual({ a: 1 });
    });

    it('enforces if_seq_no / if_primary_term', async () => {
      await request('PUT', '/docs/_doc/1', { a: 1 });
      const stale = await request('PUT', '/docs/_doc/1?if_seq_no=5&if_primary_term=1', { a: 2 });
      expect(stale.status).toBe(409);
      expect(at(stale.json, 'error', 'reason')).toBe(
        '[1]: version conflict, required seqNo [5], primary term [1]. current document has seqNo [0] and primary term [1]',
      );
      expect(
        (await request('PUT', '/docs/_doc/1?if_seq_no=0&if_primary_term=1', { a: 2 })).status,
      ).toBe(200);
    });

    it('updates with doc, doc_as_upsert and detects noops; a missing document is 404', async () => {
      await request('PUT', '/docs/_doc/1', { a: 1, nested: { b: 1 } });
      const merged = await request('POST', '/docs/_update/1', { doc: { nested: { c: 2 } } });
      expect(merged.json).toMatchObject({ result: 'updated', _version: 2 });
      expect(standIn.indices.document('docs', '1')).toEqual({ a: 1, nested: { b: 1, c: 2 } });
      const noop = await request('POST', '/docs/_update/1', { doc: { a: 1 } });
      expect(noop.json).toMatchObject({ result: 'noop', _version: 2 });
      const upsert = await request('POST', '/docs/_update/2', {
        doc: { z: 1 },
        doc_as_upsert: true,
      });
      expect(upsert.status).toBe(201);
      const missing = await request('POST', '/docs/_update/3', { doc: { z: 1 } });
      expect(missing.status).toBe(404);
      expect(at(missing.json, 'error', 'type')).toBe('document_missing_exception');
      expect(at(missing.json, 'error', 'reason')).toBe('[3]: document missing');
    });

    it('deletes a document; deleting a missing one is a 404 not_found write', async () => {
      await request('PUT', '/docs/_doc/1', { a: 1 });
      const deleted = await request('DELETE', '/docs/_doc/1');
      expect(deleted.json).toMatchObject({ result: 'deleted', _version: 2 });
      const again = await request('DELETE', '/docs/_doc/1');
      expect(again.status).toBe(404);
      expect(again.json).toMatchObject({ result: 'not_found' });
      expect(standIn.indices.documents('docs')).toEqual([]);
    });

    it('makes writes searchable only after a refresh, while GET is realtime', async () => {
      await request('PUT', '/rt/_doc/1', { a: 1 });
      expect((await request('GET', '/rt/_doc/1')).status).toBe(200);
      expect(at((await request('GET', '/rt/_count')).json, 'count')).toBe(0);
      expect(ids(await request('POST', '/rt/_search', {}))).toEqual([]);
      const refreshed = await request('POST', '/rt/_refresh');
      expect(refreshed.json).toEqual({ _shards: { total: 2, successful: 1, failed: 0 } });
      expect(ids(await request('POST', '/rt/_search', {}))).toEqual(['1']);
      const forced = await request('PUT', '/rt/_doc/2?refresh=true', { a: 2 });
      expect(at(forced.json, 'forced_refresh')).toBe(true);
      await request('PUT', '/rt/_doc/3?refresh=wait_for', { a: 3 });
      expect(standIn.indices.searchableIds('rt')).toEqual(['1', '2', '3']);
      expect((await request('PUT', '/rt/_doc/4?refresh=soon', { a: 4 })).status).toBe(400);
    });

    it('refuses a body that is not a JSON object and a vector of the wrong dimension', async () => {
      const notJson = await request('PUT', '/docs/_doc/1', '{"a":', {
        'content-type': 'application/json',
      });
      expect(notJson.status).toBe(400);
      expect(at(notJson.json, 'error', 'type')).toBe('mapper_parsing_exception');
      expect(at(notJson.json, 'error', 'caused_by', 'type')).toBe('json_parse_exception');
      await request('PUT', '/vectors', {
        mappings: { properties: { e: { type: 'knn_vector', dimension: 3 } } },
      });
      const wrong = await request('PUT', '/vectors/_doc/1', { e: [1, 2] });
      expect(wrong.status).toBe(400);
      expect(at(wrong.json, 'error', 'type')).toBe('mapper_parsing_exception');
      expect(at(wrong.json, 'error', 'caused_by', 'reason')).toBe(
        'Vector dimension mismatch. Expected: 3, Given: 2',
      );
      expect(standIn.indices.documents('vectors')).toEqual([]);
    });
  });

  describe('ingest pipelines (only _none exists)', () => {
    it('refuses a pipeline parameter without storing the document', async () => {
      const refused = await request('PUT', '/ing/_doc/1?pipeline=embed', { a: 1 });
      expect(refused.status).toBe(400);
      expect(refused.json).toEqual({
        error: {
          root_cause: [
            {
              type: 'illegal_argument_exception',
              reason: 'pipeline with id [embed] does not exist',
            },
          ],
          type: 'illegal_argument_exception',
          reason: 'pipeline with id [embed] does not exist',
        },
        status: 400,
      });
      expect(standIn.indices.has('ing')).toBe(false);
    });

    it("refuses the index's default_pipeline unless the write says pipeline=_none", async () => {
      await request('PUT', '/ing', { settings: { index: { default_pipeline: 'embed' } } });
      const refused = await request('PUT', '/ing/_doc/1', { a: 1 });
      expect(at(refused.json, 'error', 'reason')).toBe('pipeline with id [embed] does not exist');
      const accepted = await request('PUT', '/ing/_doc/1?pipeline=_none', { a: 1 });
      expect(accepted.status).toBe(201);
      expect(standIn.indices.document('ing', '1')).toEqual({ a: 1 });
    });

    it('refuses a final_pipeline even with pipeline=_none', async () => {
      await request('PUT', '/ing', { settings: { 'index.final_pipeline': 'last' } });
      const refused = await request('PUT', '/ing/_doc/1?pipeline=_none', { a: 1 });
      expect(at(refused.json, 'error', 'reason')).toBe('pipeline with id [last] does not exist');
    });
  });

  describe('bulk', () => {
    it('runs index, create, update and delete, with per-item errors', async () => {
      await request('PUT', '/b/_doc/existing', { v: 1 });
      await request('PUT', '/b/_doc/doomed', { v: 1 });
      const body = ndjson(
        { index: { _index: 'b', _id: '1' } },
        { title: 'one' },
        { index: { _index: 'b' } },
        { title: 'auto' },
        { create: { _index: 'b', _id: 'existing' } },
        { v: 2 },
        { update: { _index: 'b', _id: 'existing' } },
        { doc: { extra: true } },
        { update: { _index: 'b', _id: 'absent' } },
        { doc: { x: 1 } },
        { update: { _index: 'b', _id: 'up' } },
        { doc: { y: 1 }, doc_as_upsert: true },
        { delete: { _index: 'b', _id: 'doomed' } },
        { delete: { _index: 'b', _id: 'never' } },
        { index: { _index: 'b', _id: 'piped', pipeline: 'embed' } },
        { a: 1 },
      );
      const answer = await request('POST', '/_bulk?refresh=true', body);
      expect(answer.status).toBe(200);
      expect(at(answer.json, 'errors')).toBe(true);
      const items = at(answer.json, 'items');
      expect(Array.isArray(items) ? items.length : 0).toBe(9);
      expect(at(items, 0)).toEqual({
        index: {
          _index: 'b',
          _id: '1',
          _version: 1,
          result: 'created',
          _shards: { total: 2, successful: 1, failed: 0 },
          _seq_no: 2,
          _primary_term: 1,
          status: 201,
          forced_refresh: true,
        },
      });
      expect(at(items, 1, 'index', '_id')).toMatch(/^[A-Za-z0-9_-]{20}$/);
      expect(at(items, 2, 'create')).toMatchObject({
        _index: 'b',
        _id: 'existing',
        status: 409,
        error: {
          type: 'version_conflict_engine_exception',
          reason: '[existing]: version conflict, document already exists (current version [1])',
          index: 'b',
          shard: '0',
        },
      });
      expect(at(items, 3, 'update')).toMatchObject({ result: 'updated', _version: 2, status: 200 });
      expect(at(items, 4, 'update')).toMatchObject({
        status: 404,
        error: { type: 'document_missing_exception' },
      });
      expect(at(items, 5, 'update')).toMatchObject({ result: 'created', status: 201 });
      expect(at(items, 6, 'delete')).toMatchObject({ result: 'deleted', status: 200 });
      expect(at(items, 7, 'delete')).toMatchObject({ result: 'not_found', status: 404 });
      expect(at(items, 7, 'delete', 'error')).toBeUndefined();
      expect(at(items, 8, 'index')).toEqual({
        _index: 'b',
        _id: 'piped',
        status: 400,
        error: {
          type: 'illegal_argument_exception',
          reason: 'pipeline with id [embed] does not exist',
        },
      });
      expect(standIn.indices.document('b', 'existing')).toEqual({ v: 1, extra: true });
      expect(standIn.indices.document('b', 'doomed')).toBeUndefined();
      expect(standIn.indices.document('b', 'piped')).toBeUndefined();
      expect(standIn.indices.searchableIds('b')).toContain('up');
    });

    it('uses the path index and ?pipeline=_none as defaults; a bad source fails only its item', async () => {
      await request('PUT', '/bp', { settings: { index: { default_pipeline: 'embed' } } });
      const answer = await request(
        'POST',
        '/bp/_bulk?pipeline=_none',
        `${JSON.stringify({ index: { _id: '1' } })}\n{"a":1}\n{"index":{"_id":"2"}}\n{"a":\n`,
      );
      expect(at(answer.json, 'errors')).toBe(true);
      expect(at(answer.json, 'items', 0, 'index', 'status')).toBe(201);
      expect(at(answer.json, 'items', 1, 'index', 'error', 'type')).toBe(
        'mapper_parsing_exception',
      );
      expect(standIn.indices.documents('bp').map((d) => d.id)).toEqual(['1']);
    });

    it('answers OpenSearch 400s for malformed bodies', async () => {
      const unterminated = await request('POST', '/_bulk', '{"index":{"_index":"b"}}\n{"a":1}');
      expect(at(unterminated.json, 'error', 'reason')).toBe(
        'The bulk request must be terminated by a newline [\\n]',
      );
      const unknownAction = await request('POST', '/_bulk', '{"upsert":{"_index":"b"}}\n{"a":1}\n');
      expect(unknownAction.status).toBe(400);
      expect(at(unknownAction.json, 'error', 'type')).toBe('illegal_argument_exception');
      expect(at(unknownAction.json, 'error', 'reason')).toBe(
        'Malformed action/metadata line [1], expected field [create], [delete], [index] or [update] but found [upsert]',
      );
      const notJson = await request('POST', '/_bulk', '{index:\n{}\n');
      expect(at(notJson.json, 'error', 'type')).toBe('json_parse_exception');
      const unknownParameter = await request(
        'POST',
        '/_bulk',
        '{"index":{"_index":"b","colour":"red"}}\n{}\n',
      );
      expect(at(unknownParameter.json, 'error', 'reason')).toBe(
        'Action/metadata line [1] contains an unknown parameter [colour]',
      );
      const noIndex = await request('POST', '/_bulk', '{"index":{}}\n{}\n');
      expect(at(noIndex.json, 'error', 'type')).toBe('action_request_validation_exception');
      expect(at(noIndex.json, 'error', 'reason')).toBe('Validation Failed: 1: index is missing;');
      expect(standIn.indices.names()).toEqual([]);
    });
  });

  describe('search', () => {
    beforeEach(async () => {
      await request('PUT', '/books', {
        mappings: {
          properties: {
            title: { type: 'text' },
            genre: { type: 'keyword' },
            year: { type: 'integer' },
          },
        },
      });
      const body = ndjson(
        { index: { _id: '1' } },
        { title: 'The quick brown fox', genre: 'fable', year: 1990 },
        { index: { _id: '2' } },
        { title: 'A lazy dog', genre: 'novel', year: 2001 },
        { index: { _id: '3' } },
        { title: 'Quick quick dog', genre: 'fable', year: 2010 },
      );
      await request('POST', '/books/_bulk?refresh=true', body);
    });

    it('evaluates match, term, bool and range, with size, from, sort and _source', async () => {
      const match = await request('POST', '/books/_search', {
        query: { match: { title: 'quick' } },
      });
      expect(ids(match)).toEqual(['3', '1']);
      expect(at(match.json, 'hits', 'total')).toEqual({ value: 2, relation: 'eq' });
      expect(at(match.json, 'hits', 'hits', 0)).not.toHaveProperty('_version');
      const bool = await request('POST', '/books/_search', {
        query: {
          bool: { filter: [{ term: { genre: 'fable' } }, { range: { year: { gte: 2000 } } }] },
        },
      });
      expect(ids(bool)).toEqual(['3']);
      const sorted = await request('POST', '/books/_search?size=1&from=1', {
        sort: [{ year: 'desc' }],
        _source: ['title'],
      });
      expect(ids(sorted)).toEqual(['2']);
      expect(at(sorted.json, 'hits', 'hits', 0, '_source')).toEqual({ title: 'A lazy dog' });
      const versioned = await request('POST', '/books/_search?version=true', {
        query: { ids: { values: ['1'] } },
      });
      expect(at(versioned.json, 'hits', 'hits', 0, '_version')).toBe(1);
    });

    it('searches every index, patterns and comma lists, and 404s a missing concrete index', async () => {
      await request('PUT', '/magazines/_doc/m1?refresh=true', { title: 'quick reads' });
      const all = await request('POST', '/_search', { query: { match: { title: 'quick' } } });
      expect(new Set(ids(all))).toEqual(new Set(['1', '3', 'm1']));
      expect(at(all.json, '_shards', 'total')).toBe(2);
      const listed = await request('POST', '/books,maga*/_search', {
        query: { term: { _id: 'm1' } },
      });
      expect(at(listed.json, 'hits', 'hits', 0, '_index')).toBe('magazines');
      const missing = await request('POST', '/nothing/_search', {});
      expect(missing.status).toBe(404);
      expect(at(missing.json, 'error', 'type')).toBe('index_not_found_exception');
    });

    it('answers _count and _msearch', async () => {
      const count = await request('POST', '/books/_count', { query: { term: { genre: 'fable' } } });
      expect(count.json).toEqual({
        count: 2,
        _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
      });
      const multi = await request(
        'POST',
        '/_msearch',
        ndjson(
          { index: 'books' },
          { query: { term: { genre: 'novel' } } },
          { index: 'missing' },
          {},
          {},
          { size: 0 },
        ),
      );
      expect(ids({ ...multi, json: at(multi.json, 'responses', 0) })).toEqual(['2']);
      expect(at(multi.json, 'responses', 0, 'status')).toBe(200);
      expect(at(multi.json, 'responses', 1, 'status')).toBe(404);
      expect(at(multi.json, 'responses', 1, 'error', 'type')).toBe('index_not_found_exception');
      expect(at(multi.json, 'responses', 2, 'hits', 'total', 'value')).toBe(3);
    });

    it('refuses search pipelines other than _none, including an index default', async () => {
      const byParam = await request('POST', '/books/_search?search_pipeline=rerank', {});
      expect(byParam.status).toBe(404);
      expect(byParam.json).toEqual({
        error: {
          root_cause: [
            { type: 'resource_not_found_exception', reason: 'Pipeline rerank is not defined' },
          ],
          type: 'resource_not_found_exception',
          reason: 'Pipeline rerank is not defined',
        },
        status: 404,
      });
      const byBody = await request('POST', '/books/_search', {
        search_pipeline: 'norm',
        query: { match_all: {} },
      });
      expect(at(byBody.json, 'error', 'reason')).toBe('Pipeline norm is not defined');
      expect((await request('POST', '/books/_search?search_pipeline=_none', {})).status).toBe(200);
      await request('PUT', '/books/_settings', { 'index.search.default_pipeline': 'hybrid-norm' });
      expect(at((await request('POST', '/books/_search', {})).json, 'error', 'reason')).toBe(
        'Pipeline hybrid-norm is not defined',
      );
      expect((await request('POST', '/books/_search?search_pipeline=_none', {})).status).toBe(200);
    });

    it('does not know neural queries (no neural-search plugin)', async () => {
      const neural = await request('POST', '/books/_search', {
        query: {
          bool: { should: [{ neural: { embedding: { query_text: 'fox', model_id: 'm', k: 3 } } }] },
        },
      });
      expect(neural.status).toBe(400);
      expect(at(neural.json, 'error', 'type')).toBe('parsing_exception');
      expect(at(neural.json, 'error', 'reason')).toBe('unknown query [neural]');
    });

    it("passes the evaluator's 400s through in OpenSearch's envelope", async () => {
      const bad = await request('POST', '/books/_search', { query: { bogus: {} } });
      expect(bad.status).toBe(400);
      expect(at(bad.json, 'error', 'type')).toBe('parsing_exception');
      expect(at(bad.json, 'error', 'root_cause', 0, 'type')).toBe('parsing_exception');
      expect(at(bad.json, 'status')).toBe(400);
    });
  });

  describe('knn', () => {
    // Hand-computed against q = [1, 0, 0], cosinesimil score = (1 + cos) / 2:
    // a [1,0,0] cos 1 → 1; b [0.6,0.8,0] cos 0.6 → 0.8; c [0,0,1] cos 0 → 0.5; d [-1,0,0] cos -1 → 0.
    beforeEach(async () => {
      await request('PUT', '/vec', {
        settings: { index: { knn: true } },
        mappings: {
          properties: {
            embedding: { type: 'knn_vector', dimension: 3, space_type: 'cosinesimil' },
            tag: { type: 'keyword' },
          },
        },
      });
      await request(
        'POST',
        '/vec/_bulk?refresh=true',
        ndjson(
          { index: { _id: 'a' } },
          { embedding: [1, 0, 0], tag: 'x' },
          { index: { _id: 'b' } },
          { embedding: [0.6, 0.8, 0], tag: 'y' },
          { index: { _id: 'c' } },
          { embedding: [0, 0, 1], tag: 'x' },
          { index: { _id: 'd' } },
          { embedding: [-1, 0, 0], tag: 'y' },
          { index: { _id: 'none' } },
          { tag: 'x' },
        ),
      );
    });

    it('returns the k nearest neighbours with cosinesimil scores', async () => {
      const answer = await request('POST', '/vec/_search', {
        query: { knn: { embedding: { vector: [1, 0, 0], k: 3 } } },
      });
      expect(ids(answer)).toEqual(['a', 'b', 'c']);
      const [first, second, third] = scores(answer);
      expect(first).toBeCloseTo(1, 6);
      expect(second).toBeCloseTo(0.8, 6);
      expect(third).toBeCloseTo(0.5, 6);
      expect(at(answer.json, 'hits', 'total', 'value')).toBe(3);
      const scaled = await request('POST', '/vec/_search', {
        query: { knn: { embedding: { vector: [3, 4, 0], k: 1 } } },
      });
      expect(ids(scaled)).toEqual(['b']);
      expect(scores(scaled)[0]).toBeCloseTo(1, 6);
    });

    it('applies the knn filter before choosing k, and bool filters after', async () => {
      const inner = await request('POST', '/vec/_search', {
        query: { knn: { embedding: { vector: [1, 0, 0], k: 2, filter: { term: { tag: 'y' } } } } },
      });
      expect(ids(inner)).toEqual(['b', 'd']);
      const outer = await request('POST', '/vec/_search', {
        query: {
          bool: {
            must: [{ knn: { embedding: { vector: [1, 0, 0], k: 2 } } }],
            filter: [{ term: { tag: 'y' } }],
          },
        },
      });
      expect(ids(outer)).toEqual(['b']);
      expect(scores(outer)[0]).toBeCloseTo(0.8, 6);
    });

    it('supports radial search with min_score and max_distance', async () => {
      const byScore = await request('POST', '/vec/_search', {
        query: { knn: { embedding: { vector: [1, 0, 0], min_score: 0.75 } } },
      });
      expect(ids(byScore)).toEqual(['a', 'b']);
      // cosinesimil distance is 1 - cos: c is at 1, d at 2.
      const byDistance = await request('POST', '/vec/_search', {
        query: { knn: { embedding: { vector: [1, 0, 0], max_distance: 1 } } },
      });
      expect(ids(byDistance)).toEqual(['a', 'b', 'c']);
    });

    it("answers OpenSearch's errors for bad knn clauses", async () => {
      const dimension = await request('POST', '/vec/_search', {
        query: { knn: { embedding: { vector: [1, 0], k: 1 } } },
      });
      expect(dimension.status).toBe(400);
      expect(at(dimension.json, 'error', 'type')).toBe('search_phase_execution_exception');
      expect(at(dimension.json, 'error', 'root_cause', 0, 'reason')).toBe(
        'failed to create query: Query vector has invalid dimension: 2. Dimension should be: 3',
      );
      const notVector = await request('POST', '/vec/_search', {
        query: { knn: { tag: { vector: [1], k: 1 } } },
      });
      expect(at(notVector.json, 'error', 'failed_shards', 0, 'reason', 'caused_by', 'reason')).toBe(
        "Field 'tag' is not knn_vector type.",
      );
      const twoModes = await request('POST', '/vec/_search', {
        query: { knn: { embedding: { vector: [1, 0, 0], k: 1, min_score: 0.5 } } },
      });
      expect(at(twoModes.json, 'error', 'reason')).toBe(
        '[knn] requires exactly one of k, distance or score to be set',
      );
    });
  });

  describe('cluster settings', () => {
    it('stores persistent and transient settings, plugins.ml_commons included, and resets with null', async () => {
      const put = await request('PUT', '/_cluster/settings', {
        persistent: {
          plugins: { ml_commons: { only_run_on_ml_node: false } },
          'cluster.max_shards_per_node': 500,
        },
        transient: { 'search.default_search_timeout': '5s' },
      });
      expect(put.json).toEqual({
        acknowledged: true,
        persistent: {
          cluster: { max_shards_per_node: '500' },
          plugins: { ml_commons: { only_run_on_ml_node: 'false' } },
        },
        transient: { search: { default_search_timeout: '5s' } },
      });
      expect(standIn.clusterSettings().persistent).toEqual({
        'plugins.ml_commons.only_run_on_ml_node': 'false',
        'cluster.max_shards_per_node': '500',
      });
      await request('PUT', '/_cluster/settings', {
        persistent: { 'cluster.max_shards_per_node': null },
      });
      const flat = await request('GET', '/_cluster/settings?flat_settings=true');
      expect(flat.json).toEqual({
        persistent: { 'plugins.ml_commons.only_run_on_ml_node': 'false' },
        transient: { 'search.default_search_timeout': '5s' },
      });
      const empty = await request('PUT', '/_cluster/settings', {});
      expect(at(empty.json, 'error', 'reason')).toBe(
        'Validation Failed: 1: no settings to update;',
      );
    });
  });

  describe('outages', () => {
    it("fail('down') refuses connections until recover()", async () => {
      await request('PUT', '/kept/_doc/1', { a: 1 });
      await standIn.fail('down');
      const refused = await new Promise<unknown>((resolve) => {
        const socket = connect(standIn.port, '127.0.0.1');
        socket.once('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code));
      });
      expect(refused).toBe('ECONNREFUSED');
      await standIn.recover();
      expect((await request('GET', '/')).status).toBe(200);
      expect(standIn.indices.document('kept', '1')).toEqual({ a: 1 });
    });

    it("fail('5xx') answers every request with a 503 cluster_block_exception", async () => {
      await standIn.fail('5xx');
      const blocked = await request('POST', '/any/_search', {});
      expect(blocked.status).toBe(503);
      expect(at(blocked.json, 'error', 'root_cause', 0, 'type')).toBe('cluster_block_exception');
      expect(at(blocked.json, 'status')).toBe(503);
      await standIn.recover();
      expect((await request('GET', '/')).status).toBe(200);
    });

    it("fail('hang') reads and records requests but never answers them", async () => {
      await standIn.fail('hang');
      const outcome = await fetch(`${standIn.url}/slow/_search`, {
        signal: AbortSignal.timeout(300),
      }).then(
        () => 'answered',
        (error: unknown) => (error instanceof Error ? error.name : 'unknown'),
      );
      expect(outcome).toBe('TimeoutError');
      expect(standIn.requests.at(-1)?.path).toBe('/slow/_search');
      await standIn.recover();
      expect((await request('GET', '/')).status).toBe(200);
    });

    it("fail('stall-body') sends the status and headers, then none of the body", async () => {
      await request('PUT', '/stalled/_doc/1', { a: 1 });
      await standIn.fail('stall-body');
      const response = await fetch(`${standIn.url}/stalled/_doc/1`, { signal: AbortSignal.timeout(300) });
      expect(response.status).toBe(200);
      expect(Number(response.headers.get('content-length'))).toBeGreaterThan(0);
      await expect(response.text()).rejects.toMatchObject({ name: 'TimeoutError' });
      await standIn.recover();
      expect((await request('GET', '/stalled/_doc/1')).status).toBe(200);
    });

    it("fail('stall-mid-body') sends half the body, then nothing", async () => {
      await request('PUT', '/stalled/_doc/2', { text: 'x'.repeat(1_000) });
      await standIn.fail('stall-mid-body');
      const response = await fetch(`${standIn.url}/stalled/_doc/2`, { signal: AbortSignal.timeout(300) });
      const reader = response.body!.getReader();
      const first = await reader.read();
      expect(first.value!.length).toBeLessThan(Number(response.headers.get('content-length')));
      await expect(reader.read()).rejects.toMatchObject({ name: 'TimeoutError' });
      await standIn.recover();
    });

    it('rejectBulks() turns whole bulks away as a busy (429) or blocked (503) cluster does, indexing nothing', async () => {
      standIn.rejectBulks({ times: 1, status: 429 });
      standIn.rejectBulks({ times: 1, status: 503, retryAfterSeconds: 2 });
      const body = ndjson({ index: { _index: 'busy', _id: '1' } }, { a: 1 });
      const busy = await request('POST', '/_bulk', body);
      expect(busy.status).toBe(429);
      expect(at(busy.json, 'error', 'root_cause', 0, 'type')).toBe('rejected_execution_exception');
      expect(at(busy.json, 'error', 'reason')).toMatch(/^rejected execution of coordinating operation \[coordinating_and_primary_bytes=\d+, .*coordinating_operation_bytes=\d+, max_coordinating_and_primary_bytes=\d+\]$/);
      expect(busy.headers.get('retry-after')).toBeNull();
      const blocked = await request('POST', '/_bulk', body);
      expect(blocked.status).toBe(503);
      expect(at(blocked.json, 'error', 'type')).toBe('cluster_block_exception');
      expect(at(blocked.json, 'error', 'reason')).toBe('blocked by: [SERVICE_UNAVAILABLE/2/no cluster-manager];');
      expect(blocked.headers.get('retry-after')).toBe('2');
      expect(standIn.indices.document('busy', '1')).toBeUndefined();
      const malformed = await request('POST', '/_bulk', '{"index": {"_index": "busy"}}\n{"a": 1}');
      expect(malformed.status).toBe(400);
      expect((await request('POST', '/_bulk', body)).status).toBe(200);
      expect(standIn.indices.document('busy', '1')).toEqual({ a: 1 });
    });

    it('rejectBulks() turns single-document writes away too (OpenSearch runs them as one-item bulks)', async () => {
      standIn.rejectBulks({ times: 1, status: 429 });
      const busy = await request('PUT', '/busy/_doc/2', { b: 1 });
      expect(busy.status).toBe(429);
      expect(at(busy.json, 'error', 'type')).toBe('rejected_execution_exception');
      expect(standIn.indices.document('busy', '2')).toBeUndefined();
      expect((await request('PUT', '/busy/_doc/2', { b: 1 })).status).toBe(201);
    });

    it("rejectShards() fails a full shard's items with a 429 each and applies the others", async () => {
      standIn.rejectShards({ times: 2, index: 'full' });
      const body = ndjson(
        { index: { _index: 'full', _id: '1' } }, { a: 1 },
        { index: { _index: 'free', _id: '1' } }, { a: 2 },
        { create: { _index: 'full', _id: '2' } }, { a: 3 },
      );
      for (let round = 0; round < 2; round++) {
        const bulk = await request('POST', '/_bulk', body);
        expect(bulk.status).toBe(200);
        expect(at(bulk.json, 'errors')).toBe(true);
        expect(at(bulk.json, 'items', 0, 'index')).toMatchObject({ _index: 'full', _id: '1', status: 429, error: { type: 'rejected_execution_exception' } });
        expect(at(bulk.json, 'items', 0, 'index', 'error', 'reason')).toMatch(/^rejected execution of primary operation on OpenSearchThreadPoolExecutor\[name = stand-in-node-1\/write, queue capacity = 10000/);
        expect(at(bulk.json, 'items', 1, 'index', 'status')).toBe(round === 0 ? 201 : 200);
        expect(at(bulk.json, 'items', 2, 'create', 'status')).toBe(429);
      }
      expect(standIn.indices.document('full', '1')).toBeUndefined();
      const third = await request('POST', '/_bulk', body);
      expect(at(third.json, 'errors')).toBe(false);
      expect(standIn.indices.document('full', '2')).toEqual({ a: 3 });
    });

    it('reset() forgets indices, settings and requests', async () => {
      await request('PUT', '/temp/_doc/1', { a: 1 });
      await request('PUT', '/_cluster/settings', { persistent: { 'a.b': 1 } });
      await standIn.reset();
      expect(standIn.indices.names()).toEqual([]);
      expect(standIn.clusterSettings()).toEqual({ persistent: {}, transient: {} });
      expect(standIn.requests).toEqual([]);
    });
  });
});

describe('OpenSearch stand-in with security', () => {
  let standIn: StandIn;
  const alice = {
    name: 'alice',
    password: 's3cret:colon',
    backendRoles: ['ml-team', 'ops'],
    roles: ['ml_full_access'],
  };

  beforeAll(async () => {
    standIn = await startOpenSearchStandIn({ port: 0, security: { users: [alice] } });
  });
  afterAll(async () => {
    await standIn.close();
  });

  it('answers 401 with the Basic challenge without credentials or with a wrong password', async () => {
    for (const headers of [{}, basic('alice', 'nope'), basic('mallory', 's3cret:colon')]) {
      const denied = await call(standIn, 'GET', '/', undefined, headers);
      expect(denied.status).toBe(401);
      expect(denied.headers.get('www-authenticate')).toBe('Basic realm="OpenSearch Security"');
      expect(denied.text).toBe('Unauthorized');
    }
  });

  it('accepts valid credentials and describes the user at authinfo', async () => {
    expect(
      (await call(standIn, 'GET', '/', undefined, basic('alice', 's3cret:colon'))).status,
    ).toBe(200);
    const info = await call(
      standIn,
      'GET',
      '/_plugins/_security/authinfo',
      undefined,
      basic('alice', 's3cret:colon'),
    );
    expect(info.status).toBe(200);
    expect(info.json).toEqual({
      user: 'User [name=alice, backend_roles=[ml-team, ops], requestedTenant=null]',
      user_name: 'alice',
      user_requested_tenant: null,
      remote_address: expect.stringMatching(/^(::ffff:)?127\.0\.0\.1:\d+$/),
      backend_roles: ['ml-team', 'ops'],
      custom_attribute_names: [],
      roles: ['ml_full_access'],
      tenants: { global_tenant: true, alice: true },
      principal: null,
      peer_certificates: '0',
      sso_logout_url: null,
    });
  });

  it('has no authinfo endpoint when security is off', async () => {
    const open = await startOpenSearchStandIn({ port: 0 });
    try {
      const answer = await call(open, 'GET', '/_plugins/_security/authinfo');
      expect(answer.status).toBe(400);
      expect(answer.json).toEqual({
        error: 'no handler found for uri [/_plugins/_security/authinfo] and method [GET]',
      });
    } finally {
      await open.close();
    }
  });
});
