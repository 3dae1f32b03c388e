/**
 * The probes in every mode: standalone, in front of a cluster that is up, down or secured, and
 * while the service starts and stops. Both answer without credentials and name no secret.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStartingApp } from '../../src/app.js';
import { ServiceProbes } from '../../src/lifecycle/service-probes.js';
import { createAuthInfoFetcher, createClusterAuthenticator } from '../../src/security/identity/index.js';
import { systemClock } from '../../src/util/clock.js';
import { buildTestApp, errorReason, type TestApp } from '../helpers/test-app.js';
import { testStoreKind } from '../helpers/test-store.js';
import { startOpenSearchStandIn, type StandIn } from '../support/opensearch-stand-in/index.js';

const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
const NOT_READY = 'The sidecar is not ready: ';

async function get(app: { request: TestApp['app']['request'] }, path: string, headers: Record<string, string> = {}) {
  const response = await app.request(path, { headers });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, text };
}

describe('standalone', () => {
  it('should be alive with its version, uptime, mode and store, and ready when the store answers', async () => {
    let now = Date.parse('2025-06-01T00:00:00Z');
    const test = await buildTestApp({ now: () => now });
    now += 61_500;
    const health = await get(test.app, '/_sidecar/health');
    expect(health).toMatchObject({ status: 200, body: { status: 'serving', version: VERSION, uptime_seconds: 61, mode: 'standalone', store: testStoreKind, key_rotation: null } });
    expect(await get(test.app, '/_sidecar/ready')).toMatchObject({ status: 200, body: { status: 'ready', checks: { store: 'ok' } } });
    const head = await test.app.request('/_sidecar/ready', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('should stop being ready at once when shutdown begins, and stay alive', async () => {
    const test = await buildTestApp();
    expect((await get(test.app, '/_sidecar/ready')).status).toBe(200);
    test.probes.stopping();
    const ready = await get(test.app, '/_sidecar/ready');
    expect(ready.status).toBe(503);
    expect(errorReason(ready.body)).toBe(`${NOT_READY}the sidecar is shutting down`);
    expect(ready.body.error.type).toBe('status_exception');
    expect(await get(test.app, '/_sidecar/health')).toMatchObject({ status: 200, body: { status: 'stopping' } });
  });
});

describe('while starting', () => {
  it('should be alive and not ready, saying why, as every other request does', async () => {
    const probes = new ServiceProbes({ version: VERSION, mode: 'proxy', store: 'cluster', clock: systemClock });
    const app = createStartingApp(probes);
    probes.starting('cannot open the state store yet: OpenSearch cluster [http://cluster:9200] is unavailable: connect ECONNREFUSED');
    expect(await get(app, '/_sidecar/health')).toMatchObject({ status: 200, body: { status: 'starting', version: VERSION, mode: 'proxy', store: 'cluster' } });
    const ready = await get(app, '/_sidecar/ready');
    expect(ready.status).toBe(503);
    const reason = `${NOT_READY}cannot open the state store yet: OpenSearch cluster [http://cluster:9200] is unavailable: connect ECONNREFUSED`;
    expect(errorReason(ready.body)).toBe(reason);
    expect(errorReason((await get(app, '/_plugins/_ml/models/_search')).body)).toBe(reason);
  });
});

describe('a master-key rotation', () => {
  it('should show in the health answer while it runs', async () => {
    let rotation: Record<string, unknown> | null = { state: 'rotating', records_to_reencrypt: 3 };
    const probes = new ServiceProbes({ version: VERSION, mode: 'standalone', store: 'sqlite', clock: systemClock, keyRotation: async () => rotation });
    const app = createStartingApp(probes);
    expect((await get(app, '/_sidecar/health')).body.key_rotation).toEqual({ state: 'rotating', records_to_reencrypt: 3 });
    rotation = null;
    expect((await get(app, '/_sidecar/health')).body.key_rotation).toBeNull();
  });
});

describe('in front of a cluster', () => {
  let cluster: StandIn;
  beforeAll(async () => {
    cluster = await startOpenSearchStandIn();
  });
  afterAll(async () => {
    await cluster.close();
  });

  it('should be ready while the cluster answers, and not ready, naming it without credentials, while it is down', async () => {
    let now = Date.now();
    const clusterUrl = cluster.url.replace('http://', 'http://sidecar:s3cret-pw@');
    const test = await buildTestApp({ clusterUrl, now: () => now });
    expect(await get(test.app, '/_sidecar/ready')).toMatchObject({ status: 200, body: { checks: { store: 'ok', cluster: 'ok' } } });
    expect(await get(test.app, '/_sidecar/health')).toMatchObject({ status: 200, body: { mode: 'proxy' } });

    await cluster.fail('down');
    // The last answer serves probes for 2 s, so the cluster is not called for every probe.
    expect((await get(test.app, '/_sidecar/ready')).status).toBe(200);
    now += 2_000;
    const down = await get(test.app, '/_sidecar/ready');
    expect(down.status).toBe(503);
    expect(errorReason(down.body)).toMatch(new RegExp(`^${NOT_READY}cluster: OpenSearch cluster \\[${cluster.url}/?\\] is unavailable: `));
    expect(down.text).not.toContain('s3cret-pw');
    expect((await get(test.app, '/_sidecar/health')).status).toBe(200);

    await cluster.fail('5xx');
    now += 2_000;
    expect(errorReason((await get(test.app, '/_sidecar/ready')).body)).toBe(`${NOT_READY}cluster: OpenSearch cluster [${cluster.url}] answered HTTP 503`);

    await cluster.recover();
    now += 2_000;
    expect((await get(test.app, '/_sidecar/ready')).status).toBe(200);
  });

  it('should answer both probes without credentials when the cluster security plugin is on, naming no secret', async () => {
    const secured = await startOpenSearchStandIn({ security: { users: [{ name: 'alice', password: 'alice-pw', backendRoles: [], roles: ['all_access'] }] } });
    try {
      const authenticator = createClusterAuthenticator({ fetchAuthInfo: createAuthInfoFetcher({ opensearchUrl: secured.url }), clock: systemClock });
      const test = await buildTestApp({ clusterUrl: secured.url, authenticator });
      // The cluster's 401 to the readiness call (which carries no credentials) proves it is up.
      const ready = await get(test.app, '/_sidecar/ready');
      expect(ready).toMatchObject({ status: 200, body: { checks: { cluster: 'ok' } } });
      const health = await get(test.app, '/_sidecar/health');
      expect(health.status).toBe(200);
      expect(`${ready.text}${health.text}`).not.toMatch(/alice|127\.0\.0\.1|password/);
      expect((await get(test.app, '/_plugins/_ml/models/_search')).status).toBe(401);
      expect((await get(test.app, '/_sidecar/other')).status).toBe(401);
    } finally {
      await secured.close();
    }
  });
});
