import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { embedText } from '../../fixtures/emulator/embeddings.js';
import { TEST_API_KEY } from '../../fixtures/emulator/test-credentials.js';
import { EMULATOR_SETTINGS } from '../helpers/blueprints.js';
import {
  cohereRerankConnector,
  openAiChatEmulatorConnector,
  openAiEmbeddingConnector,
  titanConnector,
} from '../helpers/emulator-connectors.js';
import { buildTestApp, errorReason, type TestApp } from '../helpers/test-app.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => emulator.close());
afterEach(() => {
  emulator.clearFaults();
  emulator.clearRequests();
});

async function appWithModel(connector: object, register: Record<string, unknown> = {}, deploy = true): Promise<{ test: TestApp; modelId: string }> {
  const test = await buildTestApp();
  await test.call('PUT', '/_cluster/settings', EMULATOR_SETTINGS);
  const created = await test.call('POST', '/_plugins/_ml/connectors/_create', connector);
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  const registered = await test.call('POST', `/_plugins/_ml/models/_register${deploy ? '?deploy=true' : ''}`, {
    name: 'm', function_name: 'remote', connector_id: created.body.connector_id, ...register,
  });
  expect(registered.status, JSON.stringify(registered.body)).toBe(200);
  return { test, modelId: registered.body.model_id };
}

