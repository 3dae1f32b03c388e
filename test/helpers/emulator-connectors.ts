import {
  TEST_API_KEY,
  TEST_AWS_ACCESS_KEY_ID,
  TEST_AWS_SECRET_ACCESS_KEY,
} from '../../fixtures/emulator/test-credentials.js';

/** An OpenAI embedding connector (the blueprint) pointed at the emulator. */
export const openAiEmbeddingConnector = (emulatorUrl: string, extra: Record<string, unknown> = {}) => ({
  name: 'OpenAI embedding',
  version: '1',
  protocol: 'http',
  parameters: { model: 'text-embedding-ada-002' },
  credential: { openAI_key: TEST_API_KEY },
  actions: [
    {
      action_type: 'predict',
      method: 'POST',
      url: `${emulatorUrl}/v1/embeddings`,
      headers: { Authorization: 'Bearer ${credential.openAI_key}' },
      request_body: '{ "input": ${parameters.input}, "model": "${parameters.model}" }',
      pre_process_function: 'connector.pre_process.openai.embedding',
      post_process_function: 'connector.post_process.openai.embedding',
    },
  ],
  ...extra,
});

/** An OpenAI chat connector (the seed page) pointed at the emulator. */
export const openAiChatEmulatorConnector = (emulatorUrl: string, extra: Record<string, unknown> = {}) => ({
  name: 'OpenAI chat',
  version: '1',
  protocol: 'http',
  parameters: { model: 'gpt-3.5-turbo' },
  credential: { openAI_key: TEST_API_KEY },
  actions: [
    {
      action_type: 'predict',
      method: 'POST',
      url: `${emulatorUrl}/v1/chat/completions`,
      headers: { Authorization: 'Bearer ${credential.openAI_key}' },
      request_body: '{ "model": "${parameters.model}", "messages": ${parameters.messages} }',
    },
  ],
  ...extra,
});

/** A Bedrock Titan v1 embedding connector (SigV4) pointed at the emulator. */
export const titanConnector = (emulatorUrl: string, secret = TEST_AWS_SECRET_ACCESS_KEY) => ({
  name: 'Titan',
  version: '1',
  protocol: 'aws_sigv4',
  parameters: { region: 'us-east-1', service_name: 'bedrock', model: 'amazon.titan-embed-text-v1' },
  credential: { access_key: TEST_AWS_ACCESS_KEY_ID, secret_key: secret },
  actions: [
    {
      action_type: 'predict',
      method: 'POST',
      url: `${emulatorUrl}/model/\${parameters.model}/invoke`,
      headers: { 'content-type': 'application/json', 'x-amz-content-sha256': 'required' },
      request_body: '{ "inputText": "${parameters.inputText}" }',
      pre_process_function: 'connector.pre_process.bedrock.embedding',
      post_process_function: 'connector.post_process.bedrock.embedding',
    },
  ],
});

/** A Cohere rerank connector pointed at the emulator. */
export const cohereRerankConnector = (emulatorUrl: string) => ({
  name: 'Cohere rerank',
  version: '1',
  protocol: 'http',
  parameters: { model: 'rerank-english-v3.0' },
  credential: { cohere_key: TEST_API_KEY },
  actions: [
    {
      action_type: 'predict',
      method: 'POST',
      url: `${emulatorUrl}/v1/rerank`,
      headers: { Authorization: 'Bearer ${credential.cohere_key}' },
      request_body: '{ "documents": ${parameters.documents}, "query": "${parameters.query}", "top_n": ${parameters.top_n}, "model": "${parameters.model}" }',
      pre_process_function: 'connector.pre_process.cohere.rerank',
      post_process_function: 'connector.post_process.cohere.rerank',
    },
  ],
});

/** A SageMaker embedding endpoint connector (SigV4, all docs in one call as a JSON array) pointed at the emulator. */
export const sagemakerEmbeddingConnector = (emulatorUrl: string, extra: Record<string, unknown> = {}) => ({
  name: 'SageMaker embedding',
  version: '1',
  protocol: 'aws_sigv4',
  parameters: { region: 'us-east-1', service_name: 'sagemaker' },
  credential: { access_key: TEST_AWS_ACCESS_KEY_ID, secret_key: TEST_AWS_SECRET_ACCESS_KEY },
  actions: [
    {
      action_type: 'predict',
      method: 'POST',
      url: `${emulatorUrl}/endpoints/text-embedding/invocations`,
      headers: { 'content-type': 'application/json' },
      request_body: '${parameters.input}',
      pre_process_function: 'connector.pre_process.default.embedding',
      post_process_function: 'connector.post_process.default.embedding',
    },
  ],
  ...extra,
});

/** A SageMaker neural sparse encoder connector (SigV4; the raw answer, one token→weight map per text) pointed at the emulator. */
export function sagemakerSparseConnector(emulatorUrl: string) {
  const connector = sagemakerEmbeddingConnector(emulatorUrl);
  const { post_process_function: _embeddings, ...action } = connector.actions[0]!;
  return { ...connector, name: 'SageMaker neural sparse', actions: [{ ...action, url: `${emulatorUrl}/endpoints/neural-sparse/invocations` }] };
}
