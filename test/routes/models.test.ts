import { describe, expect, it } from 'vitest';
import { buildTestApp, errorReason, type TestApp } from '../helpers/test-app.js';
import { OPENAI_KEY, openAiChatConnector } from '../helpers/connector-bodies.js';

const UNTRUSTED_EVIL =
  'Connector URL is not matching the trusted connector endpoint regex, URL is: https://evil.example/v1/chat/completions. ' +
  'To allow it, add a regex that fully matches it to plugins.ml_commons.trusted_connector_endpoints_regex.';

const MODELS = '/_plugins/_ml/models';

async function withConnector(test: TestApp) {
  return (await test.call('POST', '/_plugins/_ml/connectors/_create', openAiChatConnector())).body.connector_id as string;
}

describe('/_plugins/_ml/models lifecycle', () => {
  it('should register, deploy, undeploy and delete a model with tasks and states as ML Commons', async () => {
    const test = await buildTestApp({ now: () => 5_000 });
    const connectorId = await withConnector(test);
    const registered = await test.call('POST', `${MODELS}/_register`, {
      name: 'openAI-gpt-3.5-turbo', function_name: 'remote', description: 'test model', connector_id: connectorId,
    });
    expect(registered.status).toBe(200);
    expect(registered.body).toEqual({ task_id: expect.any(String), status: 'CREATED', model_id: expect.any(String) });
    const modelId = registered.body.model_id;

    const registerTask = await test.call('GET', `/_plugins/_ml/tasks/${registered.body.task_id}`);
    expect(registerTask.body).toEqual({
      model_id: modelId, task_type: 'REGISTER_MODEL', function_name: 'REMOTE', state: 'COMPLETED',
      worker_node: [expect.any(String)], create_time: 5_000, last_update_time: 5_000, is_async: false,
    });

    const model = await test.call('GET', `${MODELS}/${modelId}`);
    expect(model.body).toEqual({
      name: 'openAI-gpt-3.5-turbo', model_group_id: expect.any(String), algorithm: 'REMOTE', model_version: '1',
      description: 'test model', model_state: 'REGISTERED', created_time: 5_000, last_updated_time: 5_000,
      is_hidden: false, connector_id: connectorId,
    });
    const group = await test.call('GET', `/_plugins/_ml/model_groups/${model.body.model_group_id}`);
    expect(group.body).toMatchObject({ name: 'openAI-gpt-3.5-turbo', latest_version: 1 });

    const deployed = await test.call('POST', `${MODELS}/${modelId}/_deploy`);
    expect(deployed.body).toEqual({ task_id: expect.any(String), task_type: 'DEPLOY_MODEL', status: 'COMPLETED' });
    const deployTask = await test.call('GET', `/_plugins/_ml/tasks/${deployed.body.task_id}`);
    expect(deployTask.body).toMatchObject({ model_id: modelId, task_type: 'DEPLOY_MODEL', state: 'COMPLETED', is_async: true });
    expect((await test.call('GET', `${MODELS}/${modelId}`)).body).toMatchObject({
      model_state: 'DEPLOYED', last_deployed_time: 5_000, planning_worker_node_count: 1, current_worker_node_count: 1,
      deploy_to_all_nodes: true,
    });

    const refused = await test.call('DELETE', `${MODELS}/${modelId}`);
    expect(refused.status).toBe(400);
    expect(errorReason(refused.body)).toBe('Model cannot be deleted in deploying or deployed state. Try undeploy model first then delete');
    const connectorDelete = await test.call('DELETE', `/_plugins/_ml/connectors/${connectorId}`);
    expect(connectorDelete.status).toBe(409);
    expect(errorReason(connectorDelete.body)).toBe(
      `1 models are still using this connector, please delete or update the models first: [${modelId}]`,
    );
    // Unlike ML Commons, a connector in use by a deployed model can be updated: the model picks it up live.
    const connectorUpdate = await test.call('PUT', `/_plugins/_ml/connectors/${connectorId}`, { description: 'x' });
    expect(connectorUpdate.status).toBe(200);
    expect((await test.call('GET', `${MODELS}/${modelId}`)).body.model_state).toBe('DEPLOYED');

    const undeployed = await test.call('POST', `${MODELS}/${modelId}/_undeploy`);
    expect(Object.values(undeployed.body)).toEqual([{ stats: { [modelId]: 'undeployed' } }]);
    expect((await test.call('GET', `${MODELS}/${modelId}`)).body).toMatchObject({
      model_state: 'UNDEPLOYED', current_worker_node_count: 0, planning_worker_node_count: 0,
    });
    expect((await test.call('DELETE', `${MODELS}/${modelId}`)).body).toMatchObject({ _id: modelId, result: 'deleted' });
    expect((await test.call('DELETE', `/_plugins/_ml/connectors/${connectorId}`)).status).toBe(200);
  });

  it('should deploy at register with ?deploy=true', async () => {
    const test = await buildTestApp();
    const connectorId = await withConnector(test);
    const registered = await test.call('POST', `${MODELS}/_register?deploy=true`, {
      name: 'm', function_name: 'remote', connector_id: connectorId,
    });
    expect((await test.call('GET', `${MODELS}/${registered.body.model_id}`)).body.model_state).toBe('DEPLOYED');
    const tasks = await test.call('POST', '/_plugins/_ml/tasks/_search', { query: { term: { model_id: registered.body.model_id } } });
    expect(tasks.body.hits.hits.map((hit: any) => hit._source.task_type).sort()).toEqual(['DEPLOY_MODEL', 'REGISTER_MODEL']);
  });

  it('should version models in their group and reuse a group named after the model', async () => {
    const test = await buildTestApp();
    const connectorId = await withConnector(test);
    const register = (body: object) =>
      test.call('POST', `${MODELS}/_register`, { function_name: 'remote', connector_id: connectorId, ...body });
    const first = (await register({ name: 'same' })).body.model_id;
    const second = (await register({ name: 'same' })).body.model_id;
    const a = (await test.call('GET', `${MODELS}/${first}`)).body;
    const b = (await test.call('GET', `${MODELS}/${second}`)).body;
    expect(a.model_group_id).toBe(b.model_group_id);
    expect([a.model_version, b.model_version]).toEqual(['1', '2']);
    const group = (await test.call('POST', '/_plugins/_ml/model_groups/_register', { name: 'explicit' })).body.model_group_id;
    const concurrent = await Promise.all([1, 2, 3, 4].map(() => register({ name: 'c', model_group_id: group })));
    const versions = await Promise.all(concurrent.map(async (r) => (await test.call('GET', `${MODELS}/${r.body.model_id}`)).body.model_version));
    expect(versions.sort()).toEqual(['1', '2', '3', '4']);
    expect((await test.call('GET', `/_plugins/_ml/model_groups/${group}`)).body.latest_version).toBe(4);
  });

  it('should encrypt an inline connector, hide its credential and check its URL', async () => {
    const test = await buildTestApp();
    const registered = await test.call('POST', `${MODELS}/_register`, {
      name: 'internal', function_name: 'remote', connector: openAiChatConnector(),
    });
    expect(registered.status).toBe(200);
    const modelId = registered.body.model_id;
    const model = await test.call('GET', `${MODELS}/${modelId}`);
    expect(model.body.connector).toMatchObject({ name: 'OpenAI Chat Connector', protocol: 'http' });
    expect(model.body.connector.credential).toBeUndefined();
    const found = await test.call('POST', `${MODELS}/_search`, { query: { match_all: {} } });
    expect(found.body.hits.hits[0]._source.connector.credential).toBeUndefined();
    const stored = JSON.stringify(await test.store.get('.plugins-ml-model', modelId));
    expect(stored).not.toContain(OPENAI_KEY);
    expect(stored).toMatch(/"openAI_key":"v2:[0-9a-f]{16}:/);
    const untrusted = await test.call('POST', `${MODELS}/_register`, {
      name: 'bad', function_name: 'remote', connector: { ...openAiChatConnector(), parameters: { endpoint: 'evil.example' } },
    });
    expect(untrusted.status).toBe(400);
    expect(errorReason(untrusted.body)).toBe(UNTRUSTED_EVIL);
    const unknownKey = await test.call('POST', `${MODELS}/_register`, {
      name: 'bad', function_name: 'remote', connector: { ...openAiChatConnector(), credential: { api_key: OPENAI_KEY } },
    });
    expect(unknownKey.status).toBe(400);
    expect(errorReason(unknownKey.body)).toBe(
      'Connector action [predict] header [Authorization] uses ${credential.openAI_key}, but the connector credential has no key [openAI_key]; its keys are [api_key]',
    );
  });

  it('should update fields, move groups, and update an inline connector partially', async () => {
    const test = await buildTestApp();
    const modelId = (await test.call('POST', `${MODELS}/_register`, {
      name: 'internal', function_name: 'remote', connector: openAiChatConnector(),
      rate_limiter: { limit: 10, unit: 'minutes' },
    })).body.model_id;
    const group = (await test.call('POST', '/_plugins/_ml/model_groups/_register', { name: 'target' })).body.model_group_id;
    const updated = await test.call('PUT', `${MODELS}/${modelId}`, {
      description: 'changed', is_enabled: false, rate_limiter: { limit: '5' }, model_group_id: group,
      interface: { input: { type: 'object' } }, connector: { parameters: { model: 'gpt-4o' } },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ _index: '.plugins-ml-model', _id: modelId, result: 'updated' });
    const model = (await test.call('GET', `${MODELS}/${modelId}`)).body;
    expect(model).toMatchObject({
      description: 'changed', is_enabled: false, rate_limiter: { limit: '5', unit: 'MINUTES' }, model_group_id: group,
      model_version: '1', interface: { input: '{"type":"object"}' },
    });
    expect(model.connector.parameters).toMatchObject({ endpoint: 'api.openai.com', model: 'gpt-4o' });
    const deployed = await test.services.models.deployment.deploy(modelId, { caller: undefined });
    expect(deployed.status).toBe('COMPLETED');
    const cached = test.services.models.deployment.cache.get(modelId)!;
    expect(cached.credential).toEqual({ openAI_key: OPENAI_KEY });
  });

  it.each([
    [{ name: 'x', function_name: 'remote' }, 400, 'You must provide connector content when creating a remote model without connector id!'],
    [{ function_name: 'remote', connector_id: 'c' }, 400, 'model name is null'],
    [{ name: 'x', connector_id: 'c' }, 400, 'function_name is required'],
    [{ name: 'x', function_name: 'nonsense', connector_id: 'c' }, 400, 'Wrong function name'],
    [{ name: 'x', function_name: 'text_embedding', connector_id: 'c' }, 400, 'Only remote models can be registered'],
    [{ name: 'x', function_name: 'remote', connector_id: 'missing' }, 404, 'Failed to find connector:missing'],
    [{ name: 'x', function_name: 'remote', connector_id: 'CONNECTOR', model_group_id: 'missing' }, 404, 'Failed to find model group with the provided model group id: missing'],
    [{ name: 'x', function_name: 'remote', connector: { name: 'c', version: 1, protocol: 'http', credential: { k: 'v' }, actions: [{ action_type: 'execute', method: 'POST', url: 'https://api.openai.com/v1' }] } }, 400, 'Connector endpoint is required when creating a remote model without connector id!'],
    [{ name: 'x', function_name: 'remote', connector_id: 'CONNECTOR', rate_limiter: { limit: '-1', unit: 'SECONDS' } }, 400, 'Limit field must be a positive number.'],
    [{ name: 'x', function_name: 'remote', connector_id: 'CONNECTOR', rate_limiter: { limit: '1', unit: 'fortnights' } }, 400, 'Unknown rate limiter unit [fortnights]'],
    [{ name: 'x', function_name: 'remote', connector_id: 'CONNECTOR', interface: { input: '{not json' } }, 400, 'Invalid interface input'],
    [{ name: 'x', function_name: 'remote', connector_id: 'CONNECTOR', access_mode: 'private' }, 400, 'You cannot specify model access control parameters'],
    [{ name: 'x', function_name: 'remote', connector_id: 'CONNECTOR', surprise: true }, 400, '[model] unknown field [surprise]'],
  ])('should refuse to register %j', async (body, status, reason) => {
    const test = await buildTestApp();
    const connectorId = await withConnector(test);
    const withId = JSON.parse(JSON.stringify(body).replace('"CONNECTOR"', JSON.stringify(connectorId)));
    const response = await test.call('POST', `${MODELS}/_register`, withId);
    expect(response.status).toBe(status);
    expect(errorReason(response.body)).toContain(reason);
    expect((await test.call('POST', `${MODELS}/_search`, {})).body.hits.total.value).toBe(0);
    expect((await test.call('POST', '/_plugins/_ml/tasks/_search', {})).body.hits.total.value).toBe(0);
    expect((await test.call('POST', '/_plugins/_ml/model_groups/_search', {})).body.hits.total.value).toBe(0);
  });

  it.each([
    ['GET', '/nope', undefined, 404, 'Failed to find model with the provided model id: nope'],
    ['PUT', '/nope', { name: 'x' }, 404, 'Failed to find model to update with the provided model id: nope'],
    ['DELETE', '/nope', undefined, 404, 'Failed to find model'],
    ['POST', '/nope/_deploy', undefined, 404, 'Failed to find model'],
    ['POST', '/nope/_undeploy', undefined, 404, 'Failed to find model'],
    ['POST', '/_undeploy', {}, 400, 'Must set specific model ids to undeploy'],
    ['POST', '/_undeploy', { model_ids: ['a'], node_ids: ['n'] }, 400, "Don't allow custom deployment plan"],
    ['PUT', '/nope', '', 400, 'Update model request has empty body'],
  ])('should answer %s %s with %i', async (method, path, body, status, reason) => {
    const test = await buildTestApp();
    const response = await test.call(method, `${MODELS}${path}`, body);
    expect(response.status).toBe(status);
    expect(errorReason(response.body)).toBe(reason);
  });

  it('should report unknown ids as not_found in a bulk undeploy and mark a registered model undeployed', async () => {
    const test = await buildTestApp();
    const connectorId = await withConnector(test);
    const modelId = (await test.call('POST', `${MODELS}/_register`, { name: 'm', function_name: 'remote', connector_id: connectorId })).body.model_id;
    const response = await test.call('POST', `${MODELS}/_undeploy`, { model_ids: [modelId, 'ghost'] });
    expect(Object.values(response.body)).toEqual([{ stats: { [modelId]: 'not_found', ghost: 'not_found' } }]);
    expect((await test.call('GET', `${MODELS}/${modelId}`)).body.model_state).toBe('UNDEPLOYED');
  });

  it('should refuse connector changes that do not fit the model', async () => {
    const test = await buildTestApp();
    const connectorId = await withConnector(test);
    const standalone = (await test.call('POST', `${MODELS}/_register`, { name: 'a', function_name: 'remote', connector_id: connectorId })).body.model_id;
    const inline = (await test.call('POST', `${MODELS}/_register`, { name: 'b', function_name: 'remote', connector: openAiChatConnector() })).body.model_id;
    const cases: Array<[string, object, number, string]> = [
      [standalone, { connector: { description: 'x' } }, 400, 'Cannot update connector settings for this model. The model was created with a connector_id and does not have an inline connector.'],
      [inline, { connector_id: connectorId }, 400, 'This remote does not have a connector_id field, maybe it uses an internal connector.'],
      [standalone, { connector_id: 'ghost' }, 404, 'Failed to find connector:ghost'],
      [standalone, { connector_id: connectorId, connector: {} }, 400, 'Model cannot have both stand-alone connector and internal connector. Please check your update input body.'],
      [standalone, { model_group_id: 'ghost' }, 404, 'Failed to find the model group with the provided model group id in the update model input, MODEL_GROUP_ID: ghost'],
      [inline, { connector: { parameters: { endpoint: 'evil.example' } } }, 400, UNTRUSTED_EVIL],
      [
        inline,
        { connector: { credential: { api_key: 'k' } } },
        400,
        'Connector action [predict] header [Authorization] uses ${credential.openAI_key}, but the connector credential has no key [openAI_key]; its keys are [api_key]',
      ],
    ];
    for (const [id, body, status, reason] of cases) {
      const response = await test.call('PUT', `${MODELS}/${id}`, body);
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(errorReason(response.body)).toBe(reason);
    }
  });
});

describe('/_plugins/_ml/tasks', () => {
  it('should get, search and delete tasks', async () => {
    const test = await buildTestApp();
    const connectorId = await withConnector(test);
    const taskId = (await test.call('POST', `${MODELS}/_register`, { name: 'm', function_name: 'remote', connector_id: connectorId })).body.task_id;
    const found = await test.call('POST', '/_plugins/_ml/tasks/_search', { query: { term: { task_type: 'REGISTER_MODEL' } } });
    expect(found.body.hits.hits.map((hit: any) => hit._id)).toEqual([taskId]);
    expect((await test.call('DELETE', `/_plugins/_ml/tasks/${taskId}`)).body).toMatchObject({ _id: taskId, result: 'deleted' });
    for (const method of ['GET', 'DELETE']) {
      const response = await test.call(method, `/_plugins/_ml/tasks/${taskId}`);
      expect(response.status).toBe(404);
      expect(errorReason(response.body)).toBe('Failed to find task');
    }
  });
});
