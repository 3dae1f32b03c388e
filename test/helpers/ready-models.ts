import { TEST_API_KEY } from '../../fixtures/emulator/test-credentials.js';
import { EMULATOR_SETTINGS } from './blueprints.js';
import { openAiEmbeddingConnector, titanConnector } from './emulator-connectors.js';
import type { TestApp } from './test-app.js';

/** The chat connector the `summarize-with-chat` pipeline expects (README: "Ready-made pipelines"). */
export const summarizerConnector = (emulatorUrl: string) => ({
  name: 'OpenAI summarizer',
  version: '1',
  protocol: 'http',
  parameters: { model: 'gpt-4o-mini' },
  credential: { openAI_key: TEST_API_KEY },
  actions: [
    {
      action_type: 'predict',
      method: 'POST',
      url: `${emulatorUrl}/v1/chat/completions`,
      headers: { Authorization: 'Bearer ${credential.openAI_key}' },
      request_body:
        '{ "model": "${parameters.model}", "messages": [{"role": "system", "content": "Summarize the text in one sentence."}, {"role": "user", "content": "${parameters.text}"}] }',
    },
  ],
});

/** The Cohere text-embedding standard blueprint (no pre/post-process), as `cohere-embeddings` expects. */
export const cohereStandardConnector = (emulatorUrl: string) => ({
  name: 'Cohere embed (standard blueprint)',
  version: '1',
  protocol: 'http',
  parameters: { model: 'embed-english-v3.0', input_type: 'search_document', truncate: 'END' },
  credential: { cohere_key: TEST_API_KEY },
  actions: [
    {
      action_type: 'predict',
      method: 'POST',
      url: `${emulatorUrl}/v1/embed`,
      headers: { Authorization: 'Bearer ${credential.cohere_key}', 'Request-Source': 'unspecified:opensearch' },
      request_body:
        '{ "texts": ${parameters.texts}, "truncate": "${parameters.truncate}", "model": "${parameters.model}", "input_type": "${parameters.input_type}" }',
    },
  ],
});

/** Registers (and deploys) every model the ready-made pipelines name, against the emulator. */
export async function registerReadyModels(test: TestApp, emulatorUrl: string): Promise<Record<string, string>> {
  await test.call('PUT', '/_cluster/settings', EMULATOR_SETTINGS);
  const models: Record<string, object> = {
    'openai-embedding': openAiEmbeddingConnector(emulatorUrl),
    'bedrock-titan-embedding': titanConnector(emulatorUrl),
    'cohere-embedding': cohereStandardConnector(emulatorUrl),
    'openai-summarizer': summarizerConnector(emulatorUrl),
  };
  const ids: Record<string, string> = {};
  for (const [name, connector] of Object.entries(models)) {
    const created = await test.call('POST', '/_plugins/_ml/connectors/_create', connector);
    if (created.status !== 200) throw new Error(JSON.stringify(created.body));
    const registered = await test.call('POST', '/_plugins/_ml/models/_register?deploy=true', {
      name, function_name: 'remote', connector_id: created.body.connector_id,
    });
    ids[name] = registered.body.model_id;
  }
  return ids;
}
