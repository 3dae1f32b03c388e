/**
 * Rotating a provider key without downtime: the connector's credential changes while models stay
 * deployed, calls in flight finish with the key they started with, and during the provider's
 * propagation window the previous key answers for the new one.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { EMULATOR_SETTINGS } from '../helpers/blueprints.js';
import { openAiChatEmulatorConnector } from '../helpers/emulator-connectors.js';
import { buildTestApp, errorReason, type TestApp } from '../helpers/test-app.js';

const OLD_KEY = 'sk-old-0000000000000000000000';
const NEW_KEY = 'sk-new-1111111111111111111111';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ apiKeys: [OLD_KEY] });
});
beforeEach(() => {
  emulator.reset();
  emulator.setApiKeys([OLD_KEY]);
});
afterAll(async () => {
  await emulator.close();
});

async function deployedChat(test: TestApp): Promise<{ connectorId: string; predict: () => Promise<number> }> {
  await test.call('PUT', '/_cluster/settings', EMULATOR_SETTINGS);
  const connector = await test.call('POST', '/_plugins/_ml/connectors/_create', openAiChatEmulatorConnector(emulator.url, { credential: { openAI_key: OLD_KEY } }));
  const model = await test.call('POST', '/_plugins/_ml/models/_register?deploy=true', { name: 'chat', function_name: 'remote', connector_id: connector.body.connector_id });
  const predict = async () =>
    (await test.call('POST', `/_plugins/_ml/models/${model.body.model_id}/_predict`, { parameters: { messages: [{ role: 'user', content: 'hi' }] } })).status;
  return { connectorId: connector.body.connector_id, predict };
}

const keysSent = () => emulator.requests.map((request) => String(request.headers.authorization).replace('Bearer ', ''));

describe('provider credential rotation', () => {
  it('should use a new credential from the next call, with the model still deployed, while a predict loop never fails', async () => {
    const test = await buildTestApp();
    const { connectorId, predict } = await deployedChat(test);
    emulator.setApiKeys([OLD_KEY, NEW_KEY]);
    let stop = false;
    const statuses: number[] = [];
    const loop = (async () => {
      while (!stop) statuses.push(await predict());
    })();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const updated = await test.call('PUT', `/_plugins/_ml/connectors/${connectorId}`, { credential: { openAI_key: NEW_KEY } });
    expect(updated.status).toBe(200);
    emulator.clearRequests();
    await new Promise((resolve) => setTimeout(resolve, 100));
    stop = true;
    await loop;
    expect(statuses.length).toBeGreaterThan(5);
    expect(statuses.every((status) => status === 200)).toBe(true);
    // Calls that started after the update carry the new key only (the first may have been in flight).
    expect(keysSent().slice(1).every((key) => key === NEW_KEY)).toBe(true);
  });

  it('should fall back to the previous credential on a 401 while the provider propagates the new key', async () => {
    const test = await buildTestApp();
    const { connectorId, predict } = await deployedChat(test);
    // The new key is issued, not yet accepted: the update keeps the old one as previous_credential.
    const updated = await test.call('PUT', `/_plugins/_ml/connectors/${connectorId}`, { credential: { openAI_key: NEW_KEY }, keep_previous_credential: true });
    expect(updated.status).toBe(200);
    emulator.clearRequests();
    expect(await predict()).toBe(200);
    expect(keysSent()).toEqual([NEW_KEY, OLD_KEY]);

    emulator.setApiKeys([OLD_KEY, NEW_KEY]);
    emulator.clearRequests();
    expect(await predict()).toBe(200);
    expect(keysSent()).toEqual([NEW_KEY]);

    // The old key is revoked; the rotation window is closed.
    emulator.setApiKeys([NEW_KEY]);
    expect((await test.call('PUT', `/_plugins/_ml/connectors/${connectorId}`, { previous_credential: null })).status).toBe(200);
    emulator.clearRequests();
    expect(await predict()).toBe(200);
    emulator.setApiKeys([OLD_KEY]);
    const refused = await test.call('POST', `/_plugins/_ml/models/_search`, {});
    expect(refused.status).toBe(200);
    expect(await predict()).toBe(401);
  });

  it('should fall back to the previous credential for a streamed predict too', async () => {
    const test = await buildTestApp();
    const { connectorId } = await deployedChat(test);
    await test.call('PUT', '/_cluster/settings', { persistent: { 'plugins.ml_commons.stream_enabled': true } });
    const modelId = (await test.call('POST', '/_plugins/_ml/models/_search', {})).body.hits.hits[0]._id;
    await test.call('PUT', `/_plugins/_ml/connectors/${connectorId}`, { credential: { openAI_key: NEW_KEY }, keep_previous_credential: true });
    emulator.clearRequests();
    const response = await test.app.request(`/_plugins/_ml/models/${modelId}/_predict/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ parameters: { messages: [{ role: 'user', content: 'hi' }], _llm_interface: 'openai/v1/chat/completions' } }),
    });
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(text).toContain('"is_last":true');
    expect(keysSent()).toEqual([NEW_KEY, OLD_KEY]);
  });

  it('should never show either credential, and keep both encrypted', async () => {
    const test = await buildTestApp();
    const { connectorId } = await deployedChat(test);
    await test.call('PUT', `/_plugins/_ml/connectors/${connectorId}`, { credential: { openAI_key: NEW_KEY }, keep_previous_credential: true });
    const answers = [
      await test.call('GET', `/_plugins/_ml/connectors/${connectorId}`),
      await test.call('POST', '/_plugins/_ml/connectors/_search', {}),
    ];
    for (const answer of answers) {
      expect(JSON.stringify(answer.body)).not.toMatch(/"(previous_)?credential":/);
    }
    const stored = JSON.stringify(await test.store.list('.plugins-ml-connector'));
    expect(stored).toContain('"previous_credential"');
    expect(stored).not.toContain(OLD_KEY);
    expect(stored).not.toContain(NEW_KEY);
    expect(test.logs.text).not.toContain(OLD_KEY);
  });

  it('should keep an inline connector\'s previous credential out of model answers', async () => {
    const test = await buildTestApp();
    await test.call('PUT', '/_cluster/settings', EMULATOR_SETTINGS);
    const model = await test.call('POST', '/_plugins/_ml/models/_register', {
      name: 'inline', function_name: 'remote',
      connector: openAiChatEmulatorConnector(emulator.url, { credential: { openAI_key: NEW_KEY }, previous_credential: { openAI_key: OLD_KEY } }),
    });
    expect(model.status).toBe(200);
    const answers = [await test.call('GET', `/_plugins/_ml/models/${model.body.model_id}`), await test.call('POST', '/_plugins/_ml/models/_search', {})];
    for (const answer of answers) expect(JSON.stringify(answer.body)).not.toMatch(/"(previous_)?credential":/);
    emulator.clearRequests();
    const predicted = await test.call('POST', `/_plugins/_ml/models/${model.body.model_id}/_predict`, { parameters: { messages: [{ role: 'user', content: 'x' }] } });
    expect(predicted.status).toBe(200);
    expect(keysSent()).toEqual([NEW_KEY, OLD_KEY]);
  });

  it.each([
    [{ keep_previous_credential: true }, 'keep_previous_credential needs a new credential in the same update'],
    [{ previous_credential: { other: 'x' } }, 'uses ${credential.openAI_key}, but the connector previous_credential has no key [openAI_key]'],
  ])('should refuse %o', async (update, message) => {
    const test = await buildTestApp();
    const { connectorId } = await deployedChat(test);
    const answer = await test.call('PUT', `/_plugins/_ml/connectors/${connectorId}`, update);
    expect(answer.status).toBe(400);
    expect(errorReason(answer.body)).toContain(message);
  });
});
