import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cohereRerankConnector } from '../helpers/emulator-connectors.js';
import { ndjson, send, startProxySetup, type ProxySetup } from '../helpers/proxy-setup.js';
import { errorReason } from '../helpers/test-app.js';

let setup: ProxySetup;
const TEXTS = [
  'The cat sat on the mat',
  'Dogs are loyal companions',
  'OpenSearch is a search and analytics engine',
  'Vector search finds nearest neighbours',
  'Bananas are a good source of potassium',
];

beforeAll(async () => {
  setup = await startProxySetup();
  await send(setup.test, 'PUT', '/_ingest/pipeline/embed', {
    processors: [{ text_embedding: { model_id: setup.embeddingModel, field_map: { text: 'text_embedding' } } }],
  });
  await send(setup.test, 'PUT', '/docs', {
    settings: { index: { knn: true, default_pipeline: 'embed' } },
    mappings: { properties: { text: { type: 'text' }, text_embedding: { type: 'knn_vector', dimension: 1536, method: { name: 'hnsw', space_type: 'cosinesimil' } } } },
  });
  const lines = TEXTS.flatMap((text, index) => [{ index: { _id: String(index) } }, { text }]);
  const bulk = await send(setup.test, 'POST', '/docs/_bulk?refresh=true', ndjson(...lines));
  expect(bulk.body.errors).toBe(false);
});
afterAll(async () => setup.close());

describe('search on traffic', () => {
  it('should rewrite a neural query to knn and return the nearest documents', async () => {
    const response = await send(setup.test, 'POST', '/docs/_search', {
      query: { neural: { text_embedding: { query_text: 'OpenSearch analytics engine', model_id: setup.embeddingModel, k: 2 } } },
      _source: ['text'],
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.hits.hits[0]._id).toBe('2');
    const sent = JSON.parse(setup.cluster.requests.at(-1)!.body);
    expect(sent.query.knn.text_embedding.vector).toHaveLength(1536);
  });

  it('should rewrite neural clauses inside bool with a filter', async () => {
    const response = await send(setup.test, 'POST', '/docs/_search', {
      query: {
        bool: {
          must: [{ neural: { text_embedding: { query_text: 'loyal dogs', model_id: setup.embeddingModel, k: 5 } } }],
          must_not: [{ term: { _id: '4' } }],
        },
      },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.hits.hits[0]._id).toBe('1');
    expect(response.body.hits.hits.map((hit: any) => hit._id)).not.toContain('4');
  });

  it("should run the sidecar's search pipeline around the cluster's search (by parameter and by index default)", async () => {
    const rerankConnector = await setup.test.services.connectors.create(cohereRerankConnector(setup.emulator.url), undefined);
    const reranker = await setup.test.services.models.register(
      { name: 'rerank', function_name: 'remote', connector_id: rerankConnector.connector_id }, { deploy: true, caller: undefined },
    );
    await send(setup.test, 'PUT', '/_search/pipeline/semantic', {
      request_processors: [{ neural_query_enricher: { default_model_id: setup.embeddingModel } }],
      response_processors: [{ rerank: { ml_opensearch: { model_id: reranker.model_id }, context: { document_fields: ['text'] } } }],
    });
    const body = {
      query: { neural: { text_embedding: { query_text: 'nearest neighbour vector search', k: 3 } } },
      ext: { rerank: { query_context: { query_text: 'vector search neighbours' } } },
    };
    const byParameter = await send(setup.test, 'POST', '/docs/_search?search_pipeline=semantic', body);
    expect(byParameter.status, JSON.stringify(byParameter.body)).toBe(200);
    expect(byParameter.body.hits.hits[0]._id).toBe('3');
    const sent = setup.cluster.requests.at(-1)!;
    expect(sent.query['search_pipeline']).toBe('_none');
    expect(JSON.parse(sent.body).ext).toBeUndefined();

    // The settings change goes through the proxy, which forgets the index's cached settings.
    await send(setup.test, 'PUT', '/docs/_settings', { index: { search: { default_pipeline: 'semantic' } } });
    const byDefault = await send(setup.test, 'POST', '/docs/_search', body);
    expect(byDefault.status, JSON.stringify(byDefault.body)).toBe(200);
    expect(byDefault.body.hits.hits[0]._id).toBe('3');
    expect(setup.cluster.requests.at(-1)!.query['search_pipeline']).toBe('_none');
    await send(setup.test, 'PUT', '/docs/_settings', { index: { search: { default_pipeline: null } } });
  });

  it('should leave a search without neural clauses or sidecar pipelines untouched', async () => {
    const response = await send(setup.test, 'GET', '/_search?q_ignored=1', undefined);
    expect(response.status).toBe(200);
    expect(setup.cluster.requests.at(-1)!.query).toEqual({ q_ignored: '1' });
  });

  it('should handle _msearch with a neural search among plain ones', async () => {
    const response = await send(
      setup.test,
      'POST',
      '/_msearch',
      ndjson(
        { index: 'docs' }, { query: { neural: { text_embedding: { query_text: 'bananas potassium', model_id: setup.embeddingModel, k: 1 } } } },
        { index: 'docs' }, { query: { match: { text: 'cat' } } },
      ),
    );
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.responses[0].hits.hits[0]._id).toBe('4');
    expect(response.body.responses[1].hits.hits[0]._id).toBe('0');
  });

  it('should refuse a neural clause without a model id and no default', async () => {
    const response = await send(setup.test, 'POST', '/docs/_search', { query: { neural: { text_embedding: { query_text: 'x' } } } });
    expect(response.status).toBe(400);
    expect(errorReason(response.body)).toContain('model id must be provided');
  });
});
