import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { embedText } from '../../fixtures/emulator/embeddings.js';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { EMULATOR_SETTINGS } from '../helpers/blueprints.js';
import { cohereRerankConnector, openAiChatEmulatorConnector, openAiEmbeddingConnector } from '../helpers/emulator-connectors.js';
import { buildTestApp, errorReason, type TestApp } from '../helpers/test-app.js';

let emulator: Emulator;
let test: TestApp;
const ids: Record<string, string> = {};

beforeAll(async () => {
  emulator = await startEmulator();
  test = await buildTestApp();
  await test.call('PUT', '/_cluster/settings', EMULATOR_SETTINGS);
  for (const [name, connector] of Object.entries({
    embedding: openAiEmbeddingConnector(emulator.url),
    chat: openAiChatEmulatorConnector(emulator.url),
    rerank: cohereRerankConnector(emulator.url),
  })) {
    const created = await test.call('POST', '/_plugins/_ml/connectors/_create', connector);
    ids[name] = (await test.call('POST', '/_plugins/_ml/models/_register?deploy=true', {
      name, function_name: 'remote', connector_id: created.body.connector_id,
    })).body.model_id;
  }
});
afterAll(async () => emulator.close());
afterEach(() => emulator.clearFaults());

const hits = (texts: string[]) => ({
  took: 3,
  timed_out: false,
  _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
  hits: {
    total: { value: texts.length, relation: 'eq' },
    max_score: 1,
    hits: texts.map((text, index) => ({ _index: 'docs', _id: String(index), _score: 1 - index / 10, _source: { text } })),
  },
});

describe('/_search/pipeline API', () => {
  it('should store, list and delete search pipelines', async () => {
    const body = { description: 'enrich', request_processors: [{ neural_query_enricher: { default_model_id: 'm' } }] };
    expect((await test.call('PUT', '/_search/pipeline/crud', body)).body).toEqual({ acknowledged: true });
    expect((await test.call('GET', '/_search/pipeline/crud')).body).toEqual({ crud: body });
    expect(Object.keys((await test.call('GET', '/_search/pipeline')).body)).toContain('crud');
    expect((await test.call('DELETE', '/_search/pipeline/crud')).body).toEqual({ acknowledged: true });
    expect((await test.call('GET', '/_search/pipeline/crud')).status).toBe(404);
  });

  it.each([
    [{}],
    [{ description: 'placeholder', request_processors: [], response_processors: [] }],
    [{ request_processors: [] }],
    [{ response_processors: [], phase_results_processors: [] }],
  ])('should accept %j (every processor list is optional and may be empty) and pass searches through', async (body) => {
    expect((await test.call('PUT', '/_search/pipeline/empty', body)).body).toEqual({ acknowledged: true });
    expect((await test.call('GET', '/_search/pipeline/empty')).body).toEqual({ empty: body });
    const request = { query: { match: { text: 'as is' } }, size: 3 };
    const simulated = await test.call('POST', '/_search/pipeline/empty/_simulate', { request, response: hits(['a']) });
    expect(simulated.status, JSON.stringify(simulated.body)).toBe(200);
    expect(simulated.body).toMatchObject({ request, response: hits(['a']) });
  });

  it.each([
    [{ request_processors: [{ nope: {} }] }, 'Invalid processor type [nope]'],
    [{ response_processors: [{ rerank: { ml_opensearch: { model_id: 'x' }, colour: 1 } }] }, "processor [rerank] doesn't support one or more provided configuration parameters: [colour]"],
    [{ response_processors: [{ retrieval_augmented_generation: { model_id: 'x' } }] }, 'context_field_list'],
    [{ phase_results_processors: [{ 'normalization-processor': {} }, { 'score-ranker-processor': {} }] }, 'a search pipeline takes one phase results processor'],
    [{ phase_results_processors: [{ collapse: {} }] }, 'Invalid processor type [collapse] for phase_results processors'],
    [
      { phase_results_processors: [{ 'normalization-processor': { normalization: { technique: 'z_score' }, combination: { technique: 'geometric_mean' } } }] },
      'provided combination technique geometric_mean is not supported for normalization technique z_score. Supported techniques are: arithmetic_mean',
    ],
    [{ request_processors: [{ lowercase: { field: 'a' } }] }, 'Invalid processor type [lowercase]'],
  ])('should refuse %j at PUT', async (body, reason) => {
    const response = await test.call('PUT', '/_search/pipeline/bad', body);
    expect(response.status).toBe(400);
    expect(errorReason(response.body)).toContain(reason);
  });
});

