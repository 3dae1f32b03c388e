/**
 * Conditional writes on the stand-in, as the cluster store relies on them: the exact 409 bodies
 * of `if_seq_no`/`if_primary_term` and `op_type=create` conflicts (single writes and `_bulk`
 * items), the 400s for a malformed pair, deletes on a missing index, and `refresh=wait_for`.
 */
import { describe, expect, it } from 'vitest';
import { at, ids, ndjson, useStandIn } from './stand-in-client.js';

const conflict = (index: string, uuid: string, reason: string) => {
  const cause = {
    type: 'version_conflict_engine_exception',
    reason,
    index,
    shard: '0',
    index_uuid: uuid,
  };
  return { error: { root_cause: [cause], ...cause }, status: 409 };
};

const validation = (reason: string) => {
  const cause = { type: 'action_request_validation_exception', reason };
  return { error: { root_cause: [cause], ...cause }, status: 400 };
};

describe('OpenSearch stand-in: conditional writes', () => {
  const cluster = useStandIn();
  const { request } = cluster;
  const uuid = (index: string): string =>
    String(cluster.standIn.indices.settings(index)?.['index.uuid']);

  describe('409 conflicts', () => {
    const CONFLICTS: Array<{ name: string; method: string; path: string; reason: string }> = [
      {
        name: 'index with a stale seq_no',
        method: 'PUT',
        path: '/docs/_doc/1?if_seq_no=5&if_primary_term=1',
        reason:
          '[1]: version conflict, required seqNo [5], primary term [1]. current document has seqNo [1] and primary term [1]',
      },
      {
        name: 'index with a stale primary term',
        method: 'PUT',
        path: '/docs/_doc/1?if_seq_no=1&if_primary_term=2',
        reason:
          '[1]: version conflict, required seqNo [1], primary term [2]. current document has seqNo [1] and primary term [1]',
      },
      {
        name: 'index of a missing document with a seq_no',
        method: 'PUT',
        path: '/docs/_doc/9?if_seq_no=0&if_primary_term=1',
        reason: '[9]: version conflict, required seqNo [0], primary term [1]. but no document was found',
      },
      {
        name: 'op_type=create of an existing id',
        method: 'PUT',
        path: '/docs/_doc/1?op_type=create',
        reason: '[1]: version conflict, document already exists (current version [2])',
      },
      {
        name: '_create of an existing id',
        method: 'POST',
        path: '/docs/_create/1',
        reason: '[1]: version conflict, document already exists (current version [2])',
      },
      {
        name: 'delete with a stale seq_no',
        method: 'DELETE',
        path: '/docs/_doc/1?if_seq_no=0&if_primary_term=1',
        reason:
          '[1]: version conflict, required seqNo [0], primary term [1]. current document has seqNo [1] and primary term [1]',
      },
      {
        name: 'delete of a missing document with a seq_no',
        method: 'DELETE',
        path: '/docs/_doc/9?if_seq_no=3&if_primary_term=1',
        reason: '[9]: version conflict, required seqNo [3], primary term [1]. but no document was found',
      },
    ];

    it.each(CONFLICTS)('$name', async ({ method, path, reason }) => {
      await request('PUT', '/docs/_doc/1', { v: 1 });
      await request('PUT', '/docs/_doc/1', { v: 2 });
      const answer = await request(method, path, method === 'DELETE' ? undefined : { v: 3 });
      expect(answer.status).toBe(409);
      expect(answer.json).toEqual(conflict('docs', uuid('docs'), reason));
      expect(cluster.standIn.indices.document('docs', '1')).toEqual({ v: 2 });
    });

    it('conditions an update too: 409 when stale, 404 when the document is missing', async () => {
      await request('PUT', '/docs/_doc/1', { v: 1 });
      const stale = await request('POST', '/docs/_update/1?if_seq_no=4&if_primary_term=1', {
        doc: { v: 2 },
      });
      expect(stale.json).toEqual(
        conflict(
          'docs',
          uuid('docs'),
          '[1]: version conflict, required seqNo [4], primary term [1]. current document has seqNo [0] and primary term [1]',
        ),
      );
      const missing = await request('POST', '/docs/_update/2?if_seq_no=0&if_primary_term=1', {
        doc: { v: 2 },
      });
      expect(missing.status).toBe(404);
      expect(at(missing.json, 'error', 'type')).toBe('document_missing_exception');
    });

    it('applies a write whose seq_no and primary term match, and answers the new ones', async () => {
      await request('PUT', '/docs/_doc/1', { v: 1 });
      const updated = await request('PUT', '/docs/_doc/1?if_seq_no=0&if_primary_term=1', { v: 2 });
      expect(updated.status).toBe(200);
      expect(updated.json).toMatchObject({ result: 'updated', _seq_no: 1, _primary_term: 1 });
      const deleted = await request('DELETE', '/docs/_doc/1?if_seq_no=1&if_primary_term=1');
      expect(deleted.json).toMatchObject({ result: 'deleted', _seq_no: 2, _version: 3 });
    });

    it('fails only the conflicting _bulk items, each with its own 409 error', async () => {
      await request('PUT', '/docs/_doc/1', { v: 1 });
      await request('PUT', '/docs/_doc/2', { v: 1 });
      const answer = await request(
        'POST',
        '/_bulk',
        ndjson(
          { index: { _index: 'docs', _id: '1', if_seq_no: 7, if_primary_term: 1 } },
          { v: 2 },
          { delete: { _index: 'docs', _id: '2', if_seq_no: 0, if_primary_term: 1 } },
          { create: { _index: 'docs', _id: '2' } },
          { v: 2 },
          { index: { _index: 'docs', _id: '3', op_type: 'create' } },
          { v: 1 },
        ),
      );
      expect(answer.status).toBe(200);
      expect(at(answer.json, 'errors')).toBe(true);
      const detail = (reason: string) => ({
        type: 'version_conflict_engine_exception',
        reason,
        index: 'docs',
        shard: '0',
        index_uuid: uuid('docs'),
      });
      expect(at(answer.json, 'items')).toEqual([
        {
          index: {
            _index: 'docs',
            _id: '1',
            status: 409,
            error: detail(
              '[1]: version conflict, required seqNo [7], primary term [1]. current document has seqNo [0] and primary term [1]',
            ),
          },
        },
        {
          delete: {
            _index: 'docs',
            _id: '2',
            status: 409,
            error: detail(
              '[2]: version conflict, required seqNo [0], primary term [1]. current document has seqNo [1] and primary term [1]',
            ),
          },
        },
        {
          create: {
            _index: 'docs',
            _id: '2',
            status: 409,
            error: detail('[2]: version conflict, document already exists (current version [1])'),
          },
        },
        {
          index: expect.objectContaining({ _id: '3', result: 'created', status: 201 }),
        },
      ]);
    });
  });

  describe('400 for a malformed pair', () => {
    const MALFORMED: Array<{ name: string; method: string; path: string; body?: unknown; json: unknown }> = [
      {
        name: 'if_seq_no without if_primary_term',
        method: 'PUT',
        path: '/docs/_doc/1?if_seq_no=0',
        json: validation('Validation Failed: 1: ifSeqNo is set, but primary term is [0];'),
      },
      {
        name: 'if_primary_term without if_seq_no',
        method: 'DELETE',
        path: '/docs/_doc/1?if_primary_term=3',
        json: validation('Validation Failed: 1: ifSeqNo is unassigned, but primary term is [3];'),
      },
      {
        name: 'op_type=create with a seq_no',
        method: 'PUT',
        path: '/docs/_doc/1?op_type=create&if_seq_no=0&if_primary_term=1',
        json: validation(
          'Validation Failed: 1: create operations do not support compare and set. use index instead;',
        ),
      },
      {
        name: 'a conditional upsert',
        method: 'POST',
        path: '/docs/_update/1?if_seq_no=0&if_primary_term=1',
        body: { doc: { v: 1 }, doc_as_upsert: true },
        json: validation(
          'Validation Failed: 1: compare and write operations can not be used with upsert;',
        ),
      },
      {
        name: 'a negative seq_no',
        method: 'PUT',
        path: '/docs/_doc/1?if_seq_no=-5&if_primary_term=1',
        json: {
          error: {
            root_cause: [
              {
                type: 'illegal_argument_exception',
                reason: 'sequence numbers must be non negative. got [-5].',
              },
            ],
            type: 'illegal_argument_exception',
            reason: 'sequence numbers must be non negative. got [-5].',
          },
          status: 400,
        },
      },
      {
        name: 'a _bulk item with if_seq_no alone (the whole bulk fails)',
        method: 'POST',
        path: '/_bulk',
        body: ndjson(
          { index: { _index: 'docs', _id: '1' } },
          { v: 1 },
          { delete: { _index: 'docs', _id: '2', if_seq_no: 1 } },
        ),
        json: validation('Validation Failed: 1: ifSeqNo is set, but primary term is [0];'),
      },
    ];

    it.each(MALFORMED)('$name', async ({ method, path, body, json }) => {
      const answer = await request(
        method,
        path,
        (body ?? (method === 'DELETE' ? undefined : { v: 1 })) as Record<string, unknown> | string | undefined,
      );
      expect(answer.json).toEqual(json);
      expect(answer.status).toBe(400);
      expect(cluster.standIn.indices.documents('docs')).toEqual([]);
    });
  });

  describe('a missing index', () => {
    const missing = (reason: string) => ({
      type: 'index_not_found_exception',
      reason,
      'resource.type': 'index_expression',
      'resource.id': 'nowhere',
      index_uuid: '_na_',
      index: 'nowhere',
    });

    it('answers GET and DELETE of a document with 404 index_not_found (no auto-create)', async () => {
      for (const method of ['GET', 'DELETE']) {
        const answer = await request(method, '/nowhere/_doc/1');
        expect(answer.status).toBe(404);
        expect(answer.json).toEqual({
          error: { root_cause: [missing('no such index [nowhere]')], ...missing('no such index [nowhere]') },
          status: 404,
        });
      }
      expect(cluster.standIn.indices.has('nowhere')).toBe(false);
    });

    it('fails a _bulk delete on a missing index as its own 404 item', async () => {
      const answer = await request('POST', '/_bulk', ndjson({ delete: { _index: 'nowhere', _id: '1' } }));
      expect(at(answer.json, 'items', 0)).toEqual({
        delete: { _index: 'nowhere', _id: '1', status: 404, error: missing('no such index [nowhere]') },
      });
      expect(cluster.standIn.indices.has('nowhere')).toBe(false);
    });
  });

  describe('refresh=wait_for', () => {
    const search = async (): Promise<unknown[]> =>
      ids(await request('POST', '/docs/_search', { query: { match_all: {} } }));

    it('makes an index, a delete and a _bulk searchable when they answer, without forced_refresh', async () => {
      await request('PUT', '/docs', {});
      const hidden = await request('PUT', '/docs/_doc/0', { v: 0 });
      expect(hidden.json).not.toHaveProperty('forced_refresh');
      expect(await search()).toEqual([]);

      const indexed = await request('PUT', '/docs/_doc/1?refresh=wait_for', { v: 1 });
      expect(indexed.status).toBe(201);
      expect(indexed.json).not.toHaveProperty('forced_refresh');
      expect(await search()).toEqual(['0', '1']);

      const bulk = await request(
        'POST',
        '/docs/_bulk?refresh=wait_for',
        ndjson({ index: { _id: '2' } }, { v: 2 }),
      );
      expect(at(bulk.json, 'items', 0, 'index')).not.toHaveProperty('forced_refresh');
      expect(await search()).toEqual(['0', '1', '2']);

      const deleted = await request('DELETE', '/docs/_doc/0?refresh=wait_for&if_seq_no=0&if_primary_term=1');
      expect(deleted.status).toBe(200);
      expect(await search()).toEqual(['1', '2']);
    });

    it('still answers forced_refresh for refresh=true', async () => {
      const forced = await request('PUT', '/docs/_doc/1?refresh=true', { v: 1 });
      expect(at(forced.json, 'forced_refresh')).toBe(true);
    });
  });
});
