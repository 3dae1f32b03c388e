/**
 * With security on, the service's own observability endpoints authenticate like the rest of the
 * API; with model access control on, a caller's usage report lists only the models of groups they
 * may use (a model's usage shows its id and name: another team's stay hidden), and ML Commons'
 * stats and profile stay open to every authenticated caller, as in ML Commons.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { AUTHORIZATION, embeddingConnector, ok, startAccessApp, type AccessApp } from './access-app.js';

let emulator: Emulator;
let app: AccessApp;
let modelId: string;

beforeAll(async () => {
  emulator = await startEmulator();
  app = await startAccessApp(emulator, { model: true });
  const connector = ok(await app.as('owner')('POST', '/_plugins/_ml/connectors/_create', embeddingConnector(emulator)));
  const group = ok(await app.as('owner')('POST', '/_plugins/_ml/model_groups/_register', { name: app.unique('group'), access_mode: 'private' }));
  modelId = ok(
    await app.as('owner')('POST', '/_plugins/_ml/models/_register?deploy=true', {
      name: 'embedding', function_name: 'remote', model_group_id: group.model_group_id, connector_id: connector.connector_id,
    }),
  ).model_id;
  ok(await app.as('owner')('POST', `/_plugins/_ml/_predict/text_embedding/${modelId}`, { text_docs: ['hello'] }));
});
afterAll(async () => {
  await app.close();
  await emulator.close();
});

describe('observability endpoints with security on', () => {
  it.each(['/_sidecar/metrics', '/_sidecar/usage', '/_plugins/_ml/stats', '/_plugins/_ml/profile'])('%s should need credentials', async (path) => {
    const response = await app.test.app.request(path);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('Basic');
  });

  it('should serve metrics to an authenticated caller', async () => {
    const response = await app.test.app.request('/_sidecar/metrics', { headers: { authorization: AUTHORIZATION.noRole } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(`sidecar_predict_requests_total{model="${modelId}",outcome="success"} 1`);
  });

  it.each([
    ['owner', true],
    ['admin', true],
    ['otherRole', false],
    ['noRole', false],
  ] as const)('should show the private group model usage to %s: %s', async (caller, visible) => {
    const usage = ok(await app.as(caller)('GET', '/_sidecar/usage'));
    expect(Object.keys(usage.models)).toEqual(visible ? [modelId] : []);
    expect(usage.total.requests).toBe(visible ? 1 : 0);
  });
});
