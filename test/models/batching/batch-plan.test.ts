import { describe, expect, it } from 'vitest';
import type { ConnectorClientConfig, ConnectorDefinition } from '../../../src/connectors/connector-record.js';
import { batchPlan, DEFAULT_LINGER_MILLIS } from '../../../src/models/batching/batch-plan.js';

const connector = (
  action: { pre_process_function?: string; post_process_function?: string },
  extra: { protocol?: 'http' | 'aws_sigv4'; parameters?: Record<string, string>; client_config?: ConnectorClientConfig } = {},
): ConnectorDefinition => ({
  name: 'c',
  version: '1',
  protocol: extra.protocol ?? 'http',
  parameters: extra.parameters ?? {},
  credential: {},
  actions: [{ action_type: 'PREDICT', method: 'POST', url: 'https://example.com/v1/embeddings', ...action }],
  ...(extra.client_config === undefined ? {} : { client_config: extra.client_config }),
});

const openAi = { pre_process_function: 'connector.pre_process.openai.embedding', post_process_function: 'connector.post_process.openai.embedding' };
const cohere = { pre_process_function: 'connector.pre_process.cohere.embedding', post_process_function: 'connector.post_process.cohere.embedding' };
const generic = { pre_process_function: 'connector.pre_process.default.embedding', post_process_function: 'connector.post_process.default.embedding' };
const bedrock = { pre_process_function: 'connector.pre_process.bedrock.embedding', post_process_function: 'connector.post_process.bedrock.embedding' };

describe('batchPlan', () => {
  it.each([
    ['OpenAI', connector(openAi), { maxInputs: 2048, maxBytes: 1_000_000, coalesce: true, attribution: 'per-tensor' }],
    ['Cohere', connector(cohere), { maxInputs: 96, coalesce: true }],
    ['Cohere v2 floats', connector({ ...cohere, post_process_function: 'connector.post_process.cohere_v2.embedding.float' }), { maxInputs: 96, coalesce: true }],
    ['a generic embedding API', connector(generic), { maxInputs: 32, maxBytes: 1_048_576, coalesce: true }],
    ['SageMaker', connector(generic, { protocol: 'aws_sigv4', parameters: { service_name: 'sagemaker' } }), { maxInputs: 1, coalesce: false, attribution: 'per-tensor' }],
    ['Bedrock (one doc per call)', connector(bedrock), { chunkSize: 1, coalesce: false, attribution: 'per-call' }],
    ['a Painless post-process', connector({ ...openAi, post_process_function: 'return params.data;' }), { coalesce: false, attribution: 'none' }],
    ['no post-process (raw response)', connector({ pre_process_function: openAi.pre_process_function }), { coalesce: false, attribution: 'none' }],
  ])('should apply the defaults of %s', (_name, definition, expected) => {
    const lingering = { ...definition, client_config: { batch_linger_ms: 2 } };
    expect(batchPlan(lingering)).toMatchObject({ lingerMillis: 2, cacheSize: 0, ...expected });
  });

  it('should linger DEFAULT_LINGER_MILLIS when the connector does not say, coalescing only when it is above 0', () => {
    expect(batchPlan(connector(openAi))).toMatchObject({ lingerMillis: DEFAULT_LINGER_MILLIS, coalesce: DEFAULT_LINGER_MILLIS > 0 });
  });

  it('should take the client_config overrides, capped by input_docs_processed_step_size', () => {
    const plan = batchPlan(
      connector(openAi, {
        parameters: { input_docs_processed_step_size: '16' },
        client_config: { batch_max_inputs: 500, batch_max_bytes: 2048, batch_linger_ms: 7, embedding_cache_size: 10 },
      }),
    );
    expect(plan).toMatchObject({ chunkSize: 16, maxInputs: 16, maxBytes: 2048, lingerMillis: 7, cacheSize: 10, coalesce: true });
  });

  it.each([
    ['take precedence over the connector’s', { batch_max_inputs: 50, batch_max_bytes: 4096 }, { max_items_per_request: 10, max_bytes_per_request: 100 }, { maxInputs: 10, maxBytes: 100, coalesce: true }],
    ['leave the connector’s limit it does not name', { batch_max_bytes: 4096 }, { max_items_per_request: 10 }, { maxInputs: 10, maxBytes: 4096 }],
    ['turn coalescing off at one item', {}, { max_items_per_request: 1 }, { maxInputs: 1, coalesce: false }],
  ])('should let the model’s batch_inference_config %s', (_case, clientConfig, modelLimits, expected) => {
    expect(batchPlan(connector(openAi, { client_config: clientConfig }), modelLimits)).toMatchObject(expected);
  });

  it('should cap the model’s max_items_per_request by input_docs_processed_step_size, and never coalesce Bedrock', () => {
    const stepped = connector(openAi, { parameters: { input_docs_processed_step_size: '16' } });
    expect(batchPlan(stepped, { max_items_per_request: 500 })).toMatchObject({ chunkSize: 16, maxInputs: 16 });
    expect(batchPlan(connector(bedrock), { max_items_per_request: 500 })).toMatchObject({ maxInputs: 1, coalesce: false });
  });

  it('should turn coalescing off with a linger of 0, keeping the cache', () => {
    expect(batchPlan(connector(openAi, { client_config: { batch_linger_ms: 0, embedding_cache_size: 5 } }))).toMatchObject({ coalesce: false, cacheSize: 5 });
  });

  it('should not cache what cannot be attributed per text', () => {
    expect(batchPlan(connector({ pre_process_function: openAi.pre_process_function }, { client_config: { embedding_cache_size: 5 } })).cacheSize).toBe(0);
  });
});
