/**
 * With the cluster store, the hot paths read from caches: deployed models, their group (access
 * control), settings, compiled pipelines and `name:` model references cost no cluster round trip
 * per call; a change announced by another replica is picked up at the next call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { EMULATOR_SETTINGS } from '../helpers/blueprints.js';
import { openClusterStore } from '../helpers/cluster-store.js';
import { openAiChatEmulatorConnector, openAiEmbeddingConnector } from '../helpers/emulator-connectors.js';
import { buildTestApp } from '../helpers/test-app.js';
import { startOpenSearchStandIn, type StandIn } from '../support/opensearch-stand-in/index.js';

let cluster: StandIn;
let emulator: Emulator;

beforeAll(async () => {
  cluster = await startOpenSearchStandIn();
  emulator = await startEmulator();
});

afterAll(async () => {
  await emulator.close();
  await cluster.close();
});

/** Requests the replicas sent to their state indices, polls of the generations left out. */
const stateCalls = (prefix: string, since: number) =>
  cluster.requests.slice(since).filter((request) => request.path.includes(prefix) && !request.path.endsWith('-config/_mget'));

describe('hot paths on the cluster store', () => {
  it('should predict, embed through a pipeline and resolve name: references without touching the state indices', async () => {
    const store = await openClusterStore(cluster.url, { pollIntervalMs: 60_000 });
    const test = await buildTestApp({ store });
    await test.call('PUT', '/_cluster/settings', { persistent: { ...EMULATOR_SETTINGS.persistent, 'plugins.ml_commons.model_access_control_enabled': true } });
    const chat = await test.call('POST', '/_plugins/_ml/connectors/_create', openAiChatEmulatorConnector(emulator.url));
    const model = await test.call('POST', '/_plugins/_ml/models/_register?deploy=true', { name: 'chat', function_name: 'remote', connector_id: chat.body.connector_id });
    const embedding = await test.call('POST', '/_plugins/_ml/models/_register?deploy=true', {
      name: 'embedder', function_name: 'remote', connector: openAiEmbeddingConnector(emulator.url),
    });
    expect(embedding.status).toBe(200);
    await test.call('PUT', '/_ingest/pipeline/embed', { processors: [{ text_embedding: { model_id: 'name:embedder', field_map: { text: 'v' } } }] });
    const warm = async () => {
      expect((await test.call('POST', `/_plugins/_ml/models/${model.body.model_id}/_predict`, { parameters: { messages: [{ role: 'user', content: 'x' }] } })).status).toBe(200);
      expect((await test.call('POST', '/_ingest/pipeline/embed/_simulate', { docs: [{ _source: { text: 'a' } }] })).status).toBe(200);
    };
    await warm();
    const since = cluster.requests.length;
    for (let round = 0; round < 10; round++) await warm();
    expect(stateCalls(store.layout.prefix, since)).toEqual([]);
  });

  it('should pick up another replica\'s change of a deployed model\'s connector at the next call, re-reading only then', async () => {
    const first = await openClusterStore(cluster.url, { pollIntervalMs: 50 });
    const second = await openClusterStore(cluster.url, { indexPrefix: first.layout.prefix, pollIntervalMs: 50 });
    const a = await buildTestApp({ store: first });
    const b = await buildTestApp({ store: second });
    await a.call('PUT', '/_cluster/settings', EMULATOR_SETTINGS);
    const connector = await a.call('POST', '/_plugins/_ml/connectors/_create', openAiChatEmulatorConnector(emulator.url));
    const model = await a.call('POST', '/_plugins/_ml/models/_register?deploy=true', { name: 'chat', function_name: 'remote', connector_id: connector.body.connector_id });
    const predictOnB = () => b.call('POST', `/_plugins/_ml/models/${model.body.model_id}/_predict`, { parameters: { messages: [{ role: 'user', content: 'x' }] } });
    await expect.poll(async () => (await predictOnB()).status, { timeout: 2_000 }).toBe(200);
    expect((await a.call('PUT', `/_plugins/_ml/connectors/${connector.body.connector_id}`, { parameters: { model: 'gpt-4o' } })).status).toBe(200);
    await expect.poll(async () => {
      emulator.clearRequests();
      await predictOnB();
      return (emulator.requests.at(-1)?.body as { model?: string }).model;
    }, { timeout: 2_000, interval: 20 }).toBe('gpt-4o');
    // Undeployed on A: B stops serving it from memory too (auto-deploy is off first, or B would
    // deploy it again on its next call).
    await a.call('PUT', '/_cluster/settings', { persistent: { 'plugins.ml_commons.model_auto_deploy.enable': false } });
    await expect.poll(async () => (await b.call('GET', '/_cluster/settings?flat_settings=true')).body.persistent['plugins.ml_commons.model_auto_deploy.enable'], { timeout: 2_000, interval: 20 }).toBe('false');
    await a.call('POST', `/_plugins/_ml/models/${model.body.model_id}/_undeploy`);
    await expect.poll(async () => (await predictOnB()).status, { timeout: 2_000, interval: 20 }).toBe(400);
    await first.close();
    await second.close();
  });

  it('should keep serving a deployed model from memory while the cluster is down', async () => {
    const store = await openClusterStore(cluster.url, { pollIntervalMs: 50, cacheTtlMs: 100 });
    const test = await buildTestApp({ store });
    await test.call('PUT', '/_cluster/settings', EMULATOR_SETTINGS);
    const connector = await test.call('POST', '/_plugins/_ml/connectors/_create', openAiChatEmulatorConnector(emulator.url));
    const model = await test.call('POST', '/_plugins/_ml/models/_register?deploy=true', { name: 'chat', function_name: 'remote', connector_id: connector.body.connector_id });
    const predict = () => test.call('POST', `/_plugins/_ml/models/${model.body.model_id}/_predict`, { parameters: { messages: [{ role: 'user', content: 'x' }] } });
    expect((await predict()).status).toBe(200);
    await cluster.fail('down');
    try {
      // The cache TTL passes while the cluster is down: the entry cannot be re-read, and keeps serving.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await predict()).status).toBe(200);
      const managed = await test.call('GET', `/_plugins/_ml/connectors/${connector.body.connector_id}`);
      expect(managed.status).toBe(503);
      expect(managed.body.error.reason).toContain(`OpenSearch cluster [${cluster.url}]`);
    } finally {
      await cluster.recover();
    }
    expect((await test.call('GET', `/_plugins/_ml/connectors/${connector.body.connector_id}`)).status).toBe(200);
    await store.close();
  });
});
