import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ndjson, send, startProxySetup, type ProxySetup } from '../helpers/proxy-setup.js';
import { errorReason } from '../helpers/test-app.js';

let setup: ProxySetup;

function expectClusterTimeout(response: { status: number; body: any }): void {
  expect(response.status, JSON.stringify(response.body)).toBe(504);
  expect(response.body.error.type).toBe('cluster_unavailable_exception');
  expect(errorReason(response.body)).toBe(`OpenSearch cluster [${setup.cluster.url}] did not answer within 1000 ms (OPENSEARCH_TIMEOUT_MS)`);
}
beforeAll(async () => {
  setup = await startProxySetup({ clusterTimeoutMs: 1_000 });
  await send(setup.test, 'PUT', '/_ingest/pipeline/embed', {
    processors: [{ text_embedding: { model_id: setup.embeddingModel, field_map: { text: 'v' } } }],
  });
});
afterAll(async () => setup.close());
afterEach(async () => setup.cluster.recover());

describe('a cluster outage', () => {
  it.each([
    ['GET', '/idx/_doc/1', undefined],
    ['POST', '/_bulk?pipeline=embed', ndjson({ index: { _index: 'idx' } }, { text: 'x' })],
    ['POST', '/idx/_search', { query: { neural: { v: { query_text: 'x', model_id: 'MODEL', k: 1 } } } }],
    ['GET', '/', undefined],
  ])('should answer %s %s with a 502 naming the cluster when it is down', async (method, path, body) => {
    await setup.cluster.fail('down');
    const payload = typeof body === 'object' ? JSON.parse(JSON.stringify(body).replace('MODEL', setup.embeddingModel)) : body;
    const response = await send(setup.test, method, path, payload);
    expect(response.status).toBe(502);
    expect(errorReason(response.body)).toContain(`OpenSearch cluster [${setup.cluster.url}]`);
  });

  it("should pass the cluster's own 503 through", async () => {
    await setup.cluster.fail('5xx');
    const response = await send(setup.test, 'GET', '/idx/_doc/1');
    expect(response.status).toBe(503);
    expect(response.body.error.type).toBe('cluster_block_exception');
  });

  const NEURAL = { query: { neural: { v: { query_text: 'x', model_id: 'MODEL', k: 1 } } } };
  const TIMEOUT_PATHS: ReadonlyArray<readonly [string, string, string, string | object | undefined]> = [
    ['GET', '/idx/_doc/1', 'passed through', undefined],
    ['GET', '/', 'passed through', undefined],
    ['GET', '/_cat/indices?format=json', 'passed through', undefined],
    ['PUT', '/created', 'passed through', { settings: { number_of_shards: 1 } }],
    ['POST', '/idx/_mget', 'passed through', { ids: ['1'] }],
    ['POST', '/_bulk?pipeline=embed', 'rewritten', ndjson({ index: { _index: 'idx', _id: '1' } }, { text: 'x' })],
    ['POST', '/_bulk', 'rewritten', ndjson({ index: { _index: 'idx' } }, { text: 'x' })],
    ['PUT', '/idx/_doc/1?pipeline=embed', 'rewritten', { text: 'x' }],
    ['PUT', '/idx/_doc/1', 'passed through', { text: 'x' }],
    ['POST', '/idx/_search', 'passed through', { query: { match_all: {} } }],
    ['POST', '/idx/_search', 'rewritten', NEURAL],
    ['GET', '/_cluster/settings', 'settings split', undefined],
    ['PUT', '/_cluster/settings', 'settings split', { persistent: { 'cluster.routing.allocation.enable': 'all' } }],
  ];

  it.each((['hang', 'stall-body'] as const).flatMap((mode) => TIMEOUT_PATHS.map(([method, path, route, body]) => [mode, method, path, route, body] as const)))(
    'should answer 504 naming the cluster when it does not answer in time (%s, %s %s, %s)',
    async (mode, method, path, _route, body) => {
      // With idx's settings cached, a write or search that needs no pipeline goes straight to the pass-through.
      await send(setup.test, 'POST', '/idx/_search', { query: { match_all: {} } });
      await setup.cluster.fail(mode);
      const payload = typeof body === 'object' ? JSON.parse(JSON.stringify(body).replace('MODEL', setup.embeddingModel)) : body;
      const started = Date.now();
      const response = await send(setup.test, method, path, payload);
      expect(Date.now() - started).toBeLessThan(8_000);
      expectClusterTimeout(response);
    },
  );

  it.each(['hang', 'stall-body'] as const)('should answer each search of an _msearch with a 504 naming the cluster (%s)', async (mode) => {
    await send(setup.test, 'POST', '/idx/_search', { query: { match_all: {} } });
    await setup.cluster.fail(mode);
    for (const searches of [[{}, { query: { match_all: {} } }], [{}, JSON.parse(JSON.stringify(NEURAL).replace('MODEL', setup.embeddingModel))]]) {
      const response = await send(setup.test, 'POST', '/idx/_msearch', ndjson(...searches));
      if (response.status !== 200) expectClusterTimeout(response);
      else for (const answer of response.body.responses) expectClusterTimeout({ status: answer.status, body: answer });
    }
  });

  it('should cut a passed-through answer short when the cluster stalls in the middle of it', async () => {
    await send(setup.test, 'PUT', '/idx/_doc/1', { text: 'x'.repeat(1_000) });
    await setup.cluster.fail('stall-mid-body');
    const response = await setup.test.app.request('/idx/_doc/1');
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });
});

describe('the cluster named in errors', () => {
  it('should leave out credentials the cluster URL carries', async () => {
    const { buildTestApp } = await import('../helpers/test-app.js');
    const url = new URL(setup.cluster.url);
    url.username = 'admin';
    url.password = 'cluster-secret';
    await setup.cluster.fail('down');
    const test = await buildTestApp({ clusterUrl: url.href.replace(/\/$/, ''), clusterTimeoutMs: 1_000 });
    for (const path of ['/idx/_doc/1', '/idx/_search']) {
      const response = await send(test, 'GET', path);
      expect(response.status).toBe(502);
      expect(errorReason(response.body)).toContain(`OpenSearch cluster [${setup.cluster.url}] is unavailable`);
      expect(JSON.stringify(response.body)).not.toContain('cluster-secret');
    }
  });
});

describe('credentials', () => {
  it("should pass the caller's Authorization header through to the cluster", async () => {
    const secured = await startProxySetup({ standIn: { security: { users: [{ name: 'alice', password: 'pw', backendRoles: [], roles: ['all_access'] }] } } });
    try {
      const authorization = `Basic ${Buffer.from('alice:pw').toString('base64')}`;
      const denied = await send(secured.test, 'GET', '/_cat/indices?format=json');
      expect(denied.status).toBe(401);
      expect(denied.headers.get('www-authenticate')).toContain('Basic');
      const allowed = await send(secured.test, 'PUT', '/secured/_doc/1', { a: 1 }, { authorization });
      expect(allowed.status).toBe(201);
      const bulk = await send(secured.test, 'POST', '/_bulk', ndjson({ index: { _index: 'secured', _id: '2' } }, { a: 2 }), { authorization });
      expect(bulk.status).toBe(200);
      expect(secured.cluster.requests.filter((request) => request.path.endsWith('_bulk')).every((request) => request.headers['authorization'] === authorization)).toBe(true);
    } finally {
      await secured.close();
    }
  });
});