describe('predict', () => {
  it('should answer the seed page shape for a chat model, with the trailing slash too', async () => {
    const { test, modelId } = await appWithModel(openAiChatEmulatorConnector(emulator.url));
    for (const path of [`/_plugins/_ml/models/${modelId}/_predict`, `/_plugins/_ml/models/${modelId}/_predict/`]) {
      const response = await test.call('POST', path, {
        parameters: { messages: [{ role: 'system', content: 'You are a helpful assistant.' }, { role: 'user', content: 'Hello!' }] },
      });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        inference_results: [
          {
            output: [{ name: 'response', dataAsMap: expect.objectContaining({ object: 'chat.completion', choices: expect.any(Array) }) }],
            status_code: 200,
          },
        ],
      });
      expect(response.body.inference_results[0].output[0].dataAsMap.choices[0].message.content).toContain('Hello!');
    }
    const sent = emulator.requests.at(-1)!;
    expect(sent.headers['authorization']).toBe('Bearer test-key');
    expect(sent.body).toEqual({ model: 'gpt-3.5-turbo', messages: [{ role: 'system', content: 'You are a helpful assistant.' }, { role: 'user', content: 'Hello!' }] });
  });

  it('should embed text docs in one OpenAI call with one tensor per doc, through every predict path', async () => {
    const { test, modelId } = await appWithModel(openAiEmbeddingConnector(emulator.url));
    const docs = ['hello world', 'today is sunny', 'a third text'];
    for (const [path, body] of [
      [`/_plugins/_ml/_predict/text_embedding/${modelId}`, { text_docs: docs }],
      [`/_plugins/_ml/models/${modelId}/_predict?algorithm=text_embedding`, { text_docs: docs }],
    ] as const) {
      emulator.clearRequests();
      const response = await test.call('POST', path, body);
      expect(response.status).toBe(200);
      expect(emulator.requests).toHaveLength(1);
      const [result] = response.body.inference_results;
      expect(response.body.inference_results).toHaveLength(1);
      expect(result.output.map((tensor: any) => tensor.name)).toEqual(['sentence_embedding', 'sentence_embedding', 'sentence_embedding']);
      expect(result.output[0]).toMatchObject({ data_type: 'FLOAT32', shape: [1536] });
      expect(result.output[1].data[0]).toBeCloseTo(embedText('today is sunny', 1536)[0]!, 5);
    }
  });

  it('should send one Bedrock call per doc, signed with SigV4, and keep the order', async () => {
    const { test, modelId } = await appWithModel(titanConnector(emulator.url));
    const response = await test.call('POST', `/_plugins/_ml/_predict/text_embedding/${modelId}`, { text_docs: ['first "doc"', 'second\ndoc'] });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.inference_results).toHaveLength(2);
    expect(emulator.requests.map((request) => (request.body as { inputText: string }).inputText).sort()).toEqual(['first "doc"', 'second\ndoc']);
    expect(emulator.requests[0]!.headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAEMULATORTEST0000\/\d{8}\/us-east-1\/bedrock\/aws4_request/);
    expect(response.body.inference_results[0].output[0].data[0]).toBeCloseTo(embedText('first "doc"', 1536)[0]!, 5);
    expect(response.body.inference_results[1].output[0].data[0]).toBeCloseTo(embedText('second\ndoc', 1536)[0]!, 5);
  });

  it('should pass AWS signature failures through with the remote status', async () => {
    const { test, modelId } = await appWithModel(titanConnector(emulator.url, 'wrong-secret'));
    const response = await test.call('POST', `/_plugins/_ml/models/${modelId}/_predict`, { parameters: { inputText: 'x' } });
    expect(response.status).toBe(403);
    expect(errorReason(response.body)).toMatch(/^Error from remote service: .*signature/);
    expect(JSON.stringify(response.body)).not.toContain('wrong-secret');
  });

  it('should honour input_docs_processed_step_size', async () => {
    const connector = openAiEmbeddingConnector(emulator.url);
    const { test, modelId } = await appWithModel({ ...connector, parameters: { ...connector.parameters, input_docs_processed_step_size: 2 } });
    const response = await test.call('POST', `/_plugins/_ml/_predict/text_embedding/${modelId}`, { text_docs: ['a', 'b', 'c', 'd', 'e'] });
    expect(response.body.inference_results.map((result: any) => result.output.length)).toEqual([2, 2, 1]);
    expect(emulator.requests).toHaveLength(3);
  });

  it('should rerank with text_similarity, one score per document in document order', async () => {
    const { test, modelId } = await appWithModel(cohereRerankConnector(emulator.url));
    const response = await test.call('POST', `/_plugins/_ml/_predict/text_similarity/${modelId}`, {
      query_text: 'what is the capital of france', text_docs: ['bananas are yellow', 'paris is the capital of france'],
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const scores = response.body.inference_results[0].output.map((tensor: any) => tensor.data[0]);
    expect(response.body.inference_results[0].output[0]).toMatchObject({ name: 'similarity', shape: [1] });
    expect(scores[1]).toBeGreaterThan(scores[0]);
  });

  it.each([
    ['a 400', { effect: 'error', status: 400 }, 400, /^Error from remote service: \{/],
    ['a 429 (after retries)', { effect: 'throttle', times: 'unlimited' }, 429, /^Error from remote service: .*rate_limit_exceeded/],
    ['a 503', { effect: 'error', status: 503, times: 'unlimited' }, 503, /^Error from remote service/],
    ['an empty 200', { effect: 'empty', times: 'unlimited' }, 502, /^Remote service returned empty response body$/],
    ['garbage', { effect: 'garbage', times: 'unlimited' }, 502, /not JSON/],
    ['JSON nested 100,000 deep', { effect: 'garbage', body: `${'{"a":['.repeat(100_000)}1${']}'.repeat(100_000)}`, times: 'unlimited' }, 502, /^Remote service returned a response nested deeper than 1000 levels$/],
    ['an array nested 100,000 deep', { effect: 'garbage', body: `${'['.repeat(100_000)}${']'.repeat(100_000)}`, times: 'unlimited' }, 502, /^Remote service returned a response nested deeper than 1000 levels$/],
    ['a dropped connection', { effect: 'drop', times: 'unlimited' }, 500, /^Error communicating with remote model: /],
  ])('should map %s as ML Commons does', async (_case, fault, status, reason) => {
    const { test, modelId } = await appWithModel(openAiEmbeddingConnector(emulator.url, { client_config: { max_retry_times: 0 } }));
    emulator.addFault(fault as never);
    const response = await test.call('POST', `/_plugins/_ml/_predict/text_embedding/${modelId}`, { text_docs: ['x'] });
    expect(response.status).toBe(status);
    expect(errorReason(response.body)).toMatch(reason);
  });

  it('should answer a provider error exactly as ML Commons does, with an echoed key scrubbed', async () => {
    const { test, modelId } = await appWithModel(openAiEmbeddingConnector(emulator.url, { client_config: { max_retry_times: 0 } }));
    emulator.addFault({ effect: 'error', status: 401, body: { error: { message: `Incorrect API key provided: ${TEST_API_KEY}xyz` } } });
    const response = await test.call('POST', `/_plugins/_ml/_predict/text_embedding/${modelId}`, { text_docs: ['x'] });
    const reason = 'Error from remote service: {"error":{"message":"Incorrect API key provided: [REDACTED]xyz"}}';
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      error: { root_cause: [{ type: 'status_exception', reason }], type: 'status_exception', reason },
      status: 401,
    });
  });

  it('should keep the remote status visible when post-processing fails', async () => {
    const connector = openAiEmbeddingConnector(emulator.url);
    connector.actions[0]!.post_process_function = 'connector.post_process.cohere.embedding';
    const { test, modelId } = await appWithModel(connector);
    const response = await test.call('POST', `/_plugins/_ml/_predict/text_embedding/${modelId}`, { text_docs: ['x'] });
    expect(response.status).toBe(400);
    expect(errorReason(response.body)).toMatch(/^Failed to process the response of the remote model \(remote status 200\): /);
    expect(response.body.error.remote_status).toBe(200);
  });

  it('should refuse a disabled model with 403 and call nothing', async () => {
    const { test, modelId } = await appWithModel(openAiEmbeddingConnector(emulator.url), { is_enabled: false });
    const response = await test.call('POST', `/_plugins/_ml/_predict/text_embedding/${modelId}`, { text_docs: ['x'] });
    expect(response.status).toBe(403);
    expect(errorReason(response.body)).toBe('Model is disabled.');
    expect(emulator.requests).toHaveLength(0);
  });

  it('should auto-deploy on predict when allowed, and refuse when not', async () => {
    const { test, modelId } = await appWithModel(openAiEmbeddingConnector(emulator.url), {}, false);
    const auto = await test.call('POST', `/_plugins/_ml/_predict/text_embedding/${modelId}`, { text_docs: ['x'] });
    expect(auto.status).toBe(200);
    expect((await test.call('GET', `/_plugins/_ml/models/${modelId}`)).body.model_state).toBe('DEPLOYED');

    await test.call('POST', `/_plugins/_ml/models/${modelId}/_undeploy`);
    await test.call('PUT', '/_cluster/settings', { persistent: { 'plugins.ml_commons.model_auto_deploy.enable': false } });
    const refused = await test.call('POST', `/_plugins/_ml/_predict/text_embedding/${modelId}`, { text_docs: ['x'] });
    expect(refused.status).toBe(400);
    expect(errorReason(refused.body)).toBe(`Model not ready yet. Please run this first: POST /_plugins/_ml/models/${modelId}/_deploy`);

    await test.call('PUT', '/_cluster/settings', { persistent: { 'plugins.ml_commons.model_auto_deploy.enable': true } });
    await test.call('PUT', `/_plugins/_ml/models/${modelId}`, { deploy_setting: { is_auto_deploy_enabled: false } });
    const perModel = await test.call('POST', `/_plugins/_ml/_predict/text_embedding/${modelId}`, { text_docs: ['x'] });
    expect(errorReason(perModel.body)).toBe('Auto deployment disabled for this model, please deploy model first');
  });

  it('should throttle at model level with the rate limiter', async () => {
    const { test, modelId } = await appWithModel(openAiEmbeddingConnector(emulator.url), { rate_limiter: { limit: '2', unit: 'MINUTES' } });
    const statuses = [];
    for (let index = 0; index < 4; index++) {
      statuses.push((await test.call('POST', `/_plugins/_ml/_predict/text_embedding/${modelId}`, { text_docs: ['x'] })).status);
    }
    expect(statuses).toEqual([200, 200, 429, 429]);
    const throttled = await test.call('POST', `/_plugins/_ml/_predict/text_embedding/${modelId}`, { text_docs: ['x'] });
    expect(errorReason(throttled.body)).toBe('Request is throttled at model level.');
    expect(emulator.requests).toHaveLength(2);
  });

  it('should validate remote input against the interface before any call', async () => {
    const schema = { type: 'object', properties: { parameters: { type: 'object', required: ['messages'] } }, required: ['parameters'] };
    const { test, modelId } = await appWithModel(openAiChatEmulatorConnector(emulator.url), { interface: { input: schema } });
    const refused = await test.call('POST', `/_plugins/_ml/models/${modelId}/_predict`, { parameters: { prompt: 'x' } });
    expect(refused.status).toBe(400);
    expect(errorReason(refused.body)).toMatch(/^Error validating input schema, if you think this is expected, please update your 'input' field in the 'interface' field for this model: /);
    expect(emulator.requests).toHaveLength(0);
    const accepted = await test.call('POST', `/_plugins/_ml/models/${modelId}/_predict`, { parameters: { messages: [{ role: 'user', content: 'hi' }] } });
    expect(accepted.status).toBe(200);
  });

  it('should re-check the trusted endpoint against the URL resolved with request parameters', async () => {
    const connector = openAiChatEmulatorConnector(emulator.url);
    connector.actions[0]!.url = 'http://${parameters.host}/v1/chat/completions';
    const { test, modelId } = await appWithModel({ ...connector, parameters: { ...connector.parameters, host: emulator.url.slice(7) } });
    const response = await test.call('POST', `/_plugins/_ml/models/${modelId}/_predict`, {
      parameters: { host: 'evil.example', messages: [] },
    });
    expect(response.status).toBe(400);
    expect(errorReason(response.body)).toBe(
      'Connector URL is not matching the trusted connector endpoint regex, URL is: http://evil.example/v1/chat/completions. ' +
        'To allow it, add a regex that fully matches it to plugins.ml_commons.trusted_connector_endpoints_regex.',
    );
    expect(emulator.requests).toHaveLength(0);
  });

  it('should name the URL, its query redacted, and the setting when the provider is on a private address', async () => {
    const connector = openAiChatEmulatorConnector(emulator.url);
    connector.actions[0]!.url = `${emulator.url}/v1/chat/completions?key=\${parameters.key}`;
    const { test, modelId } = await appWithModel(connector);
    await test.call('PUT', '/_cluster/settings', { persistent: { 'plugins.ml_commons.connector.private_ip_enabled': false } });
    const response = await test.call('POST', `/_plugins/_ml/models/${modelId}/_predict`, {
      parameters: { key: 'AIzaSECRET', messages: [] },
    });
    expect(response.status).toBe(400);
    expect(errorReason(response.body)).toBe(
      `Remote inference host name has private ip address: 127.0.0.1, URL is: ${emulator.url}/v1/chat/completions?key=***. ` +
        'To let connectors reach private addresses, set plugins.ml_commons.connector.private_ip_enabled to true.',
    );
    expect(emulator.requests).toHaveLength(0);
  });

  it('should hold a private provider to trusted_connector_private_endpoints_regex when it is set', async () => {
    const { test, modelId } = await appWithModel(openAiChatEmulatorConnector(emulator.url));
    const setPrivateEndpoints = (regexes: string[]) =>
      test.call('PUT', '/_cluster/settings', { persistent: { 'plugins.ml_commons.trusted_connector_private_endpoints_regex': regexes } });
    const predict = () => test.call('POST', `/_plugins/_ml/models/${modelId}/_predict`, { parameters: { messages: [{ role: 'user', content: 'hi' }] } });
    expect((await setPrivateEndpoints(['^http://127\\.0\\.0\\.1:1/.*$'])).status).toBe(200);
    const refused = await predict();
    expect(refused.status).toBe(400);
    expect(errorReason(refused.body)).toMatch(/^Connector URL is not matching the trusted connector private endpoint regex, URL is: /);
    expect(emulator.requests).toHaveLength(0);
    await setPrivateEndpoints(['^http://127\\.0\\.0\\.1:[0-9]+/v1/.*$']);
    expect((await predict()).status).toBe(200);
  });

  it('should name the missing parameter when a predict parameter is misspelled', async () => {
    const { test, modelId } = await appWithModel(openAiChatEmulatorConnector(emulator.url));
    const response = await test.call('POST', `/_plugins/_ml/models/${modelId}/_predict`, {
      parameters: { mesages: [{ role: 'user', content: 'Hello!' }] },
    });
    expect(response.status).toBe(400);
    expect(errorReason(response.body)).toBe('Some parameter placeholder not filled in payload: messages');
    expect(emulator.requests).toHaveLength(0);
  });

  it.each([
    `/_plugins/_ml/models/{id}/_predict`,
    `/_plugins/_ml/_predict/remote/{id}`,
  ])('should say text_docs needs ?algorithm=text_embedding on %s', async (template) => {
    const { test, modelId } = await appWithModel(openAiEmbeddingConnector(emulator.url));
    const response = await test.call('POST', template.replace('{id}', modelId), { text_docs: ['hello'] });
    expect(response.status).toBe(400);
    expect(errorReason(response.body)).toBe(
      '[predict] unknown field [text_docs]: a remote predict takes {"parameters": {...}}; to send text_docs, add ' +
        '?algorithm=text_embedding (or sparse_encoding) to /_plugins/_ml/models/{model_id}/_predict, or use ' +
        'POST /_plugins/_ml/_predict/text_embedding/{model_id}',
    );
    expect(emulator.requests).toHaveLength(0);
  });

  it.each([
    [{}, 'request body is required', ''],
    [{ text_docs: 'x' }, '[predict] field [text_docs] must be of type array', 'text_embedding'],
    [{ query_text: 'q' }, '[predict] missing required field [text_docs]', 'text_similarity'],
    [{ parameters: {} }, 'Unsupported algorithm [kmeans]', 'kmeans'],
  ])('should refuse bad predict input %j', async (body, reason, algorithm) => {
    const { test, modelId } = await appWithModel(openAiEmbeddingConnector(emulator.url));
    const path = algorithm ? `/_plugins/_ml/_predict/${algorithm}/${modelId}` : `/_plugins/_ml/models/${modelId}/_predict`;
    const response = await test.call('POST', path, algorithm ? body : '');
    expect(response.status).toBe(400);
    expect(errorReason(response.body)).toContain(reason);
  });

  it('should answer 404 for an unknown model', async () => {
    const test = await buildTestApp();
    const response = await test.call('POST', '/_plugins/_ml/models/ghost/_predict', { parameters: {} });
    expect(response.status).toBe(404);
    expect(errorReason(response.body)).toBe('Failed to find model with the provided model id: ghost');
  });
});
