/**
 * Post-process rows: provider responses with their real field names (as the provider emulator
 * answers), optionally a `response_filter`, and the tensors ML Commons renders for them.
 */
import type { ModelTensor, PostProcessFunctionName } from '../../../src/connectors/functions/index.js';

export interface PostProcessCase {
  name: PostProcessFunctionName;
  description: string;
  response: unknown;
  responseFilter?: string;
  expected: ModelTensor[];
}

export interface PostProcessErrorCase {
  name: PostProcessFunctionName;
  description: string;
  response: unknown;
  responseFilter?: string;
  message: string;
}

const embedding = (data: number[], dataType: ModelTensor['data_type'] = 'FLOAT32'): ModelTensor => ({
  name: 'sentence_embedding',
  data_type: dataType,
  shape: [data.length],
  data,
});
const similarity = (score: number): ModelTensor => ({ name: 'similarity', data_type: 'FLOAT32', shape: [1], data: [score] });

const openAiResponse = {
  object: 'list',
  data: [
    { object: 'embedding', index: 0, embedding: [0.0023, -0.0094, 0.0156] },
    { object: 'embedding', index: 1, embedding: [-0.012, 0.0041, 0.0307] },
  ],
  model: 'text-embedding-ada-002',
  usage: { prompt_tokens: 6, total_tokens: 6 },
};
const cohereV1Response = {
  id: 'emb-1',
  texts: ['hello', 'world'],
  embeddings: [[0.016, -0.039], [0.021, 0.007]],
  response_type: 'embeddings_floats',
  meta: { api_version: { version: '1' }, billed_units: { input_tokens: 2 } },
};
const cohereV2Response = {
  id: 'emb-2',
  texts: ['hello'],
  embeddings: { float: [[0.016, -0.039, 0.25]], int8: [[12, -5, 127]], uint8: [[140, 123, 255]], binary: [[-7]], ubinary: [[121]] },
  response_type: 'embeddings_by_type',
  meta: { api_version: { version: '2' }, billed_units: { input_tokens: 1 } },
};
const titanV2Response = {
  embedding: [0.11, -0.22, 0.33],
  embeddingsByType: { float: [0.11, -0.22, 0.33], binary: [1, 0, 1] },
  inputTextTokenCount: 3,
};
const jobArn = 'arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/abc123';

