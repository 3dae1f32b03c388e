/**
 * Index creation and mappings on the stand-in as the cluster store uses them: settings
 * (`index.hidden`, shards, `auto_expand_replicas`), mappings with `_meta`, `dynamic` and
 * disabled objects (rendered, merged and enforced as OpenSearch does), and hidden indices kept
 * out of wildcard expansion.
 */
import { describe, expect, it } from 'vitest';
import { at, ids, useStandIn } from './stand-in-client.js';

const STATE_MAPPING = {
  _meta: { schema_version: 1 },
  dynamic: 'strict',
  properties: {
    kind: { type: 'keyword' },
    updated: { type: 'date' },
    body: { type: 'object', enabled: false },
    owner: { properties: { name: { type: 'keyword' } } },
  },
};

const envelope = (type: string, reason: string, status = 400) => ({
  error: { root_cause: [{ type, reason }], type, reason },
  status,
});

describe('OpenSearch stand-in: index creation and mappings', () => {
  const cluster = useStandIn();
  const { request } = cluster;

  const createState = () =>
    request('PUT', '/.ml-sidecar-state', {
      settings: { index: { hidden: true, number_of_shards: 1, auto_expand_replicas: '0-1' } },
      mappings: STATE_MAPPING,
    });

  it('creates a hidden index and renders its settings and mapping as OpenSearch does', async () => {
    const created = await createState();
    expect(created.json).toEqual({ acknowledged: true, shards_acknowledged: true, index: '.ml-sidecar-state' });
    expect(created.headers.get('warning')).toBeNull();
    // Already in OpenSearch's rendering (dynamic as a string, object types as it writes them).
    const expected = STATE_MAPPING;
    const mapping = await request('GET', '/.ml-sidecar-state/_mapping');
    expect(mapping.json).toEqual({ '.ml-sidecar-state': { mappings: expected } });
    const index = await request('GET', '/.ml-sidecar-state?flat_settings=true');
    expect(at(index.json, '.ml-sidecar-state', 'mappings')).toEqual(expected);
    expect(at(index.json, '.ml-sidecar-state', 'settings')).toMatchObject({
      'index.hidden': 'true',
      'index.number_of_shards': '1',
      'index.auto_expand_replicas': '0-1',
      // One node: auto-expansion leaves no replica, so the index is green.
      'index.number_of_replicas': '0',
    });
    expect(at((await request('GET', '/_cluster/health')).json, 'status')).toBe('green');
  });

  it('renders dynamic as a string and drops enabled: true', async () => {
    await request('PUT', '/plain', {
      mappings: { dynamic: false, properties: { o: { enabled: true, dynamic: true, properties: {} } } },
    });
    expect(at((await request('GET', '/plain/_mapping')).json, 'plain', 'mappings')).toEqual({
      dynamic: 'false',
      properties: { o: { type: 'object', dynamic: 'true' } },
    });
  });

  it('refuses creating an existing index', async () => {
    await createState();
    const again = await createState();
    const uuid = String(cluster.standIn.indices.settings('.ml-sidecar-state')?.['index.uuid']);
    const cause = {
      type: 'resource_already_exists_exception',
      reason: `index [.ml-sidecar-state/${uuid}] already exists`,
      index_uuid: uuid,
      index: '.ml-sidecar-state',
    };
    expect(again.json).toEqual({ error: { root_cause: [cause], ...cause }, status: 400 });
  });

  it('warns when a dot-prefixed index is created without index.hidden', async () => {
    const created = await request('PUT', '/.visible', {});
    expect(created.status).toBe(200);
    expect(created.headers.get('warning')).toBe(
      `299 OpenSearch-3.3.0-0000000000000000000000000000000000000000 "index name [.visible] starts with a dot '.', in the next major version, index names starting with a dot are reserved for hidden indices and system indices"`,
    );
  });

  const BAD_SETTINGS: Array<{ name: string; settings: Record<string, unknown>; reason: string }> = [
    {
      name: 'index.hidden that is not a boolean',
      settings: { 'index.hidden': 'yes' },
      reason: 'Failed to parse value [yes] as only [true] or [false] are allowed.',
    },
    {
      name: 'auto_expand_replicas without a range',
      settings: { auto_expand_replicas: '3' },
      reason: 'failed to parse [index.auto_expand_replicas] from value: [3] at index -1',
    },
    {
      name: 'auto_expand_replicas with a bad maximum',
      settings: { auto_expand_replicas: '0-some' },
      reason: 'failed to parse [index.auto_expand_replicas] from value: [0-some] at index 1',
    },
    {
      name: 'too many shards',
      settings: { number_of_shards: 2000 },
      reason: 'Failed to parse value [2000] for setting [index.number_of_shards] must be <= 1024',
    },
  ];

  it.each(BAD_SETTINGS)('refuses $name', async ({ settings, reason }) => {
    const answer = await request('PUT', '/bad', { settings });
    expect(answer.json).toEqual(envelope('illegal_argument_exception', reason));
    expect(cluster.standIn.indices.has('bad')).toBe(false);
  });

  it('replaces _meta and adds properties with PUT _mapping', async () => {
    await createState();
    const put = await request('PUT', '/.ml-sidecar-state/_mapping', {
      _meta: { schema_version: 2 },
      properties: { tenant: { type: 'keyword' }, owner: { properties: { id: { type: 'keyword' } } } },
    });
    expect(put.json).toEqual({ acknowledged: true });
    const mapping = at((await request('GET', '/.ml-sidecar-state/_mapping')).json, '.ml-sidecar-state', 'mappings');
    expect(mapping).toEqual({
      ...STATE_MAPPING,
      _meta: { schema_version: 2 },
      properties: {
        ...STATE_MAPPING.properties,
        owner: { properties: { name: { type: 'keyword' }, id: { type: 'keyword' } } },
        tenant: { type: 'keyword' },
      },
    });
  });

  const CONFLICTS: Array<{ name: string; properties: Record<string, unknown>; reason: string }> = [
    {
      name: 'a leaf type change',
      properties: { kind: { type: 'text' } },
      reason: 'mapper [kind] cannot be changed from type [keyword] to [text]',
    },
    {
      name: 'an object becoming a leaf',
      properties: { owner: { type: 'keyword' } },
      reason: "can't merge a non object mapping [owner] with an object mapping",
    },
    {
      name: 'a leaf becoming an object',
      properties: { kind: { properties: { a: { type: 'keyword' } } } },
      reason: 'mapper [kind] cannot be changed from type [keyword] to [object]',
    },
    {
      name: 'an object becoming nested',
      properties: { owner: { type: 'nested' } },
      reason: "object mapping [owner] can't be changed from non-nested to nested",
    },
  ];

  it.each(CONFLICTS)('refuses $name with OpenSearch 400', async ({ properties, reason }) => {
    await createState();
    const answer = await request('PUT', '/.ml-sidecar-state/_mapping', { properties });
    expect(answer.json).toEqual(envelope('illegal_argument_exception', reason));
  });

  describe('documents against the mapping', () => {
    it('stores any shape in a disabled object, never searchable, always returned', async () => {
      await createState();
      for (const [id, body] of [
        ['1', { nested: { deep: [1, { x: 'y' }] }, 'dotted.key': true }],
        ['2', 'a plain string'],
        ['3', [1, 2, 3]],
      ] as const) {
        const written = await request('PUT', `/.ml-sidecar-state/_doc/${id}?refresh=wait_for`, { kind: 'k', body });
        expect(written.status).toBe(201);
      }
      const query = await request('POST', '/.ml-sidecar-state/_search', {
        query: { bool: { should: [{ exists: { field: 'body' } }, { term: { 'body.nested.deep.x': 'y' } }] } },
      });
      expect(ids(query)).toEqual([]);
      const got = await request('GET', '/.ml-sidecar-state/_doc/2');
      expect(at(got.json, '_source', 'body')).toBe('a plain string');
    });

    it('refuses a new field where dynamic is strict, at the root and inherited', async () => {
      await createState();
      const root = await request('PUT', '/.ml-sidecar-state/_doc/1', { kind: 'k', surprise: 1 });
      expect(root.json).toEqual(
        envelope(
          'strict_dynamic_mapping_exception',
          'mapping set to strict, dynamic introduction of [surprise] within [_doc] is not allowed',
        ),
      );
      const inner = await request('PUT', '/.ml-sidecar-state/_doc/1', { owner: { name: 'a', age: 3 } });
      expect(at(inner.json, 'error', 'reason')).toBe(
        'mapping set to strict, dynamic introduction of [age] within [owner] is not allowed',
      );
      const concrete = await request('PUT', '/.ml-sidecar-state/_doc/1', { owner: 'alice' });
      expect(concrete.json).toEqual(
        envelope(
          'mapper_parsing_exception',
          'object mapping for [owner] tried to parse field [owner] as object, but found a concrete value',
        ),
      );
      expect(cluster.standIn.indices.documents('.ml-sidecar-state')).toEqual([]);
    });

    it('keeps unmapped fields of a dynamic: false index in _source but unsearchable', async () => {
      await request('PUT', '/loose', { mappings: { dynamic: false, properties: { kind: { type: 'keyword' } } } });
      await request('PUT', '/loose/_doc/1?refresh=true', { kind: 'k', extra: 'x' });
      expect(ids(await request('POST', '/loose/_search', { query: { term: { kind: 'k' } } }))).toEqual(['1']);
      expect(ids(await request('POST', '/loose/_search', { query: { match: { extra: 'x' } } }))).toEqual([]);
      expect(at((await request('GET', '/loose/_doc/1')).json, '_source')).toEqual({ kind: 'k', extra: 'x' });
    });
  });

  describe('hidden indices and wildcards', () => {
    const searchIndices = async (path: string): Promise<string[]> => {
      const answer = await request('POST', path, { query: { match_all: {} } });
      const hits = at(answer.json, 'hits', 'hits');
      return Array.isArray(hits) ? [...new Set(hits.map((hit) => String(at(hit, '_index'))))].sort() : [];
    };

    it('expands wildcards to visible indices, dot-prefixed ones included', async () => {
      await createState();
      await request('PUT', '/.ml-sidecar-state/_doc/1?refresh=true', { kind: 'k' });
      await request('PUT', '/.visible/_doc/1?refresh=true', { kind: 'k' });
      await request('PUT', '/logs/_doc/1?refresh=true', { kind: 'k' });
      const CASES: Array<{ path: string; indices: string[] }> = [
        { path: '/_search', indices: ['.visible', 'logs'] },
        { path: '/*/_search', indices: ['.visible', 'logs'] },
        { path: '/.ml-*/_search', indices: ['.ml-sidecar-state'] },
        { path: '/*/_search?expand_wildcards=all', indices: ['.ml-sidecar-state', '.visible', 'logs'] },
        { path: '/*/_search?expand_wildcards=open,hidden', indices: ['.ml-sidecar-state', '.visible', 'logs'] },
        { path: '/*/_search?expand_wildcards=none', indices: [] },
        { path: '/.ml-sidecar-state/_search', indices: ['.ml-sidecar-state'] },
        { path: '/*,-logs/_search', indices: ['.visible'] },
      ];
      for (const { path, indices } of CASES) expect({ path, indices: await searchIndices(path) }).toEqual({ path, indices });
      const refused = await request('POST', '/*/_search?expand_wildcards=sideways', {});
      expect(refused.json).toEqual(envelope('illegal_argument_exception', 'No valid expand wildcard value [sideways]'));
    });

    it('hides an index once index.hidden is set on it', async () => {
      await request('PUT', '/logs/_doc/1?refresh=true', { kind: 'k' });
      expect(await searchIndices('/log*/_search')).toEqual(['logs']);
      await request('PUT', '/logs/_settings', { index: { hidden: true } });
      expect(await searchIndices('/log*/_search')).toEqual([]);
    });
  });
});
