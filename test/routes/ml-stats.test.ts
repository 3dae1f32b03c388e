/**
 * ML Commons' stats and profile APIs: the shapes of `RestMLStatsAction` and `RestMLProfileAction`,
 * moved by predicts and failures on this replica.
 */
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { DurationWindow, percentile } from '../../src/models/stats/duration-window.js';
import { EMULATOR_SETTINGS } from '../helpers/blueprints.js';
import { openAiEmbeddingConnector } from '../helpers/emulator-connectors.js';
import { listen } from '../helpers/listen.js';
import { buildTestApp, errorReason, type TestApp } from '../helpers/test-app.js';

let emulator: Emulator;
let test: TestApp;
let nodeId: string;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(async () => {
  emulator.reset();
  test = await buildTestApp();
  expect((await test.call('PUT', '/_cluster/settings', EMULATOR_SETTINGS)).status).toBe(200);
  nodeId = Object.keys((await test.call('GET', '/_plugins/_ml/stats')).body.nodes)[0]!;
});

async function deployedModel(extra: Record<string, unknown> = {}): Promise<string> {
  const created = await test.call('POST', '/_plugins/_ml/connectors/_create', openAiEmbeddingConnector(emulator.url, extra));
  const registered = await test.call('POST', '/_plugins/_ml/models/_register?deploy=true', {
    name: 'embedding', function_name: 'remote', connector_id: created.body.connector_id,
  });
  return registered.body.model_id as string;
}