export const POST_PROCESS_CASES: PostProcessCase[] = [
  { name: 'connector.post_process.openai.embedding', description: 'one tensor per data[]', response: openAiResponse, expected: [embedding([0.0023, -0.0094, 0.0156]), embedding([-0.012, 0.0041, 0.0307])] },
  { name: 'connector.post_process.openai.embedding', description: 'no data, no tensors', response: { object: 'list', data: [] }, expected: [] },
  { name: 'connector.post_process.cohere.embedding', description: 'v1 embeddings list', response: cohereV1Response, expected: [embedding([0.016, -0.039]), embedding([0.021, 0.007])] },
  {
    name: 'connector.post_process.cohere.embedding',
    description: 'a response_filter names the data type',
    response: cohereV2Response,
    responseFilter: '$.embeddings.int8',
    expected: [embedding([12, -5, 127], 'INT8')],
  },
  { name: 'connector.post_process.cohere_v2.embedding.float', description: 'float is FLOAT32', response: cohereV2Response, expected: [embedding([0.016, -0.039, 0.25])] },
  { name: 'connector.post_process.cohere_v2.embedding.int8', description: 'INT8 from the path', response: cohereV2Response, expected: [embedding([12, -5, 127], 'INT8')] },
  { name: 'connector.post_process.cohere_v2.embedding.uint8', description: 'UINT8 from the path', response: cohereV2Response, expected: [embedding([140, 123, 255], 'UINT8')] },
  { name: 'connector.post_process.cohere_v2.embedding.binary', description: 'BINARY from the path', response: cohereV2Response, expected: [embedding([-7], 'BINARY')] },
  { name: 'connector.post_process.cohere_v2.embedding.ubinary', description: 'UBINARY from the path', response: cohereV2Response, expected: [embedding([121], 'UBINARY')] },
  { name: 'connector.post_process.default.embedding', description: 'a bare 2-D array', response: [[0.5, 0.25], [-1, 2]], expected: [embedding([0.5, 0.25]), embedding([-1, 2])] },
  { name: 'connector.post_process.bedrock.embedding', description: 'Titan v1 embedding', response: { embedding: [0.1, 0.2, 0.3, 0.4], inputTextTokenCount: 2 }, expected: [embedding([0.1, 0.2, 0.3, 0.4])] },
  { name: 'connector.post_process.bedrock.embedding', description: 'an empty vector, as ML Commons allows', response: { embedding: [] }, expected: [embedding([])] },
  { name: 'connector.post_process.bedrock_v2.embedding.float', description: 'embeddingsByType.float', response: titanV2Response, expected: [embedding([0.11, -0.22, 0.33])] },
  { name: 'connector.post_process.bedrock_v2.embedding.binary', description: 'embeddingsByType.binary is BINARY', response: titanV2Response, expected: [embedding([1, 0, 1], 'BINARY')] },
  {
    name: 'connector.post_process.bedrock.nova.embedding',
    description: 'one text embedding',
    response: { embeddings: [{ embeddingType: 'TEXT', embedding: [0.3, -0.1] }] },
    expected: [embedding([0.3, -0.1])],
  },
  {
    name: 'connector.post_process.bedrock.nova.embedding',
    description: 'video and audio embedded separately',
    response: { embeddings: [{ embeddingType: 'VIDEO', embedding: [0.5] }, { embeddingType: 'AUDIO', embedding: [0.7] }] },
    expected: [embedding([0.5]), embedding([0.7])],
  },
  {
    name: 'connector.post_process.bedrock.batch_job_arn',
    description: 'jobArn with / written %2F',
    response: { jobArn },
    expected: [{ name: 'response', dataAsMap: { jobArn, processedJobArn: 'arn:aws:bedrock:us-east-1:123456789012:model-invocation-job%2Fabc123' } }],
  },
  {
    name: 'connector.post_process.bedrock.batch_job_arn',
    description: 'every / written %2F, other fields kept',
    response: { jobArn: 'arn:aws:bedrock:us-east-1:1:model-invocation-job/team/a1', status: 'Submitted' },
    expected: [{ name: 'response', dataAsMap: { jobArn: 'arn:aws:bedrock:us-east-1:1:model-invocation-job/team/a1', status: 'Submitted', processedJobArn: 'arn:aws:bedrock:us-east-1:1:model-invocation-job%2Fteam%2Fa1' } }],
  },
  {
    name: 'connector.post_process.cohere.rerank',
    description: 'scores back in document order',
    response: {
      id: 'rerank-1',
      results: [
        { index: 2, relevance_score: 0.98 },
        { index: 0, relevance_score: 0.5 },
        { index: 1, relevance_score: 0.01 },
      ],
      meta: { api_version: { version: '1' }, billed_units: { search_units: 1 } },
    },
    expected: [similarity(0.5), similarity(0.01), similarity(0.98)],
  },
  {
    name: 'connector.post_process.default.rerank',
    description: 'a bare array of results ($[*])',
    response: [{ index: 1, relevance_score: 0.9 }, { index: 0, relevance_score: 0.1 }],
    expected: [similarity(0.1), similarity(0.9)],
  },
  {
    name: 'connector.post_process.bedrock.rerank',
    description: 'relevanceScore in document order',
    response: { results: [{ index: 1, relevanceScore: 0.91 }, { index: 0, relevanceScore: 0.0004 }] },
    expected: [similarity(0.0004), similarity(0.91)],
  },
  {
    name: 'connector.post_process.mlcommons.passthrough',
    description: 'a dense embedding tensor',
    response: { inference_results: [{ output: [{ name: 'sentence_embedding', data_type: 'FLOAT32', shape: [3], data: [0.1, 0.2, 0.3] }], status_code: 200 }] },
    expected: [embedding([0.1, 0.2, 0.3])],
  },
  {
    name: 'connector.post_process.mlcommons.passthrough',
    description: 'a result string and a sparse dataAsMap, name defaulting to output',
    response: {
      inference_results: [
        { output: [{ name: 'response', result: '{"query":{"match_all":{}}}' }] },
        { output: [{ dataAsMap: { response: [{ hello: 1.2 }] }, data_type: 'NOT_A_TYPE', shape: [2, 'x'] }] },
      ],
    },
    expected: [
      { name: 'response', result: '{"query":{"match_all":{}}}' },
      { name: 'output', shape: [2, 0], dataAsMap: { response: [{ hello: 1.2 }] } },
    ],
  },
  {
    name: 'connector.post_process.mlcommons.passthrough',
    description: 'a top-level array is wrapped as {"response": [...]}',
    response: [{ score: 1 }],
    expected: [{ name: 'response', dataAsMap: { response: [{ score: 1 }] } }],
  },
  {
    name: 'connector.post_process.mlcommons.passthrough',
    description: 'anything else becomes dataAsMap',
    response: { answer: 'forty-two' },
    expected: [{ name: 'response', dataAsMap: { answer: 'forty-two' } }],
  },
];

