/**
 * Tokens counted per provider format, end to end: each provider's published blueprint, pointed at
 * the emulator (which answers with the provider's own usage fields or headers), predicts once; the
 * tokens the provider reported reach the metrics and the usage report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approximateTokens } from '../../fixtures/emulator/chat-reply.js';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { EMULATOR_SETTINGS, loadBlueprintCases, pointAtEmulator, predictPath } from '../helpers/blueprints.js';
import { metricValue } from '../helpers/metrics-text.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';

const embedTokens = (...texts: string[]) => texts.reduce((total, text) => total + approximateTokens(text), 0);

/** Where each provider reports usage, the blueprint that reaches it, and what a predict must count. */
const PROVIDERS: ReadonlyArray<{
  name: string;
  file: string;
  predict: { path: string; body: unknown };
  /** Exact input tokens when the emulator's count is simple to state, else only "some". */
  input: number | 'some';
  output: number | 'some';
}> = [
  {
    name: 'OpenAI embeddings (usage.prompt_tokens)',
    file: 'openai_connector_embedding_blueprint.json',
    predict: { path: '/_plugins/_ml/_predict/text_embedding/ID', body: { text_docs: ['What is the meaning of life?', 'hello'] } },
    input: embedTokens('What is the meaning of life?', 'hello'),
    output: 0,
  },
  {
    name: 'OpenAI chat (usage.prompt_tokens, completion_tokens)',
    file: 'open_ai_connector_chat_blueprint.json',
    predict: { path: '/_plugins/_ml/models/ID/_predict', body: { parameters: { messages: [{ role: 'user', content: 'Hello!' }] } } },
    input: 'some',
    output: 'some',
  },
  {
    name: 'Cohere embed v1 (meta.billed_units)',
    file: 'cohere_connector_embedding_blueprint.json',
    predict: { path: '/_plugins/_ml/_predict/text_embedding/ID', body: { text_docs: ['today is sunny', 'and warm'] } },
    input: embedTokens('today is sunny', 'and warm'),
    output: 0,
  },
  {
    name: 'Cohere chat v2 (usage.billed_units)',
    file: 'cohere_connector_chat_v2_blueprint.json',
    predict: { path: '/_plugins/_ml/models/ID/_predict', body: { parameters: { messages: [{ role: 'user', content: 'What is OpenSearch?' }] } } },
    input: 'some',
    output: 'some',
  },
  {
    name: 'Bedrock Titan embeddings (X-Amzn-Bedrock-Input-Token-Count)',
    file: 'bedrock_connector_titan_embedding_blueprint.json',
    predict: { path: '/_plugins/_ml/models/ID/_predict', body: { parameters: { inputText: 'What is the meaning of life?' } } },
    input: embedTokens('What is the meaning of life?'),
    output: 0,
  },
  {
    name: 'Bedrock Cohere embeddings (token-count headers)',
    file: 'bedrock_connector_cohere_cohere.embed-english-v3_blueprint.json',
    predict: { path: '/_plugins/_ml/models/ID/_predict', body: { parameters: { texts: ['Hello world', 'This is a test'] } } },
    input: embedTokens('Hello world', 'This is a test'),
    output: 0,
  },
  {
    name: 'Bedrock Claude 3 (token-count headers)',
    file: 'bedrock_connector_anthropic_claude3_blueprint.json',
    predict: { path: '/_plugins/_ml/models/ID/_predict', body: { parameters: { inputs: 'What is the meaning of life?' } } },
    input: 'some',
    output: 'some',
  },
  {
    name: 'Bedrock Converse (usage.inputTokens, outputTokens)',
    file: 'bedrock_connector_converse_blueprint.json',
    predict: { path: '/_plugins/_ml/models/ID/_predict', body: { parameters: { system_prompt: 'Be brief.', user_prompt: 'What is the meaning of life?' } } },
    input: 'some',
    output: 'some',
  },
  {
    name: 'Gemini (usageMetadata)',
    file: 'google_gemini_connector_chat_blueprint.json',
    predict: { path: '/_plugins/_ml/models/ID/_predict', body: { parameters: { contents: [{ role: 'user', parts: [{ text: 'What is OpenSearch?' }] }] } } },
    input: 'some',
    output: 'some',
  },
  {
    name: 'Aleph Alpha (num_tokens_prompt_total)',
    file: 'aleph_alpha_connector_luminous_base_embedding_blueprint.json',
    predict: { path: '/_plugins/_ml/models/ID/_predict', body: { parameters: { input: 'Test string with German characters' } } },
    input: embedTokens('Test string with German characters'),
    output: 0,
  },
  {
    name: 'SageMaker (reports no usage)',
    file: 'standard_blueprints__sagemaker_semantic_highlighter_standard_blueprint.json',
    predict: { path: '/_plugins/_ml/models/ID/_predict', body: { parameters: { question: 'What is it?', context: 'It is a test. It has two sentences.' } } },
    input: 0,
    output: 0,
  },
];

let emulator: Emulator;
let test: TestApp;

beforeAll(async () => {
  emulator = await startEmulator();
  test = await buildTestApp();
  expect((await test.call('PUT', '/_cluster/settings', EMULATOR_SETTINGS)).status).toBe(200);
});
afterAll(() => emulator.close());

describe.each(PROVIDERS)('$name', ({ file, predict, input, output }) => {
  it('should count the tokens the provider reported', async () => {
    const blueprint = loadBlueprintCases().filter((candidate) => candidate.file === file).at(-1)!;
    const created = await test.call('POST', '/_plugins/_ml/connectors/_create', pointAtEmulator(blueprint.connector, emulator.url));
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const registered = await test.call('POST', '/_plugins/_ml/models/_register?deploy=true', {
      name: file, function_name: 'remote', connector_id: created.body.connector_id,
    });
    const modelId = registered.body.model_id as string;
    const answered = await test.call('POST', predictPath(predict.path.replace('ID', 'x'), modelId), predict.body);
    expect(answered.status, JSON.stringify(answered.body).slice(0, 300)).toBe(200);

    const metrics = (await test.app.request('/_sidecar/metrics')).text();
    const counted = {
      input: metricValue(await metrics, 'sidecar_model_tokens_total', { model: modelId, direction: 'input' }),
      output: metricValue(await metrics, 'sidecar_model_tokens_total', { model: modelId, direction: 'output' }),
    };
    for (const [direction, expected] of [['input', input], ['output', output]] as const) {
      if (expected === 'some') expect(counted[direction], direction).toBeGreaterThan(0);
      else expect(counted[direction], direction).toBe(expected);
    }
    const usage = await test.call('GET', `/_sidecar/usage?model_id=${modelId}`);
    expect(usage.body.models[modelId]).toMatchObject({ requests: 1, input_tokens: counted.input, output_tokens: counted.output });
  });
});
