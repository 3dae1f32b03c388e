import { Client } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { openAiChatConnector } from '../helpers/connector-bodies.js';
import { EMULATOR_SETTINGS } from '../helpers/blueprints.js';
import { openAiChatEmulatorConnector } from '../helpers/emulator-connectors.js';
import { listen } from '../helpers/listen.js';
import { buildTestApp } from '../helpers/test-app.js';

/** The seed page's flow, driven through the official OpenSearch JavaScript client. */
describe('the seed page lifecycle through @opensearch-project/opensearch', () => {
  let server: Awaited<ReturnType<typeof listen>>;
  let client: Client;
  let emulator: Emulator;

  beforeAll(async () => {
    emulator = await startEmulator();
    server = await listen(await buildTestApp());
    client = new Client({ node: server.url });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
    await emulator.close();
  });

  it('should create a connector, register a group and a model, deploy it and find it', async () => {
    const info = await client.info();
    expect(info.body.version.distribution).toBe('opensearch');

    const settings = await client.cluster.putSettings({
      body: { persistent: { 'plugins.ml_commons.trusted_connector_endpoints_regex': ['^https://api\\.openai\\.com/.*$'] } },
    });
    expect(settings.body.acknowledged).toBe(true);

    const connector = await client.ml.createConnector({ body: openAiChatConnector() as never });
    const connectorId = connector.body.connector_id;
    expect(connectorId).toEqual(expect.any(String));

    const group = await client.ml.registerModelGroup({ body: { name: 'seed-group', description: 'seed page group' } });
    const modelGroupId = group.body.model_group_id;

    const registered = await client.ml.registerModel({
      body: {
        name: 'openAI-gpt-3.5-turbo',
        function_name: 'remote',
        model_group_id: modelGroupId,
        description: 'test model',
        connector_id: connectorId,
      } as never,
    });
    expect(registered.body.status).toBe('CREATED');
    const registerTask = await client.ml.getTask({ task_id: registered.body.task_id });
    expect(registerTask.body).toMatchObject({ task_type: 'REGISTER_MODEL', function_name: 'REMOTE', state: 'COMPLETED' });
    const modelId = registerTask.body.model_id as string;

    const deployed = await client.ml.deployModel({ model_id: modelId });
    const deployTask = await client.ml.getTask({ task_id: deployed.body.task_id });
    expect(deployTask.body).toMatchObject({ model_id: modelId, task_type: 'DEPLOY_MODEL', state: 'COMPLETED' });

    const found = await client.ml.searchModels({ body: { query: { term: { model_state: 'DEPLOYED' } } } });
    expect(found.body.hits.hits.map((hit) => hit._id)).toEqual([modelId]);
    const model = await client.ml.getModel({ model_id: modelId });
    expect(model.body).toMatchObject({ name: 'openAI-gpt-3.5-turbo', model_group_id: modelGroupId, model_state: 'DEPLOYED' });
  });

  it('should predict with client.ml.predictModel and answer the seed page output shape', async () => {
    await client.cluster.putSettings({ body: EMULATOR_SETTINGS });
    const connector = await client.ml.createConnector({ body: openAiChatEmulatorConnector(emulator.url) as never });
    const registered = await client.ml.registerModel({
      body: { name: 'chat', function_name: 'remote', connector_id: connector.body.connector_id } as never,
    });
    await client.ml.deployModel({ model_id: registered.body.model_id! });
    const predicted = await client.ml.predictModel({
      model_id: registered.body.model_id!,
      body: {
        parameters: {
          model: 'gpt-3.5-turbo',
          messages: [
            { role: 'system', content: 'You are a helpful assistant.' },
            { role: 'user', content: 'Hello!' },
          ],
        },
      } as never,
    });
    const [result] = predicted.body.inference_results as unknown as Array<{ output: Array<{ name: string; dataAsMap: any }>; status_code: number }>;
    expect(result!.status_code).toBe(200);
    expect(result!.output[0]!.name).toBe('response');
    expect(result!.output[0]!.dataAsMap).toMatchObject({
      object: 'chat.completion',
      model: expect.any(String),
      choices: [{ index: 0, message: { role: 'assistant', content: expect.any(String) }, finish_reason: 'stop' }],
      usage: { prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number), total_tokens: expect.any(Number) },
    });
  });

  it('should surface errors as the client expects them (ResponseError with the envelope)', async () => {
    const failure = await client.ml.getModel({ model_id: 'missing' }).catch((error: unknown) => error);
    expect(failure).toMatchObject({
      meta: { statusCode: 404, body: { error: { reason: 'Failed to find model with the provided model id: missing' } } },
    });
  });
});
