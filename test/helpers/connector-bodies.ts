/** The seed page's OpenAI chat connector, with a recognisable fake key. */
export const OPENAI_KEY = 'sk-test-PLAINTEXT-0123456789';

export const openAiChatConnector = () => ({
  name: 'OpenAI Chat Connector',
  description: 'The connector to public OpenAI model service for GPT 3.5',
  version: 1,
  protocol: 'http',
  parameters: { endpoint: 'api.openai.com', model: 'gpt-3.5-turbo', max_tokens: 7, stop: ['\n'] },
  credential: { openAI_key: OPENAI_KEY },
  actions: [
    {
      action_type: 'predict',
      method: 'POST',
      url: 'https://${parameters.endpoint}/v1/chat/completions',
      headers: { Authorization: 'Bearer ${credential.openAI_key}' },
      request_body: '{ "model": "${parameters.model}", "messages": ${parameters.messages} }',
    },
  ],
});

export const AWS_SECRET = 'aws-secret-PLAINTEXT-abcdef';

/** The seed page's SageMaker connector. */
export const sagemakerConnector = () => ({
  name: 'sagemaker: embedding',
  description: 'Test connector for Sagemaker embedding model',
  version: 1,
  protocol: 'aws_sigv4',
  credential: { access_key: 'AKIDEXAMPLE', secret_key: AWS_SECRET, session_token: 'session-PLAINTEXT' },
  parameters: { region: 'us-west-2', service_name: 'sagemaker' },
  actions: [
    {
      action_type: 'predict',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      url: 'https://runtime.sagemaker.${parameters.region}.amazonaws.com/endpoints/lmi-model-2023-06-24-01-35-32-275/invocations',
      request_body: '["${parameters.inputs}"]',
    },
  ],
});
