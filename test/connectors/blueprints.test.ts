import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { EMULATOR_SETTINGS, loadBlueprintCases, pointAtEmulator, predictPath } from '../helpers/blueprints.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';

/** Inputs for blueprints that show no predict example: what chat, completion and embedding templates ask for. */
const SYNTHETIC_REMOTE = {
  parameters: {
    messages: [{ role: 'user', content: 'Hello!' }],
    inputs: 'What is OpenSearch?',
    prompt: 'What is OpenSearch?',
    inputText: 'hello world',
    system_prompt: 'Be brief.',
    user_prompt: 'What is OpenSearch?',
    texts: ['hello world', 'today is sunny'],
    input: ['hello world', 'today is sunny'],
  },
};
const SYNTHETIC_DOCS = { text_docs: ['hello world', 'today is sunny'] };

let emulator: Emulator;
let test: TestApp;

beforeAll(async () => {
  emulator = await startEmulator();
  test = await buildTestApp();
  expect((await test.call('PUT', '/_cluster/settings', EMULATOR_SETTINGS)).status).toBe(200);
});
afterAll(async () => {
  await emulator.close();
});

/**
 * Every published blueprint, pasted as users paste it (only the URL host and the credential
 * change), goes through create → register → deploy → predict against the provider emulator.
 */
describe.each(loadBlueprintCases())('blueprint $id', (blueprintCase) => {
  it('should create, register, deploy and predict', async () => {
    const connector = pointAtEmulator(blueprintCase.connector, emulator.url);
    const created = await test.call('POST', '/_plugins/_ml/connectors/_create', connector);
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const registered = await test.call('POST', '/_plugins/_ml/models/_register?deploy=true', {
      name: blueprintCase.id, function_name: 'remote', connector_id: created.body.connector_id,
    });
    expect(registered.status, JSON.stringify(registered.body)).toBe(200);
    const modelId = registered.body.model_id as string;

    // A blueprint document lists its connectors, then its predict examples: each example may serve any of them.
    const examples = blueprintCase.fileExamples.filter((example) => !example.path.includes('_batch_predict'));
    const hasPredictAction = connector.actions.some((action: { action_type: string }) => action.action_type === 'predict');
    if (!hasPredictAction) return;
    const calls = [
      ...examples.map((example) => ({ path: predictPath(example.path, modelId), body: example.body })),
      { path: `/_plugins/_ml/models/${modelId}/_predict`, body: SYNTHETIC_REMOTE },
      { path: `/_plugins/_ml/_predict/text_embedding/${modelId}`, body: SYNTHETIC_DOCS },
    ];
    const outcomes = [];
    for (const call of calls) {
      const response = await test.call('POST', call.path, call.body);
      expect(response.status, `${call.path} ${JSON.stringify(response.body).slice(0, 500)}`).toBeLessThan(500);
      outcomes.push(response);
    }
    const succeeded = outcomes.filter((response) => response.status === 200);
    expect(succeeded.length, JSON.stringify(outcomes.map((o) => o.body)).slice(0, 1000)).toBeGreaterThan(0);
    for (const response of succeeded) {
      expect(response.body.inference_results.length).toBeGreaterThan(0);
      for (const result of response.body.inference_results) {
        expect(result.status_code).toBe(200);
        expect(result.output.length).toBeGreaterThan(0);
        for (const tensor of result.output) {
          expect(tensor.data !== undefined || tensor.dataAsMap !== undefined || tensor.result !== undefined).toBe(true);
          if (tensor.data) expect(tensor.data.length).toBeGreaterThan(0);
        }
      }
    }
  });
});
