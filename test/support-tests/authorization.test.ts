/**
 * The stand-in's security plugin with authorisation: users with permissions may call only what
 * their action groups grant (403 `security_exception` naming the missing actions and the user),
 * `_bulk` and `_mget` are checked per index (denied items fail alone), `_msearch` per search,
 * and users without a permission list keep the allow-all behaviour.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { StandInUser } from '../support/opensearch-stand-in/index.js';
import { at, basic, ndjson, useStandIn } from './stand-in-client.js';

const USERS: StandInUser[] = [
  { name: 'admin', password: 'admin-pw', backendRoles: [], roles: ['all_access'] },
  {
    name: 'sidecar',
    password: 'sidecar-pw',
    backendRoles: ['ml', 'ops'],
    roles: ['ml_sidecar'],
    permissions: {
      cluster: ['cluster_composite_ops', 'cluster_monitor'],
      indices: [{ patterns: ['.ml-sidecar-*'], actions: ['crud', 'create_index', 'manage'] }],
    },
  },
  {
    name: 'alice',
    password: 'alice-pw',
    backendRoles: ['readers'],
    roles: ['reader'],
    permissions: {
      cluster: ['cluster_composite_ops_ro'],
      indices: [{ patterns: ['logs-*'], actions: ['read'] }],
    },
  },
  {
    name: 'writer',
    password: 'writer-pw',
    backendRoles: [],
    roles: ['writer'],
    permissions: {
      cluster: ['indices:data/write/bulk'],
      indices: [
        { patterns: ['logs-*'], actions: ['indices:data/write/index', 'indices:data/write/bulk*'] },
      ],
    },
  },
];

const as = (name: string) => basic(name, `${name}-pw`);

const forbidden = (reason: string) => ({
  error: { root_cause: [{ type: 'security_exception', reason }], type: 'security_exception', reason },
  status: 403,
});

const ALICE = 'User [name=alice, backend_roles=[readers], requestedTenant=null]';
const SIDECAR = 'User [name=sidecar, backend_roles=[ml, ops], requestedTenant=null]';
const WRITER = 'User [name=writer, backend_roles=[], requestedTenant=null]';

describe('OpenSearch stand-in: authorisation', () => {
  const { request } = useStandIn({ security: { users: USERS } });
  const admin = as('admin');

  beforeEach(async () => {
    await request('PUT', '/logs-1/_doc/1?refresh=true', { msg: 'hello' }, admin);
    await request('PUT', '/.ml-sidecar-state', { settings: { index: { hidden: true } } }, admin);
    await request('PUT', '/.ml-sidecar-state/_doc/s1?refresh=true', { v: 1 }, admin);
  });

  const ALLOWED: Array<{ user: string; method: string; path: string; body?: unknown }> = [
    { user: 'alice', method: 'GET', path: '/logs-1/_doc/1' },
    { user: 'alice', method: 'POST', path: '/logs-*/_search', body: {} },
    { user: 'alice', method: 'POST', path: '/logs-1/_count', body: {} },
    { user: 'sidecar', method: 'PUT', path: '/.ml-sidecar-models', body: {} },
    { user: 'sidecar', method: 'PUT', path: '/.ml-sidecar-state/_mapping', body: { _meta: { v: 2 } } },
    { user: 'sidecar', method: 'GET', path: '/.ml-sidecar-state' },
    { user: 'sidecar', method: 'POST', path: '/.ml-sidecar-state/_refresh' },
    { user: 'sidecar', method: 'PUT', path: '/.ml-sidecar-state/_doc/s2?op_type=create', body: { v: 2 } },
    { user: 'sidecar', method: 'DELETE', path: '/.ml-sidecar-state/_doc/s1' },
    { user: 'sidecar', method: 'GET', path: '/_cluster/health' },
    { user: 'writer', method: 'PUT', path: '/logs-1/_doc/2', body: { msg: 'x' } },
  ];

  it.each(ALLOWED)('lets $user $method $path', async ({ user, method, path, body }) => {
    const answer = await request(method, path, body as Record<string, unknown> | undefined, as(user));
    expect(answer.status).toBeLessThan(300);
  });

  const DENIED: Array<{ user: string; method: string; path: string; body?: unknown; reason: string }> = [
    {
      user: 'alice',
      method: 'PUT',
      path: '/logs-1/_doc/2',
      body: { msg: 'x' },
      reason: `no permissions for [indices:data/write/index] and ${ALICE}`,
    },
    {
      user: 'alice',
      method: 'POST',
      path: '/.ml-sidecar-state/_search',
      body: {},
      reason: `no permissions for [indices:data/read/search] and ${ALICE}`,
    },
    {
      user: 'alice',
      method: 'POST',
      path: '/_search',
      body: {},
      reason: `no permissions for [indices:data/read/search] and ${ALICE}`,
    },
    {
      user: 'alice',
      method: 'PUT',
      path: '/logs-2',
      body: {},
      reason: `no permissions for [indices:admin/create] and ${ALICE}`,
    },
    {
      user: 'alice',
      method: 'POST',
      path: '/_bulk',
      body: ndjson({ index: { _index: 'logs-1', _id: '3' } }, {}),
      reason: `no permissions for [indices:data/write/bulk] and ${ALICE}`,
    },
    {
      user: 'alice',
      method: 'GET',
      path: '/_cluster/health',
      reason: `no permissions for [cluster:monitor/health] and ${ALICE}`,
    },
    {
      user: 'sidecar',
      method: 'GET',
      path: '/logs-1/_doc/1',
      reason: `no permissions for [indices:data/read/get] and ${SIDECAR}`,
    },
    {
      user: 'sidecar',
      method: 'PUT',
      path: '/_cluster/settings',
      body: { persistent: { 'a.b': 1 } },
      reason: `no permissions for [cluster:admin/settings/update] and ${SIDECAR}`,
    },
    {
      user: 'writer',
      method: 'PUT',
      path: '/logs-9/_doc/1',
      body: { msg: 'x' },
      reason: `no permissions for [indices:admin/create] and ${WRITER}`,
    },
    {
      user: 'writer',
      method: 'POST',
      path: '/logs-1/_update/1',
      body: { doc: { msg: 'y' } },
      reason: `no permissions for [indices:data/write/update] and ${WRITER}`,
    },
  ];

  it.each(DENIED)('refuses $user $method $path with the plugin 403', async (denial) => {
    const { user, method, path, body, reason } = denial;
    const answer = await request(method, path, body as Record<string, unknown> | undefined, as(user));
    expect(answer.json).toEqual(forbidden(reason));
    expect(answer.status).toBe(403);
  });

  it('checks _bulk per index: the denied index fails its items with 403, the others apply', async () => {
    const answer = await request(
      'POST',
      '/_bulk',
      ndjson(
        { index: { _index: '.ml-sidecar-state', _id: 's3' } },
        { v: 3 },
        { index: { _index: 'logs-1', _id: '5' } },
        { msg: 'no' },
        { delete: { _index: 'logs-1', _id: '1' } },
      ),
      as('sidecar'),
    );
    expect(at(answer.json, 'errors')).toBe(true);
    expect(at(answer.json, 'items', 0, 'index', 'status')).toBe(201);
    const error = {
      type: 'security_exception',
      reason: `no permissions for [indices:data/write/index, indices:data/write/delete, indices:data/write/bulk[s]] and ${SIDECAR}`,
    };
    expect(at(answer.json, 'items', 1)).toEqual({
      index: { _index: 'logs-1', _id: '5', status: 403, error },
    });
    expect(at(answer.json, 'items', 2)).toEqual({
      delete: { _index: 'logs-1', _id: '1', status: 403, error },
    });
  });

  it('checks _mget per index: a denied index answers an error entry', async () => {
    const answer = await request(
      'POST',
      '/_mget',
      { docs: [{ _index: 'logs-1', _id: '1' }, { _index: '.ml-sidecar-state', _id: 's1' }] },
      as('alice'),
    );
    expect(answer.status).toBe(200);
    expect(at(answer.json, 'docs', 0, 'found')).toBe(true);
    const reason = `no permissions for [indices:data/read/mget[shard]] and ${ALICE}`;
    expect(at(answer.json, 'docs', 1)).toEqual({
      _index: '.ml-sidecar-state',
      _id: 's1',
      error: { root_cause: [{ type: 'security_exception', reason }], type: 'security_exception', reason },
    });
  });

  it('checks _msearch per search', async () => {
    const answer = await request(
      'POST',
      '/_msearch',
      ndjson({ index: 'logs-1' }, {}, { index: '.ml-sidecar-state' }, {}),
      as('alice'),
    );
    expect(at(answer.json, 'responses', 0, 'status')).toBe(200);
    expect(at(answer.json, 'responses', 1)).toEqual(
      forbidden(`no permissions for [indices:data/read/search] and ${ALICE}`),
    );
  });

  it('keeps allow-all for a user without a permission list', async () => {
    expect((await request('PUT', '/_cluster/settings', { persistent: { 'a.b': 1 } }, admin)).status).toBe(200);
    expect((await request('GET', '/.ml-sidecar-state/_doc/s1', undefined, admin)).status).toBe(200);
  });
});
