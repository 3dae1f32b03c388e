/** Chat connectors whose providers stream, pointed at the emulator, and a reader of `text/event-stream` answers. */
import { TEST_API_KEY, TEST_AWS_ACCESS_KEY_ID, TEST_AWS_SECRET_ACCESS_KEY } from '../../fixtures/emulator/test-credentials.js';
import { openAiChatEmulatorConnector } from './emulator-connectors.js';

const http = (name: string, path: string, requestBody: string, parameters: Record<string, string>, extra: Record<string, unknown> = {}) =>
  (emulatorUrl: string) => ({
    name,
    version: '1',
    protocol: 'http',
    parameters,
    credential: { key: TEST_API_KEY },
    actions: [{ action_type: 'predict', method: 'POST', url: `${emulatorUrl}${path}`, headers: { Authorization: 'Bearer ${credential.key}' }, request_body: requestBody }],
    ...extra,
  });

const bedrock = (name: string, operation: string, model: string, requestBody: string) => (emulatorUrl: string) => ({
  name,
  version: '1',
  protocol: 'aws_sigv4',
  parameters: { region: 'us-east-1', service_name: 'bedrock', model },
  credential: { access_key: TEST_AWS_ACCESS_KEY_ID, secret_key: TEST_AWS_SECRET_ACCESS_KEY },
  actions: [{ action_type: 'predict', method: 'POST', url: `${emulatorUrl}/model/\${parameters.model}/${operation}`, headers: { 'content-type': 'application/json' }, request_body: requestBody }],
});

/** Each streaming provider: its connector, the predict parameters of one question, and the emulator route that streams. */
export const STREAMING_PROVIDERS = {
  'OpenAI chat completions': {
    connector: (url: string) => openAiChatEmulatorConnector(url),
    parameters: (question: string) => ({ messages: [{ role: 'user', content: question }], _llm_interface: 'openai/v1/chat/completions' }),
    route: 'openai.chat_completions',
  },
  'OpenAI Responses': {
    connector: http('OpenAI Responses', '/v1/responses', '{ "model": "${parameters.model}", "input": "${parameters.question}" }', { model: 'gpt-4o' }),
    parameters: (question: string) => ({ question, _llm_interface: 'openai/v1/responses' }),
    route: 'openai.responses',
  },
  'Cohere chat': {
    connector: http('Cohere chat', '/v2/chat', '{ "model": "${parameters.model}", "messages": [{"role": "user", "content": "${parameters.question}"}] }', { model: 'command-r-plus' }),
    parameters: (question: string) => ({ question, _llm_interface: 'cohere/v2/chat' }),
    route: 'cohere.chat_v2',
  },
  'Bedrock Converse': {
    connector: bedrock('Bedrock Converse', 'converse', 'anthropic.claude-3-sonnet-20240229-v1:0', '{"messages":[{"role":"user","content":[{"type":"text","text":"${parameters.inputs}"}]}]}'),
    parameters: (question: string) => ({ inputs: question, _llm_interface: 'bedrock/converse/claude' }),
    route: 'bedrock.converse_stream',
  },
  'Anthropic Claude through Bedrock InvokeModel': {
    connector: bedrock(
      'Claude on Bedrock',
      'invoke',
      'anthropic.claude-3-haiku-20240307-v1:0',
      '{"anthropic_version":"bedrock-2023-05-31","max_tokens":1000,"messages":[{"role":"user","content":"${parameters.inputs}"}]}',
    ),
    parameters: (question: string) => ({ inputs: question }),
    route: 'bedrock.invoke_stream',
  },
} as const;

/** One frame's data (JSON) of a `text/event-stream` body. */
export type Frame = { inference_results?: Array<{ output: Array<{ name: string; dataAsMap: { content: string; is_last: boolean } }> }>; error?: string };

/** Splits a whole `text/event-stream` body into its frames' JSON data. */
export function framesOf(text: string): Frame[] {
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('data: '))
    .map((block) => JSON.parse(block.slice('data: '.length)) as Frame);
}

/** The answer text the content frames carry. */
export const answerOf = (frames: Frame[]): string => frames.map((frame) => frame.inference_results?.[0]?.output[0]?.dataAsMap.content ?? '').join('');
