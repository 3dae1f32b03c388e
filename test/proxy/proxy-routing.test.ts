import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ndjson, send, startProxySetup, type ProxySetup } from '../helpers/proxy-setup.js';
import { errorReason } from '../helpers/test-app.js';

let setup: ProxySetup;
beforeAll(async () => {
  setup = await startProxySetup({ standIn: { clusterName: 'behind-the-sidecar' } });
});
afterAll(async () => setup.close());

describe('the proxy: who answers what', () => {
  it("should answer GET / with the cluster's info", async () => {
    const root = await send(setup.test, 'GET', '/');
    expect(root.status).toBe(200);
    expect(root.body.cluster_name).toBe('behind-the-sidecar');
  });

  it('should keep /_plugins/_ml/** and its pipelines to itself', async () => {
    const before = setup.cluster.requests.length;
    expect((await send(setup.test, 'GET', `/_plugins/_ml/models/${setup.embeddingModel}`)).status).toBe(200);
    expect((await send(setup.test, 'PUT', '/_ingest/pipeline/local', { processors: [{ set: { field: 'a', value: 1 } }] })).status).toBe(200);
    expect((await send(setup.test, 'PUT', '/_search/pipeline/local', { request_processors: [] })).status).toBe(200);
    expect(setup.cluster.requests.slice(before).filter((request) => !request.path.includes('_settings'))).toEqual([]);
  });

  it('should forward everything else unchanged: method, path, query, body, status and headers', async () => {
    expect((await send(setup.test, 'PUT', '/plain', { settings: { number_of_shards: 1 } })).status).toBe(200);
    const indexed = await send(setup.test, 'PUT', '/plain/_doc/1?refresh=true', { title: 'kept as is' });
    expect(indexed.status).toBe(201);
    expect(indexed.body).toMatchObject({ _index: 'plain', _id: '1', result: 'created' });
    const fetched = await send(setup.test, 'GET', '/plain/_doc/1');
    expect(fetched.body._source).toEqual({ title: 'kept as is' });
    const missing = await send(setup.test, 'GET', '/plain/_doc/404');
    expect(missing.status).toBe(404);
    const cat = await send(setup.test, 'GET', '/_cat/indices?format=json');
    expect(cat.status).toBe(200);
    const forwarded = setup.cluster.requests.find((request) => request.path === '/plain/_doc/1' && request.method === 'PUT')!;
    expect(forwarded.query).toEqual({ refresh: 'true' });
    expect(JSON.parse(forwarded.body)).toEqual({ title: 'kept as is' });
  });

  it('should split cluster settings: ml_commons keys stay here, the rest goes to the cluster, GET merges both', async () => {
    const put = await send(setup.test, 'PUT', '/_cluster/settings?flat_settings=true', {
      persistent: { 'plugins.ml_commons.model_auto_deploy.enable': false, 'cluster.routing.allocation.enable': 'all' },
    });
    expect(put.status).toBe(200);
    expect(put.body.persistent).toEqual({ 'plugins.ml_commons.model_auto_deploy.enable': 'false', 'cluster.routing.allocation.enable': 'all' });
    expect(setup.test.services.settings.get('plugins.ml_commons.model_auto_deploy.enable')).toBe(false);
    expect(setup.cluster.clusterSettings().persistent).toEqual({ 'cluster.routing.allocation.enable': 'all' });
    const get = await send(setup.test, 'GET', '/_cluster/settings?flat_settings=true');
    expect(get.body.persistent).toMatchObject({ 'cluster.routing.allocation.enable': 'all', 'plugins.ml_commons.model_auto_deploy.enable': 'false' });
    const bad = await send(setup.test, 'PUT', '/_cluster/settings', {
      persistent: { 'plugins.ml_commons.model_auto_deploy.enable': 'maybe', 'cluster.routing.allocation.enable': 'none' },
    });
    expect(bad.status).toBe(400);
    expect(setup.cluster.clusterSettings().persistent).toEqual({ 'cluster.routing.allocation.enable': 'all' });
  });

  it('should refuse an unknown ml_commons key before forwarding anything to the cluster', async () => {
    const before = setup.cluster.requests.length;
    const response = await send(setup.test, 'PUT', '/_cluster/settings', {
      persistent: { 'plugins.ml_commons.trusted_connector_endpoint_regex': ['.*'], 'cluster.routing.allocation.enable': 'primaries' },
    });
    expect(response.status).toBe(400);
    expect(errorReason(response.body)).toBe(
      'persistent setting [plugins.ml_commons.trusted_connector_endpoint_regex], not recognized, ' +
        'did you mean [plugins.ml_commons.trusted_connector_endpoints_regex]?',
    );
    expect(setup.cluster.requests.slice(before).filter((request) => request.method === 'PUT')).toEqual([]);
    expect(setup.cluster.clusterSettings().persistent['cluster.routing.allocation.enable']).not.toBe('primaries');
  });

  it('should refuse malformed bulk bodies as OpenSearch does, before the cluster sees them', async () => {
    const before = setup.cluster.requests.length;
    for (const [body, reason] of [
      ['{"index":{"_index":"x"}}\n{broken\n', 'Failed to parse request body'],
      [ndjson({ upsert: { _index: 'x' } }, { a: 1 }), 'expected field [create], [delete], [index] or [update] but found [upsert]'],
      [ndjson({ index: {} }, { a: 1 }), 'index is missing'],
      ['{"index":{"_index":"x"}}\n{"a":1}', 'must be terminated by a newline'],
    ] as const) {
      const response = await send(setup.test, 'POST', '/_bulk', body);
      expect(response.status).toBe(400);
      expect(errorReason(response.body)).toContain(reason);
    }
    expect(setup.cluster.requests.slice(before).filter((request) => request.path.endsWith('_bulk'))).toEqual([]);
  });
});