/** A GET with a JSON body (ML Commons' profile takes one; fetch cannot send it), over a real socket. */
async function getWithBody(path: string, body: unknown): Promise<{ status: number; body: any }> {
  const server = await listen(test);
  try {
    const response = await request(server.url + path, { method: 'GET', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    return { status: response.statusCode, body: await response.body.json() };
  } finally {
    await server.close();
  }
}

const predict = (modelId: string) => test.call('POST', `/_plugins/_ml/_predict/text_embedding/${modelId}`, { text_docs: ['hello'] });

describe('GET /_plugins/_ml/stats', () => {
  it('should answer cluster figures and this node with zero counters before any predict', async () => {
    const { body, status } = await test.call('GET', '/_plugins/_ml/stats');
    expect(status).toBe(200);
    expect(body).toEqual({
      ml_model_index_status: 'non-existent',
      ml_connector_index_status: 'non-existent',
      ml_config_index_status: 'green',
      ml_task_index_status: 'non-existent',
      ml_controller_index_status: 'non-existent',
      ml_model_count: 0,
      ml_connector_count: 0,
      nodes: {
        [nodeId]: {
          ml_jvm_heap_usage: expect.any(Number),
          ml_executing_task_count: 0,
          ml_request_count: 0,
          ml_failure_count: 0,
          ml_deployed_model_count: 0,
          ml_circuit_breaker_trigger_count: 0,
          algorithms: {},
          models: {},
        },
      },
    });
    expect(Number.isInteger(body.nodes[nodeId].ml_jvm_heap_usage)).toBe(true);
  });

  it('should count requests and failures per node, algorithm and model', async () => {
    const modelId = await deployedModel({ client_config: { max_retry_times: 0 } });
    expect((await predict(modelId)).status).toBe(200);
    expect((await predict(modelId)).status).toBe(200);
    emulator.addFault({ match: { path: '^/v1/embeddings$' }, effect: 'error', status: 500 });
    expect((await predict(modelId)).status).toBe(500);

    const { body } = await test.call('GET', '/_plugins/_ml/stats');
    expect(body).toMatchObject({ ml_model_count: 1, ml_connector_count: 1, ml_model_index_status: 'green', ml_task_index_status: 'green' });
    expect(body.nodes[nodeId]).toMatchObject({
      ml_executing_task_count: 0,
      ml_request_count: 3,
      ml_failure_count: 1,
      ml_deployed_model_count: 1,
      algorithms: { remote: { predict: { ml_action_request_count: 3, ml_action_failure_count: 1 } } },
      models: { [modelId]: { predict: { ml_action_request_count: 3, ml_action_failure_count: 1 } } },
    });
  });

  it('should not count a predict refused before it began (unknown model)', async () => {
    expect((await predict('no-such-model')).status).toBe(404);
    expect((await test.call('GET', '/_plugins/_ml/stats')).body.nodes[nodeId]).toMatchObject({ ml_request_count: 0, models: {} });
  });

  it.each([
    ['/_plugins/_ml/stats/ml_model_count', () => ({ ml_model_count: 0 })],
    ['/_plugins/_ml/stats/ML_CONNECTOR_COUNT,ml_model_count', () => ({ ml_connector_count: 0, ml_model_count: 0 })],
    ['/_plugins/_ml/stats/ml_request_count', () => ({ nodes: { [nodeId]: { ml_request_count: 0, algorithms: {}, models: {} } } })],
    [
      '/_plugins/_ml/stats/ml_model_count,ml_failure_count',
      () => ({ ml_model_count: 0, nodes: { [nodeId]: { ml_failure_count: 0, algorithms: {}, models: {} } } }),
    ],
  ])('should answer only the stats named in %s', async (path, expected) => {
    const response = await test.call('GET', path);
    expect(response.status).toBe(200);
    expect(response.body).toEqual(expected());
  });

  it('should answer for this node by id, name or _local, and leave other nodes out', async () => {
    for (const node of [nodeId, 'test-node', '_local', `other,${nodeId}`]) {
      expect(Object.keys((await test.call('GET', `/_plugins/_ml/${node}/stats`)).body.nodes)).toEqual([nodeId]);
    }
    const elsewhere = await test.call('GET', '/_plugins/_ml/some-other-node/stats/ml_request_count,ml_model_count');
    expect(elsewhere.body).toEqual({ ml_model_count: 0 });
  });

  it('should refuse an unknown stat with ML Commons message', async () => {
    const response = await test.call('GET', '/_plugins/_ml/stats/not_a_stat');
    expect(response.status).toBe(400);
    expect(errorReason(response.body)).toBe('Wrong ML cluster level stat');
  });

  it('should leave /models/{id} to the model routes', async () => {
    expect((await test.call('GET', '/_plugins/_ml/models/stats')).status).toBe(404);
  });
});

describe('GET /_plugins/_ml/profile', () => {
  it('should answer {} while no model is deployed, and for tasks (none ever runs past its request)', async () => {
    for (const path of ['/_plugins/_ml/profile', '/_plugins/_ml/profile/models', '/_plugins/_ml/profile/tasks', '/_plugins/_ml/profile/tasks/t1']) {
      expect((await test.call('GET', path)).body, path).toEqual({});
    }
  });

  it('should profile deployed models with request and inference statistics in milliseconds', async () => {
    const modelId = await deployedModel();
    const idle = await deployedModel();
    for (let round = 0; round < 3; round++) expect((await predict(modelId)).status).toBe(200);

    const { body } = await test.call('GET', '/_plugins/_ml/profile/models');
    const profile = body.nodes[nodeId].models[modelId];
    const stats = { count: 3, max: expect.any(Number), min: expect.any(Number), average: expect.any(Number), p50: expect.any(Number), p90: expect.any(Number), p99: expect.any(Number) };
    expect(profile).toEqual({
      model_state: 'DEPLOYED',
      predictor: expect.stringMatching(/^org\.opensearch\.ml\.engine\.algorithms\.remote\.RemoteModel@[0-9a-f]{8}$/),
      target_worker_nodes: [nodeId],
      worker_nodes: [nodeId],
      model_inference_stats: stats,
      predict_request_stats: stats,
    });
    expect(profile.predict_request_stats.min).toBeLessThanOrEqual(profile.predict_request_stats.max);
    expect(profile.predict_request_stats.min).toBeGreaterThan(0);
    expect(body.nodes[nodeId].models[idle]).toEqual({
      model_state: 'DEPLOYED', predictor: expect.any(String), target_worker_nodes: [nodeId], worker_nodes: [nodeId],
    });

    const one = await test.call('GET', `/_plugins/_ml/profile/models/${modelId}`);
    expect(Object.keys(one.body.nodes[nodeId].models)).toEqual([modelId]);
    const byBody = await getWithBody('/_plugins/_ml/profile', { model_ids: [idle] });
    expect(Object.keys(byBody.body.nodes[nodeId].models)).toEqual([idle]);
  });

  it('should keep the last plugins.ml_commons.monitoring_request_count requests', async () => {
    await test.call('PUT', '/_cluster/settings', { persistent: { 'plugins.ml_commons.monitoring_request_count': 2 } });
    const modelId = await deployedModel();
    for (let round = 0; round < 4; round++) await predict(modelId);
    const profile = (await test.call('GET', `/_plugins/_ml/profile/models/${modelId}`)).body.nodes[nodeId].models[modelId];
    expect(profile.predict_request_stats.count).toBe(2);
    await test.call('PUT', '/_cluster/settings', { persistent: { 'plugins.ml_commons.monitoring_request_count': 0 } });
    const cleared = (await test.call('GET', `/_plugins/_ml/profile/models/${modelId}`)).body.nodes[nodeId].models[modelId];
    expect(cleared.predict_request_stats).toBeUndefined();
  });

  it('should answer the model-centric view with ?view=model', async () => {
    const modelId = await deployedModel();
    await predict(modelId);
    const { body } = await test.call('GET', `/_plugins/_ml/profile/models/${modelId}?view=model`);
    expect(body).toEqual({
      models: {
        [modelId]: {
          target_worker_nodes: [nodeId],
          worker_nodes: [nodeId],
          nodes: { [nodeId]: { model_state: 'DEPLOYED', predictor: expect.any(String), model_inference_stats: expect.any(Object), predict_request_stats: expect.any(Object) } },
        },
      },
    });
  });

  it('should refuse an unknown body field', async () => {
    const response = await getWithBody('/_plugins/_ml/profile', { model_idz: ['x'] });
    expect(response.status).toBe(400);
  });
});

describe('DurationWindow', () => {
  it('should give ML Commons documented profile figures (p50/p90/p99 by linear interpolation)', () => {
    const window = new DurationWindow();
    window.add(89.978681, 100);
    window.add(5.402, 100);
    expect(window.stats(100)).toEqual({ count: 2, max: 89.978681, min: 5.402, average: 47.6903405, p50: 47.6903405, p90: 81.5210129, p99: expect.closeTo(89.13291419, 8) });
  });

  it('should keep the newest samples when full, and when the capacity shrinks or grows', () => {
    const window = new DurationWindow();
    for (const value of [1, 2, 3, 4, 5]) window.add(value, 3);
    expect(window.stats(3)).toMatchObject({ count: 3, min: 3, max: 5 });
    expect(window.stats(2)).toMatchObject({ count: 2, min: 4, max: 5 });
    window.add(6, 4);
    window.add(7, 4);
    window.add(8, 4);
    expect(window.stats(4)).toMatchObject({ count: 4, min: 5, max: 8 });
    expect(window.stats(0)).toBeUndefined();
  });

  it.each([
    [[7], 0.99, 7],
    [[1, 2, 3, 4], 0.5, 2.5],
    [[10, 20, 30], 0.9, 28],
  ])('percentile(%j, %d) = %d', (values, fraction, expected) => {
    expect(percentile(values, fraction)).toBeCloseTo(expected, 10);
  });
});