describe('/_search/pipeline/{id}/_simulate', () => {
  it('should rewrite neural clauses to knn with the query embedding, with the enricher defaults per field', async () => {
    await test.call('PUT', '/_search/pipeline/neural', {
      request_processors: [{ neural_query_enricher: { default_model_id: ids['embedding'], neural_field_default_id: { title_vector: ids['embedding'] } } }],
    });
    const response = await test.call('POST', '/_search/pipeline/neural/_simulate', {
      request: {
        query: {
          bool: {
            must: [{ neural: { text_vector: { query_text: 'what is opensearch', k: 5 } } }],
            filter: [{ term: { lang: 'en' } }],
            should: [{ neural: { title_vector: { query_text: 'search engine', min_score: 0.4, filter: { term: { a: 1 } } } } }],
          },
        },
      },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const bool = response.body.request.query.bool;
    expect(bool.must[0].knn.text_vector.k).toBe(5);
    expect(bool.must[0].knn.text_vector.vector[0]).toBeCloseTo(embedText('what is opensearch', 1536)[0]!, 5);
    expect(bool.should[0].knn.title_vector).toMatchObject({ min_score: 0.4, filter: { term: { a: 1 } } });
    expect(bool.filter).toEqual([{ term: { lang: 'en' } }]);
  });

  it('should refuse a neural clause without a model id when no default applies', async () => {
    const response = await test.call('POST', '/_search/pipeline/_simulate', {
      pipeline: {},
      request: { query: { neural: { v: { query_text: 'x' } } } },
    });
    expect(response.status).toBe(400);
    expect(errorReason(response.body)).toBe('model id must be provided in neural query or a default model id must be set in search request processor');
  });

  it('should answer with RAG in ext.retrieval_augmented_generation and show each processor in verbose mode', async () => {
    await test.call('PUT', '/_search/pipeline/rag', {
      response_processors: [
        { retrieval_augmented_generation: { model_id: ids['chat'], context_field_list: ['text'], system_prompt: 'You are helpful.' } },
      ],
    });
    const response = await test.call('POST', '/_search/pipeline/rag/_simulate?verbose=true', {
      request: { query: { match: { text: 'opensearch' } }, ext: { generative_qa_parameters: { llm_question: 'What is OpenSearch?', llm_model: 'gpt-3.5-turbo' } } },
      response: hits(['OpenSearch is a search engine.', 'It is open source.']),
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.response.ext.retrieval_augmented_generation.answer).toMatch(/^Emulated reply to: /);
    expect(response.body.response.hits.hits).toHaveLength(2);
    expect(response.body.processor_results.map((result: any) => [result.processor_name, result.status])).toEqual([['retrieval_augmented_generation', 'success']]);
  });

  it('should apply the RAG timeout for real', async () => {
    emulator.addFault({ effect: 'delay', delayMs: 3_000, match: { path: 'chat' } } as never);
    const started = Date.now();
    const response = await test.call('POST', '/_search/pipeline/rag/_simulate', {
      request: { ext: { generative_qa_parameters: { llm_question: 'q', llm_model: 'gpt-3.5-turbo', timeout: 1 } } },
      response: hits(['a']),
    });
    expect(Date.now() - started).toBeLessThan(2_900);
    expect(response.body.response.ext.retrieval_augmented_generation.error).toMatch(/time/i);
  });

  it('should rerank hits with a text-similarity model', async () => {
    const response = await test.call('POST', '/_search/pipeline/_simulate', {
      pipeline: { response_processors: [{ rerank: { ml_opensearch: { model_id: ids['rerank'] }, context: { document_fields: ['text'] } } }] },
      request: { ext: { rerank: { query_context: { query_text: 'capital of france' } } } },
      response: hits(['bananas are yellow', 'paris is the capital of france']),
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const reranked = response.body.response.hits.hits;
    expect(reranked.map((hit: any) => hit._id)).toEqual(['1', '0']);
    expect(response.body.response.hits.max_score).toBe(reranked[0]._score);
  });
});