export const POST_PROCESS_ERROR_CASES: PostProcessErrorCase[] = [
  { name: 'connector.post_process.openai.embedding', description: 'definite path to a missing field', response: openAiResponse, responseFilter: '$.embedding', message: "Can't run post process function as model output is null" },
  { name: 'connector.post_process.cohere.embedding', description: 'a v2 (by type) response', response: cohereV2Response, message: 'Post process function input is not a List.' },
  { name: 'connector.post_process.default.embedding', description: 'a 1-D array', response: [0.1, 0.2], message: 'The embedding should be a non-empty List containing List of Float values.' },
  { name: 'connector.post_process.default.embedding', description: 'an empty vector', response: [[]], message: 'The embedding should be a non-empty List containing Float values.' },
  { name: 'connector.post_process.default.embedding', description: 'a later vector of strings', response: [[0.1], ['x']], message: 'The embedding should be a non-empty List containing Float values.' },
  { name: 'connector.post_process.bedrock.embedding', description: 'no embedding field', response: { message: 'Malformed input request' }, message: "Can't run post process function as model output is null" },
  { name: 'connector.post_process.bedrock.embedding', description: 'embedding is not a list', response: { embedding: 'abc' }, message: 'Post process function input is not a List.' },
  { name: 'connector.post_process.bedrock.embedding', description: 'embedding of strings', response: { embedding: ['a'] }, message: 'The embedding should be a non-empty List containing Float values.' },
  { name: 'connector.post_process.bedrock.embedding', description: 'a later non-number', response: { embedding: [0.1, 'x'] }, message: 'The embedding should be a non-empty List containing Float values.' },
  { name: 'connector.post_process.bedrock_v2.embedding.binary', description: 'no embeddingsByType', response: { embedding: [0.1] }, message: "Can't run post process function as model output is null" },
  { name: 'connector.post_process.bedrock.nova.embedding', description: 'an empty Nova embedding', response: { embeddings: [{ embeddingType: 'TEXT', embedding: [] }] }, message: 'The embedding should be a non-empty List containing Float values.' },
  { name: 'connector.post_process.bedrock.batch_job_arn', description: 'no jobArn', response: { status: 'Submitted' }, message: 'job arn is missing.' },
  { name: 'connector.post_process.bedrock.batch_job_arn', description: 'an array response', response: [{ jobArn }], message: 'Post process function input is not a Map.' },
  { name: 'connector.post_process.cohere.rerank', description: 'results is not a list', response: { results: {} }, message: 'Post process function input is not a List.' },
  { name: 'connector.post_process.cohere.rerank', description: 'results of strings', response: { results: ['a'] }, message: 'Post process function input is not a List of Map.' },
  { name: 'connector.post_process.cohere.rerank', description: 'no relevance_score', response: { results: [{ index: 0 }] }, message: 'The rerank result should contain index and relevance_score.' },
  { name: 'connector.post_process.cohere.rerank', description: 'a string score', response: { results: [{ index: 0, relevance_score: '0.5' }] }, message: 'Unexpected type for relevance_score: java.lang.String' },
  { name: 'connector.post_process.cohere.rerank', description: 'an index past the results', response: { results: [{ index: 3, relevance_score: 0.5 }] }, message: 'Index 3 out of bounds for length 1' },
  {
    name: 'connector.post_process.cohere.rerank',
    description: 'a repeated index',
    response: { results: [{ index: 0, relevance_score: 0.5 }, { index: 0, relevance_score: 0.4 }] },
    message: 'Rerank result index 0 appears more than once',
  },
  { name: 'connector.post_process.default.rerank', description: 'a Cohere envelope under $[*]', response: { results: [{ index: 0, relevance_score: 0.5 }] }, message: 'Post process function input is not a List of Map.' },
  { name: 'connector.post_process.bedrock.rerank', description: 'Cohere field names', response: { results: [{ index: 0, relevance_score: 0.5 }] }, message: 'The rerank result should contain index and relevanceScore.' },
  { name: 'connector.post_process.bedrock.rerank', description: 'a null score', response: { results: [{ index: 0, relevanceScore: null }] }, message: 'relevanceScore is null' },
  { name: 'connector.post_process.bedrock.rerank', description: 'an object score', response: { results: [{ index: 0, relevanceScore: {} }] }, message: 'Unexpected type for relevanceScore: java.util.LinkedHashMap' },
  { name: 'connector.post_process.mlcommons.passthrough', description: 'a bare JSON string', response: 'plain text', message: 'Post process function input must be a Map or List' },
  { name: 'connector.post_process.mlcommons.passthrough', description: 'a null response', response: null, message: "Can't run post process function as model output is null" },
];
