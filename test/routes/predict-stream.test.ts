/**
 * `POST /_plugins/_ml/models/{id}/_predict/stream`: ML Commons' streaming frames for every provider
 * that streams, with predict's guards, checks and errors before the first byte and an error frame
 * after it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { EMULATOR_SETTINGS } from '../helpers/blueprints.js';
import { answerOf, framesOf, STREAMING_PROVIDERS } from '../helpers/streaming-connectors.js';
import { metricValue } from '../helpers/metrics-text.js';
import { openAiChatEmulatorConnector } from '../helpers/emulator-connectors.js';
import { buildTestApp, errorReason, type TestApp } from '../helpers/test-app.js';

let emulator: Emulator;
let test: TestApp;
const models: Record<string, string> = {};

const register = async (name: string, connector: object): Promise<string> => {
  const created = await test.call('POST', '/_plugins/_ml/connectors/_create', connector);
  if (created.status !== 200) throw new Error(JSON.stringify(created.body));
  return (await test.call('POST', '/_plugins/_ml/models/_register?deploy=true', { name, function_name: 'remote', connector_id: created.body.connector_id })).body.model_id;
};

beforeAll(async () => {
  emulator = await startEmulator();
  test = await buildTestApp();
  await test.call('PUT', '/_cluster/settings', { persistent: { ...EMULATOR_SETTINGS.persistent, 'plugins.ml_commons.stream_enabled': true } });
  for (const [name, provider] of Object.entries(STREAMING_PROVIDERS)) models[name] = await register(name, provider.connector(emulator.url));
});
afterAll(async () => emulator.close());
afterEach(() => {
  emulator.clearFaults();
  emulator.setStreamDelay(0);
});

const stream = async (model: string, parameters: Record<string, unknown>) => {
  const response = await test.app.request(`/_plugins/_ml/models/${model}/_predict/stream`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ parameters }),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
};

describe('_predict/stream', () => {
  it.each(Object.entries(STREAMING_PROVIDERS))('should stream %s answers in ML Commons frames', async (name, provider) => {
    emulator.clearRequests();
    const answer = await stream(models[name]!, provider.parameters('What is OpenSearch? __emulator_tokens_5__'));
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/event-stream');
    const frames = framesOf(answer.text);
    expect(frames.length).toBeGreaterThan(6);
    expect(frames.at(-1)).toEqual({ inference_results: [{ output: [{ name: 'response', dataAsMap: { content: '', is_last: true } }] }] });
    expect(frames.slice(0, -1).every((frame) => frame.inference_results?.[0]?.output[0]?.dataAsMap.is_last === false)).toBe(true);
    expect(answerOf(frames)).toBe('Emulated reply to: What is OpenSearch? __emulator_tokens_5__ token1 token2 token3 token4 token5');
    expect(emulator.requests.map((request) => request.route)).toEqual([provider.route]);
  });

  it('should ask OpenAI and Cohere for a stream in the body, Bedrock at its streaming operation', async () => {
    emulator.clearRequests();
    await stream(models['OpenAI chat completions']!, STREAMING_PROVIDERS['OpenAI chat completions'].parameters('hi'));
    await stream(models['Bedrock Converse']!, STREAMING_PROVIDERS['Bedrock Converse'].parameters('hi'));
    expect(emulator.requests[0]?.body).toMatchObject({ stream: true, model: 'gpt-3.5-turbo' });
    expect(emulator.requests[1]?.path).toBe('/model/anthropic.claude-3-sonnet-20240229-v1:0/converse-stream');
  });

  it('should find the stream format from the connector URL without _llm_interface, and refuse an unknown one', async () => {
    const inferred = await stream(models['OpenAI chat completions']!, { messages: [{ role: 'user', content: 'hi' }] });
    expect(answerOf(framesOf(inferred.text))).toBe('Emulated reply to: hi');
    const unknown = await stream(models['OpenAI chat completions']!, { messages: [], _llm_interface: 'acme/v9/chat' });
    expect(unknown.status).toBe(400);
    expect(errorReason(JSON.parse(unknown.text))).toMatch(/^Unsupported LLM interface: acme\/v9\/chat\. Supported: \[openai\/v1\/chat\/completions, /);
  });

  it('should answer with an error frame when the provider fails mid-stream', async () => {
    emulator.addFault({ effect: 'stream_error', afterFrames: 3 });
    const openAi = framesOf((await stream(models['OpenAI chat completions']!, STREAMING_PROVIDERS['OpenAI chat completions'].parameters('a b c d e f'))).text);
    expect(openAi.at(-1)).toEqual({
      error: 'Error from remote service: {"error":{"message":"The server had an error while processing your request. Sorry about that!","type":"server_error","param":null,"code":null}}',
    });
    expect(answerOf(openAi)).toBe('Emulated reply');
    emulator.addFault({ effect: 'stream_error', afterFrames: 2 });
    const bedrock = framesOf((await stream(models['Bedrock Converse']!, STREAMING_PROVIDERS['Bedrock Converse'].parameters('a b c d'))).text);
    expect(bedrock.at(-1)).toEqual({
      error: 'Error from remote service: internalServerException: The server had an error while processing your request. Sorry about that!',
    });
    emulator.addFault({ effect: 'stream_drop', afterFrames: 2 });
    const dropped = framesOf((await stream(models['Cohere chat']!, STREAMING_PROVIDERS['Cohere chat'].parameters('a b c d'))).text);
    expect(dropped.at(-1)?.error).toMatch(/^Error communicating with remote model: /);
    expect(dropped.some((frame) => frame.inference_results?.[0]?.output[0]?.dataAsMap.is_last === true)).toBe(false);
  });

  it('should count streamed predicts in the stats, a mid-stream failure as a failure, and end each one', async () => {
    const model = models['OpenAI chat completions']!;
    const parameters = STREAMING_PROVIDERS['OpenAI chat completions'].parameters;
    const counts = async () => {
      const { body } = await test.call('GET', '/_plugins/_ml/stats');
      const node = Object.values(body.nodes as Record<string, any>)[0];
      return { executing: node.ml_executing_task_count, ...node.models[model]?.predict };
    };
    const before = await counts();
    expect((await stream(model, parameters('one two'))).status).toBe(200);
    emulator.addFault({ effect: 'stream_error', afterFrames: 2 });
    expect(framesOf((await stream(model, parameters('a b c d'))).text).at(-1)?.error).toBeDefined();
    const after = await counts();
    expect(after.ml_action_request_count - (before.ml_action_request_count ?? 0)).toBe(2);
    expect((after.ml_action_failure_count ?? 0) - (before.ml_action_failure_count ?? 0)).toBe(1);
    expect(after.executing).toBe(0);
  });

  it.each(Object.entries(STREAMING_PROVIDERS))('should count the tokens a streamed %s answer reports', async (name, provider) => {
    // OpenAI chat streams report usage only when the request asks for it (`stream_options.include_usage`).
    const model =
      name === 'OpenAI chat completions'
        ? await register('chat with usage', {
            ...openAiChatEmulatorConnector(emulator.url),
            actions: [{ ...openAiChatEmulatorConnector(emulator.url).actions[0], request_body: '{ "model": "${parameters.model}", "messages": ${parameters.messages}, "stream_options": {"include_usage": true} }' }],
          })
        : models[name]!;
    const tokens = async (direction: string) =>
      metricValue(await (await test.app.request('/_sidecar/metrics')).text(), 'sidecar_model_tokens_total', { model, direction });
    const before = { input: await tokens('input'), output: await tokens('output') };
    const answer = await stream(model, provider.parameters('How many tokens? __emulator_tokens_5__'));
    expect(answerOf(framesOf(answer.text))).toMatch(/token5$/);
    expect(answer.text).not.toContain('usage');
    expect(await tokens('input')).toBeGreaterThan(before.input);
    expect((await tokens('output')) - before.output).toBeGreaterThanOrEqual(5);
  });

  it('should retry before the first byte, and answer a failure there as predict does', async () => {
    emulator.addFault({ effect: 'error', status: 503, match: { path: 'chat' } });
    const retried = await stream(models['OpenAI chat completions']!, STREAMING_PROVIDERS['OpenAI chat completions'].parameters('again'));
    expect(answerOf(framesOf(retried.text))).toBe('Emulated reply to: again');
    emulator.addFault({ effect: 'error', status: 400, match: { path: 'chat' } });
    const refused = await stream(models['OpenAI chat completions']!, STREAMING_PROVIDERS['OpenAI chat completions'].parameters('no'));
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toMatch(/application\/json/);
    expect(errorReason(JSON.parse(refused.text))).toMatch(/^Error from remote service: /);
  });

  it('should keep predict\'s guards: trusted endpoints, the interface schema and the disabled setting', async () => {
    emulator.clearRequests();
    await test.call('PUT', '/_cluster/settings', { persistent: { 'plugins.ml_commons.trusted_connector_endpoints_regex': ['^https://api\\.openai\\.com/.*$'] } });
    const untrusted = await stream(models['OpenAI chat completions']!, STREAMING_PROVIDERS['OpenAI chat completions'].parameters('x'));
    await test.call('PUT', '/_cluster/settings', EMULATOR_SETTINGS);
    expect(untrusted.status).toBe(400);
    expect(errorReason(JSON.parse(untrusted.text))).toMatch(/^Connector URL is not matching the trusted connector endpoint regex/);
    await test.call('PUT', '/_cluster/settings', { persistent: { 'plugins.ml_commons.stream_enabled': false } });
    const disabled = await stream(models['OpenAI chat completions']!, STREAMING_PROVIDERS['OpenAI chat completions'].parameters('x'));
    await test.call('PUT', '/_cluster/settings', { persistent: { 'plugins.ml_commons.stream_enabled': true } });
    expect(disabled.status).toBe(400);
    expect(errorReason(JSON.parse(disabled.text))).toBe('Streaming is currently disabled. To enable it, update the setting "plugins.ml_commons.stream_enabled" to true.');
    expect(emulator.requests).toEqual([]);
  });
});
