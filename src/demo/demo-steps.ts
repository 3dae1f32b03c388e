/** A JSON call to the service that throws on a non-2xx answer. */
export type DemoCall = (method: string, path: string, body?: unknown) => Promise<Record<string, any>>;

/**
 * The seed page's flow: settings, an OpenAI chat connector, a model group, register, deploy and
 * predict; then an embedding model used through the text-embedding predict API.
 */
export async function demoSteps(options: {
  call: DemoCall;
  emulatorUrl: string;
  apiKey: string;
  heading: (text: string) => void;
}): Promise<void> {
  const { call, emulatorUrl, apiKey, heading } = options;
  const endpoint = emulatorUrl.replace(/^http:\/\//, '');

  heading('Trust the provider endpoint (the emulator listens on loopback, so allow private IPs too)');
  await call('PUT', '/_cluster/settings', {
    persistent: {
      'plugins.ml_commons.trusted_connector_endpoints_regex': ['^http://127\\.0\\.0\\.1:[0-9]+/.*$'],
      'plugins.ml_commons.connector.private_ip_enabled': true,
    },
  });

  heading('Create the OpenAI chat connector of the seed page');
  const chatConnector = await call('POST', '/_plugins/_ml/connectors/_create', {
    name: 'OpenAI Chat Connector',
    description: 'The connector to public OpenAI model service for GPT 3.5',
    version: 1,
    protocol: 'http',
    parameters: { endpoint, model: 'gpt-3.5-turbo' },
    credential: { openAI_key: apiKey },
    actions: [
      {
        action_type: 'predict',
        method: 'POST',
        url: 'http://${parameters.endpoint}/v1/chat/completions',
        headers: { Authorization: 'Bearer ${credential.openAI_key}' },
        request_body: '{ "model": "${parameters.model}", "messages": ${parameters.messages} }',
      },
    ],
  });

  heading('Register a model group, register the model, and check its task');
  const group = await call('POST', '/_plugins/_ml/model_groups/_register', { name: 'demo-models', description: 'models of the demo' });
  const registered = await call('POST', '/_plugins/_ml/models/_register', {
    name: 'openAI-gpt-3.5-turbo',
    function_name: 'remote',
    model_group_id: group['model_group_id'],
    description: 'test model',
    connector_id: chatConnector['connector_id'],
  });
  await call('GET', `/_plugins/_ml/tasks/${registered['task_id']}`);

  heading('Deploy the model and check the deploy task');
  const chatModel = registered['model_id'] as string;
  const deployed = await call('POST', `/_plugins/_ml/models/${chatModel}/_deploy`);
  await call('GET', `/_plugins/_ml/tasks/${deployed['task_id']}`);

  heading('Predict: chat');
  await call('POST', `/_plugins/_ml/models/${chatModel}/_predict`, {
    parameters: {
      model: 'gpt-3.5-turbo',
      messages: [
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'user', content: 'Hello!' },
      ],
    },
  });

  heading('An embedding model from the OpenAI embedding blueprint, registered and deployed in one call');
  const embeddingConnector = await call('POST', '/_plugins/_ml/connectors/_create', {
    name: 'OpenAI embedding connector',
    description: 'text-embedding-ada-002',
    version: '1',
    protocol: 'http',
    parameters: { model: 'text-embedding-ada-002' },
    credential: { openAI_key: apiKey },
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
  });
  const embeddingModel = await call('POST', '/_plugins/_ml/models/_register?deploy=true', {
    name: 'openai-embedding',
    function_name: 'remote',
    connector_id: embeddingConnector['connector_id'],
  });

  heading('Predict: embeddings for two texts (one provider call, two tensors)');
  await call('POST', `/_plugins/_ml/_predict/text_embedding/${embeddingModel['model_id']}`, {
    text_docs: ['What is the meaning of life?', 'OpenSearch is a search engine.'],
  });

  heading('Ingest: an ingest pipeline that embeds `text`, tried with _simulate');
  await call('PUT', '/_ingest/pipeline/demo-embeddings', {
    description: 'Embeds text into text_embedding',
    processors: [{ text_embedding: { model_id: embeddingModel['model_id'], field_map: { text: 'text_embedding' } } }],
  });
  await call('POST', '/_ingest/pipeline/demo-embeddings/_simulate', {
    docs: [{ _index: 'articles', _id: '1', _source: { title: 'OpenSearch', text: 'OpenSearch is a community-driven search suite.' } }],
  });

  heading('Search: a RAG search pipeline answers a question from the hits, tried with _simulate');
  await call('PUT', '/_search/pipeline/demo-rag', {
    response_processors: [
      {
        retrieval_augmented_generation: {
          model_id: chatModel,
          context_field_list: ['text'],
          system_prompt: 'You are a helpful assistant.',
          user_instructions: 'Answer from the search results only.',
        },
      },
    ],
  });
  const rag = await call('POST', '/_search/pipeline/demo-rag/_simulate', {
    request: {
      query: { match: { text: 'OpenSearch' } },
      ext: { generative_qa_parameters: { llm_question: 'What is OpenSearch?', llm_model: 'gpt-3.5-turbo' } },
    },
    response: {
      took: 2,
      timed_out: false,
      hits: {
        total: { value: 2, relation: 'eq' },
        max_score: 1.2,
        hits: [
          { _index: 'articles', _id: '1', _score: 1.2, _source: { text: 'OpenSearch is a community-driven search suite.' } },
          { _index: 'articles', _id: '2', _score: 0.8, _source: { text: 'It is licensed under Apache 2.0.' } },
        ],
      },
    },
  });
  const answer = (rag['response'] as { ext?: { retrieval_augmented_generation?: { answer?: string } } }).ext?.retrieval_augmented_generation?.answer;
  if (typeof answer !== 'string') throw new Error('the RAG pipeline gave no answer');
  heading(`RAG answer: ${answer}`);
}
