/** Shared set-up for the batching tests: an app with one model on a connector pointed at the emulator. */
import { expect } from 'vitest';
import type { Emulator } from '../../../fixtures/emulator/start-emulator.js';
import { EMULATOR_SETTINGS } from '../../helpers/blueprints.js';
import { openAiEmbeddingConnector } from '../../helpers/emulator-connectors.js';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';

/** An app with a deployed model (with `modelFields`) on `connector`; answers the app, the model id and the connector id. */
export async function appWithModel(
  connector: object,
  modelFields: Record<string, unknown> = {},
  appOptions: Parameters<typeof buildTestApp>[0] = {},
): Promise<{ test: TestApp; modelId: string; connectorId: string }> {
  const test = await buildTestApp(appOptions);
  await test.call('PUT', '/_cluster/settings', EMULATOR_SETTINGS);
  const created = await test.call('POST', '/_plugins/_ml/connectors/_create', connector);
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  const registered = await test.call('POST', '/_plugins/_ml/models/_register?deploy=true', {
    name: 'm', function_name: 'remote', connector_id: created.body.connector_id, ...modelFields,
  });
  expect(registered.status, JSON.stringify(registered.body)).toBe(200);
  return { test, modelId: registered.body.model_id, connectorId: created.body.connector_id };
}

/** The OpenAI embedding blueprint with extra `client_config` keys. */
export const openAiWith = (emulator: Emulator, clientConfig: Record<string, unknown>, parameters: Record<string, string> = {}) => {
  const connector = openAiEmbeddingConnector(emulator.url);
  return { ...connector, parameters: { ...connector.parameters, ...parameters }, client_config: clientConfig };
};

/** One text-embedding predict through the API. */
export const embed = (test: TestApp, modelId: string, texts: readonly string[]) =>
  test.call('POST', `/_plugins/_ml/_predict/text_embedding/${modelId}`, { text_docs: texts });

/** The texts each logged OpenAI embeddings request carried. */
export const sentInputs = (emulator: Emulator): string[][] =>
  emulator.requests.map((request) => (request.body as { input: string[] }).input);

/** The first component of each tensor of an answer's element, for comparing vectors cheaply. */
export const firstComponents = (element: { output: Array<{ data: number[] }> }): number[] =>
  element.output.map((tensor) => tensor.data[0]!);
