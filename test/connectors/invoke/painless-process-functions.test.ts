import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../fixtures/emulator/start-emulator.js';
import { EMULATOR_SETTINGS } from '../../helpers/blueprints.js';
import { openAiChatEmulatorConnector, openAiEmbeddingConnector } from '../../helpers/emulator-connectors.js';
import { buildTestApp, errorReason, type TestApp } from '../../helpers/test-app.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => emulator.close());
afterEach(() => emulator.clearRequests());

async function setup(connector: Record<string, any>): Promise<{ test: TestApp; modelId: string; status: number; body: any }> {
  const test = await buildTestApp();
  await test.call('PUT', '/_cluster/settings', EMULATOR_SETTINGS);
  const created = await test.call('POST', '/_plugins/_ml/connectors/_create', connector);
  if (created.status !== 200) return { test, modelId: '', status: created.status, body: created.body };
  const registered = await test.call('POST', '/_plugins/_ml/models/_register?deploy=true', {
    name: 'm', function_name: 'remote', connector_id: created.body.connector_id,
  });
  return { test, modelId: registered.body.model_id, status: 200, body: created.body };
}

const withScripts = (base: Record<string, any>, scripts: { pre?: string; post?: string }): Record<string, any> => {
  const action = { ...base.actions[0] };
  if (scripts.pre !== undefined) action.pre_process_function = scripts.pre;
  else delete action.pre_process_function;
  if (scripts.post !== undefined) action.post_process_function = scripts.post;
  else delete action.post_process_function;
  return { ...base, actions: [action] };
};

describe('Painless pre/post-process functions on the predict path', () => {
  it('should report a script that does not compile when the connector is created, with line and column', async () => {
    const { status, body } = await setup(withScripts(openAiChatEmulatorConnector(emulator.url), { post: 'def x = 1;\nreturn x +;' }));
    expect(status).toBe(400);
    expect(errorReason(body)).toMatch(/^Painless compile error at line 2, column \d+: /);
  });

  it('should give a post-process script the response fields as params and turn its JSON into tensors', async () => {
    const post = `def text = params.choices[0].message.content;
      return '{"name":"response","dataAsMap":{"response":"' + escape(text) + '","n":' + params.choices.length + '}}'`;
    const { test, modelId } = await setup(withScripts(openAiChatEmulatorConnector(emulator.url), { post }));
    const response = await test.call('POST', `/_plugins/_ml/models/${modelId}/_predict`, {
      parameters: { messages: [{ role: 'user', content: 'say "quoted"\nand more' }] },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const [tensor] = response.body.inference_results[0].output;
    expect(tensor).toEqual({ name: 'response', dataAsMap: { response: expect.stringMatching(/^Emulated reply to: say "quoted"\sand more$/), n: 1 } });
  });

  it('should wrap a non-JSON script result as {"response": text}', async () => {
    const { test, modelId } = await setup(withScripts(openAiChatEmulatorConnector(emulator.url), { post: 'return params.choices[0].message.role' }));
    const response = await test.call('POST', `/_plugins/_ml/models/${modelId}/_predict`, { parameters: { messages: [{ role: 'user', content: 'hi' }] } });
    expect(response.body.inference_results[0].output).toEqual([{ name: 'response', dataAsMap: { response: 'assistant' } }]);
  });

  it('should run a text-docs pre-process script once per doc with escaped docs', async () => {
    const pre = `return '{"parameters":{"input":["' + params.text_docs[0] + '"]}}'`;
    const post = `def out = []; for (def item : params.data) { out.add(['name': 'sentence_embedding', 'data_type': 'FLOAT32', 'shape': [item.embedding.length], 'data': item.embedding]); }
      StringBuilder b = new StringBuilder('['); for (int i = 0; i < out.size(); i++) { if (i > 0) b.append(','); def t = out[i];
      b.append('{"name":"' + t.name + '","data_type":"FLOAT32","shape":' + t.shape + ',"data":' + t.data + '}'); } b.append(']'); return b.toString();`;
    const { test, modelId } = await setup(withScripts(openAiEmbeddingConnector(emulator.url), { pre, post }));
    const response = await test.call('POST', `/_plugins/_ml/_predict/text_embedding/${modelId}`, { text_docs: ['a "quoted" doc', 'second'] });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.inference_results).toHaveLength(2);
    expect(emulator.requests.map((request) => (request.body as { input: string[] }).input[0]).sort()).toEqual(['a "quoted" doc', 'second']);
    expect(response.body.inference_results[0].output[0]).toMatchObject({ name: 'sentence_embedding', shape: [1536] });
  });

  it('should run a pre-process on remote input only with process_remote_inference_input, with objects on request', async () => {
    const pre = `def messages = params.messages; return '{"parameters":{"messages":[{"role":"user","content":"' + messages.size() + ' messages"}]}}'`;
    const base = withScripts(openAiChatEmulatorConnector(emulator.url), { pre });
    const { test, modelId } = await setup({
      ...base,
      parameters: { ...base.parameters, 'pre_process_function.process_remote_inference_input': 'true', 'pre_process_function.convert_remote_inference_param_to_object': 'true' },
    });
    const response = await test.call('POST', `/_plugins/_ml/models/${modelId}/_predict`, {
      parameters: { messages: [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }] },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    // The caller's parameters win over the pre-process output (ML Commons puts them again last).
    expect((emulator.requests[0]!.body as { messages: unknown[] }).messages).toHaveLength(2);
  });

  it.each([
    ['returns null', 'return null', 'Preprocess function output is null'],
    ['returns non-JSON', "return 'nope'", 'Preprocess function output is not valid JSON'],
    ['throws IllegalArgumentException', "throw new IllegalArgumentException('bad input from script')", 'bad input from script'],
  ])('should report a pre-process script that %s', async (_case, pre, reason) => {
    const { test, modelId } = await setup(withScripts(openAiEmbeddingConnector(emulator.url), { pre, post: 'connector.post_process.openai.embedding' }));
    const response = await test.call('POST', `/_plugins/_ml/_predict/text_embedding/${modelId}`, { text_docs: ['x'] });
    expect(response.status).toBe(400);
    expect(errorReason(response.body)).toContain(reason);
    expect(emulator.requests).toHaveLength(0);
  });

  it('should stop a runaway script within its budget and keep serving', async () => {
    const { test, modelId } = await setup(withScripts(openAiChatEmulatorConnector(emulator.url), { post: 'while (true) {} return 1' }));
    const started = Date.now();
    const stuck = await test.call('POST', `/_plugins/_ml/models/${modelId}/_predict`, { parameters: { messages: [{ role: 'user', content: 'hi' }] } });
    expect(stuck.status).toBe(400);
    expect(errorReason(stuck.body)).toContain('The maximum number of statements that can be executed in a loop has been reached.');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await test.call('GET', '/')).status).toBe(200);
  });
});
