/**
 * Records shaped like ML Commons' stored models, connectors and tasks, and the hand-computed
 * BM25 reference the score expectations use (deliberately independent of src/query/scoring.ts).
 */
import type { JsonObject, StoredRecord } from '../../src/store/store.js';

let seq = 0;
const record = (collection: string, id: string, source: JsonObject): StoredRecord => ({
  collection,
  id,
  version: 1 + (seq % 3),
  seqNo: seq++,
  primaryTerm: 1,
  source,
});

/** Six models: remote and local, with an embedded connector, dates as millis and as ISO text. */
export const MODELS: StoredRecord[] = [
  record('models', 'm1', {
    name: 'OpenAI embedding model',
    algorithm: 'REMOTE',
    model_state: 'DEPLOYED',
    model_group_id: 'g1',
    connector_id: 'Conn-A1',
    description: 'Embeds text with OpenAI ada',
    created_time: 1700000000000,
    model_config: { model_type: 'bert', embedding_dimension: 1536 },
    is_hidden: false,
    rank: 3,
    user: { name: 'admin', backend_roles: ['ml-admins'] },
  }),
  record('models', 'm2', {
    name: 'Cohere chat model',
    algorithm: 'REMOTE',
    model_state: 'REGISTERED',
    model_group_id: 'g1',
    connector_id: 'conn-b2',
    description: 'Chat completions',
    created_time: 1700000100000,
    is_hidden: false,
    rank: 1,
    tags: ['chat', 'llm'],
  }),
  record('models', 'm3', {
    name: 'embedding embedding',
    algorithm: 'REMOTE',
    model_state: 'DEPLOYED',
    model_group_id: 'g2',
    description: null,
    created_time: '2023-11-16T00:00:00Z',
    is_hidden: true,
  }),
  record('models', 'm4', {
    name: 'Bedrock Titan Embeddings',
    algorithm: 'REMOTE',
    model_state: 'DEPLOY_FAILED',
    model_group_id: 'g2',
    description: 'Titan embedding model on Bedrock',
    created_time: 1700000300000,
    is_hidden: true,
    connector: {
      name: 'bedrock',
      protocol: 'aws_sigv4',
      parameters: { region: 'us-east-1', model: 'amazon.titan-embed-text-v1' },
      credential: { access_key: 'AKIAEXAMPLE', secret_key: 'shh' },
    },
  }),
  record('models', 'm5', {
    name: 'Local sentence transformer',
    algorithm: 'TEXT_EMBEDDING',
    model_state: 'DEPLOYED',
    model_group_id: 'g3',
    created_time: 1699999000000,
    model_content_size_in_bytes: 90000000,
    model_config: {
      model_type: 'bert',
      embedding_dimension: 384,
      framework_type: 'SENTENCE_TRANSFORMERS',
    },
    is_hidden: false,
  }),
  record('models', 'm6', {
    name: 'Hidden sparse model',
    algorithm: 'SPARSE_ENCODING',
    model_state: 'UNDEPLOYED',
    model_group_id: 'g3',
    is_hidden: true,
  }),
];

/** Four connectors with flat_object parameters, credentials and nested owners. */
export const CONNECTORS: StoredRecord[] = [
  record('connectors', 'c1', {
    name: 'OpenAI connector',
    description: 'Connector for OpenAI embeddings',
    version: '1',
    protocol: 'http',
    parameters: { endpoint: 'api.openai.com', model: 'text-embedding-ada-002' },
    credential: { openAI_key: 'sk-secret-123' },
    backend_roles: ['ml-admins', 'data'],
    access: 'private',
    owner: { name: 'alice', backend_roles: ['ml-admins'], roles: ['all_access'] },
    created_time: 1700000000000,
  }),
  record('connectors', 'c2', {
    name: 'Bedrock connector',
    version: '2',
    protocol: 'aws_sigv4',
    parameters: { region: 'us-west-2', service_name: 'bedrock', model: 'anthropic.claude-v2' },
    credential: { access_key: 'AKIAEXAMPLE', secret_key: 'shh' },
    owner: [
      { name: 'bob', backend_roles: ['data'] },
      { name: 'carol', backend_roles: ['ml-admins'] },
    ],
    access: 'restricted',
    created_time: 1700000500000,
  }),
  record('connectors', 'c3', {
    name: 'Cohere connector',
    protocol: 'http',
    parameters: { model: 'embed-english-v3.0', input_type: 'search_document' },
    owner: { name: 'alice', backend_roles: ['data'] },
    access: 'public',
  }),
  record('connectors', 'c4', {
    name: 'SageMaker',
    protocol: 'aws_sigv4',
    parameters: { region: 'us-east-1', 'nested.key': 'dotted' },
  }),
];

/** Four tasks. */
export const TASKS: StoredRecord[] = [
  record('tasks', 't1', {
    task_type: 'REGISTER_MODEL',
    function_name: 'REMOTE',
    state: 'COMPLETED',
    model_id: 'm1',
    create_time: 1700000000000,
    is_async: true,
    progress: 1.0,
  }),
  record('tasks', 't2', {
    task_type: 'DEPLOY_MODEL',
    function_name: 'REMOTE',
    state: 'FAILED',
    model_id: 'm4',
    error: 'Connection timed out while deploying',
    create_time: 1700000400000,
    progress: 0.5,
  }),
  record('tasks', 't3', {
    task_type: 'DEPLOY_MODEL',
    function_name: 'TEXT_EMBEDDING',
    state: 'RUNNING',
    model_id: 'm5',
    worker_node: ['node-1', 'node-2'],
    create_time: 1700000200000,
    progress: 0.25,
  }),
  record('tasks', 't4', {
    task_type: 'BATCH_PREDICTION',
    function_name: 'REMOTE',
    state: 'CREATED',
    remote_job: { job_id: 'abc', status: 'InProgress' },
    create_time: 1700000300000,
  }),
];

/** BM25 idf with Lucene's formula, for hand-derived expectations. */
export const idfRef = (docFreq: number, docCount: number): number =>
  Math.log(1 + (docCount - docFreq + 0.5) / (docFreq + 0.5));

/** BM25 term-frequency part with k1 = 1.2, b = 0.75 (lengths here are all below 24: exact norms). */
export const tfRef = (freq: number, length: number, avgLength: number): number =>
  freq / (freq + 1.2 * (1 - 0.75 + (0.75 * length) / avgLength));

/** Model `name` statistics: 6 documents, 17 tokens. */
export const NAME_AVG = 17 / 6;
export const IDF_EMBEDDING = idfRef(2, 6);
export const IDF_MODEL = idfRef(3, 6);
