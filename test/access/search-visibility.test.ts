/**
 * `_search` with access control on returns only what the caller may GET, and the counts agree:
 * the filter is part of the query evaluation, so `hits.total` and paging count visible records only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { CALLERS, embeddingConnector, ok, startAccessApp, type AccessApp, type Caller } from './access-app.js';

let emulator: Emulator;
let app: AccessApp;
/** Names of the fixtures by who may see them. */
const groups: Record<string, string> = {};
const connectors: Record<string, string> = {};

beforeAll(async () => {
  emulator = await startEmulator();
  app = await startAccessApp(emulator, { model: true, connector: true });
  const setting = (on: boolean) =>
    app.as('admin')('PUT', '/_cluster/settings', {
      persistent: { 'plugins.ml_commons.model_access_control_enabled': on, 'plugins.ml_commons.connector_access_control_enabled': on },
    });
  // Made while access control was off: no owner, open to everyone.
  await setting(false);
  const legacyConnector = ok(await app.as('owner')('POST', '/_plugins/_ml/connectors/_create', embeddingConnector(emulator, { name: 'legacy' })));
  connectors['legacy'] = legacyConnector.connector_id;
  groups['legacy'] = ok(await app.as('owner')('POST', '/_plugins/_ml/model_groups/_register', { name: 'legacy' })).model_group_id;
  await setting(true);
  const fixtures: Array<[string, Caller, Record<string, unknown>, number]> = [
    // name, owner, access fields, models in the group
    ['alice-private', 'owner', { access_mode: 'private' }, 1],
    ['alice-team', 'owner', { backend_roles: ['ml-team'] }, 2],
    ['carol-finance', 'otherRole', { backend_roles: ['finance'] }, 1],
    ['root-public', 'admin', { access_mode: 'public' }, 1],
  ];
  for (const [name, owner, access, models] of fixtures) {
    const connector = ok(await app.as(owner)('POST', '/_plugins/_ml/connectors/_create', embeddingConnector(emulator, { name, ...access })));
    connectors[name] = connector.connector_id;
    const group = ok(await app.as(owner)('POST', '/_plugins/_ml/model_groups/_register', { name, ...access }));
    groups[name] = group.model_group_id;
    for (let index = 0; index < models; index++) {
      ok(
        await app.as(owner)('POST', '/_plugins/_ml/models/_register', {
          name: `${name}-model-${index}`, function_name: 'remote', model_group_id: group.model_group_id, connector_id: connector.connector_id,
        }),
      );
    }
  }
  ok(await app.as('owner')('POST', '/_plugins/_ml/models/_register', { name: 'legacy-model', function_name: 'remote', model_group_id: groups['legacy'], connector_id: connectors['legacy'] }));
});
afterAll(async () => {
  await app?.close();
  await emulator?.close();
});

/** What each caller may see: group (and connector) names, and model counts that follow from them. */
const VISIBLE: Record<Caller, string[]> = {
  owner: ['legacy', 'alice-private', 'alice-team', 'root-public'],
  sameRole: ['legacy', 'alice-team', 'root-public'],
  otherRole: ['legacy', 'carol-finance', 'root-public'],
  noRole: ['legacy', 'root-public'],
  admin: ['legacy', 'alice-private', 'alice-team', 'carol-finance', 'root-public'],
};
const MODELS_IN: Record<string, number> = { legacy: 1, 'alice-private': 1, 'alice-team': 2, 'carol-finance': 1, 'root-public': 1 };

const names = (body: any): string[] => body.hits.hits.map((hit: any) => hit._source.name).sort();

describe('search visibility per caller', () => {
  it.each(CALLERS)('as %s: model groups, connectors and models searched are exactly those GET allows', async (caller) => {
    const as = app.as(caller);
    const expected = [...VISIBLE[caller]].sort();
    const groupHits = ok(await as('POST', '/_plugins/_ml/model_groups/_search', { query: { match_all: {} }, size: 100 }));
    expect(names(groupHits)).toEqual(expected);
    expect(groupHits.hits.total.value).toBe(expected.length);
    const connectorHits = ok(await as('GET', '/_plugins/_ml/connectors/_search'));
    expect(names(connectorHits)).toEqual(expected);
    expect(connectorHits.hits.total.value).toBe(expected.length);
    const modelHits = ok(await as('POST', '/_plugins/_ml/models/_search', { size: 100 }));
    const modelCount = expected.reduce((sum, name) => sum + MODELS_IN[name]!, 0);
    expect(modelHits.hits.total.value).toBe(modelCount);
    expect(modelHits.hits.hits).toHaveLength(modelCount);
    for (const hit of modelHits.hits.hits) expect((await as('GET', `/_plugins/_ml/models/${hit._id}`)).status).toBe(200);
    for (const name of Object.keys(groups)) {
      const status = (await as('GET', `/_plugins/_ml/model_groups/${groups[name]}`)).status;
      expect(status, name).toBe(expected.includes(name) ? 200 : 403);
      expect((await as('GET', `/_plugins/_ml/connectors/${connectors[name]}`)).status, name).toBe(expected.includes(name) ? 200 : 403);
    }
  });

  it('should count only visible records with paging, queries and sorting', async () => {
    const as = app.as('sameRole');
    const page = ok(await as('POST', '/_plugins/_ml/models/_search', { size: 1, from: 0, sort: [{ 'name.keyword': 'asc' }] }));
    expect(page.hits.total.value).toBe(4);
    expect(page.hits.hits).toHaveLength(1);
    const second = ok(await as('POST', '/_plugins/_ml/models/_search', { size: 10, from: 3, sort: [{ 'name.keyword': 'asc' }] }));
    expect(second.hits.hits.map((hit: any) => hit._source.name)).toEqual(['root-public-model-0']);
    // A query for a record the caller may not see finds nothing, not a hidden hit.
    const hidden = ok(await as('POST', '/_plugins/_ml/model_groups/_search', { query: { term: { 'name.keyword': 'alice-private' } } }));
    expect(hidden.hits.total.value).toBe(0);
    const scored = ok(await as('POST', '/_plugins/_ml/model_groups/_search', { query: { match: { name: 'alice' } } }));
    expect(names(scored)).toEqual(['alice-team']);
  });
});
