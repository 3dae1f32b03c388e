/**
 * Neural sparse search through the proxy, for a cluster without neural-search (the stand-in):
 * `neural_sparse` clauses become `rank_feature` clauses on the `rank_features` field, so hits come
 * back in the order of the dot product of the query's and the documents' token weights.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sparseEncodeText } from '../../fixtures/emulator/sparse-weights.js';
import { sagemakerSparseConnector } from '../helpers/emulator-connectors.js';
import { ndjson, send, startProxySetup, type ProxySetup } from '../helpers/proxy-setup.js';
import { errorReason } from '../helpers/test-app.js';

let setup: ProxySetup;
let sparseModel: string;

const TEXTS: Record<string, string> = {
  s1: 'the quick brown fox jumps',
  s2: 'a lazy brown dog sleeps all day',
  s3: 'quick quick thinking fox',
  s4: 'opensearch sparse retrieval with neural models',
  s5: 'brown bread and butter',
};

const dot = (query: Record<string, number>, document: Record<string, number>): number =>
  Object.entries(query).reduce((sum, [token, weight]) => sum + weight * (document[token] ?? 0), 0);

/** Documents in dot-product order (ties by id, the order they were indexed), without those scoring 0. */
function dotProductOrder(query: Record<string, number>): Array<[string, number]> {
  return Object.entries(TEXTS)
    .map(([id, text]): [string, number] => [id, dot(query, sparseEncodeText(text))])
    .filter(([, score]) => score > 0)
    .sort((left, right) => right[1] - left[1] || left[0].localeCompare(right[0]));
}

const ranking = (response: { body: any }): Array<[string, number]> => response.body.hits.hits.map((hit: any) => [hit._id, hit._score]);

beforeAll(async () => {
  setup = await startProxySetup();
  const connector = await setup.test.services.connectors.create(sagemakerSparseConnector(setup.emulator.url), undefined);
  const model = await setup.test.services.models.register(
    { name: 'sparse', function_name: 'remote', connector_id: connector.connector_id },
    { deploy: true, caller: undefined },
  );
  sparseModel = model.model_id;
  await send(setup.test, 'PUT', '/_ingest/pipeline/sparse-ingest', {
    processors: [{ sparse_encoding: { model_id: sparseModel, field_map: { text: 'text_sparse' } } }],
  });
  await send(setup.test, 'PUT', '/sparse', {
    settings: { index: { default_pipeline: 'sparse-ingest' } },
    mappings: { properties: { text: { type: 'text' }, text_sparse: { type: 'rank_features' } } },
  });
  const lines = Object.entries(TEXTS).flatMap(([id, text]) => [{ index: { _id: id } }, { text }]);
  const bulk = await send(setup.test, 'POST', '/sparse/_bulk?refresh=true', ndjson(...lines));
  expect(bulk.body.errors, JSON.stringify(bulk.body)).toBe(false);
});
afterAll(async () => setup.close());

describe('neural_sparse through the proxy', () => {
  it('should encode query_text with the sparse model and return documents in dot-product order', async () => {
    const response = await send(setup.test, 'POST', '/sparse/_search', {
      query: { neural_sparse: { text_sparse: { query_text: 'quick brown fox', model_id: sparseModel } } },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const expected = dotProductOrder(sparseEncodeText('quick brown fox'));
    expect(ranking(response).map(([id]) => id)).toEqual(expected.map(([id]) => id));
    ranking(response).forEach(([, score], index) => expect(score).toBeCloseTo(expected[index]![1], 5));
    const sent = JSON.parse(setup.cluster.requests.at(-1)!.body);
    expect(sent.query.bool.should).toContainEqual({ rank_feature: { field: 'text_sparse.fox', linear: {}, boost: sparseEncodeText('fox')['fox'] } });
  });

  it('should take query_tokens as they are, with the clause boost', async () => {
    const tokens = { brown: 2, sleeps: 1.5, bread: 0.5 };
    const response = await send(setup.test, 'POST', '/sparse/_search', {
      query: { neural_sparse: { text_sparse: { query_tokens: tokens, boost: 2 } } },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const expected = dotProductOrder(tokens);
    expect(ranking(response).map(([id]) => id)).toEqual(expected.map(([id]) => id));
    ranking(response).forEach(([, score], index) => expect(score).toBeCloseTo(2 * expected[index]![1], 5));
  });

  it('should use neural_field_default_id of neural_query_enricher for a clause without a model id', async () => {
    await send(setup.test, 'PUT', '/_search/pipeline/sparse-defaults', {
      request_processors: [{ neural_query_enricher: { default_model_id: 'unused', neural_field_default_id: { text_sparse: sparseModel } } }],
    });
    const response = await send(setup.test, 'POST', '/sparse/_search?search_pipeline=sparse-defaults', {
      query: { neural_sparse: { text_sparse: { query_text: 'lazy dog' } } },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(ranking(response).map(([id]) => id)).toEqual(dotProductOrder(sparseEncodeText('lazy dog')).map(([id]) => id));
  });

  it('should give the full dot product on the top hits with neural_sparse_two_phase_processor', async () => {
    await send(setup.test, 'PUT', '/_search/pipeline/two-phase', {
      request_processors: [{ neural_sparse_two_phase_processor: { two_phase_parameter: { prune_ratio: 0.9, expansion_rate: 2 } } }],
    });
    const query = 'quick brown fox bread';
    const response = await send(setup.test, 'POST', '/sparse/_search?search_pipeline=two-phase', {
      query: { neural_sparse: { text_sparse: { query_text: query, model_id: sparseModel } } },
      size: 3,
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const sent = JSON.parse(setup.cluster.requests.at(-1)!.body);
    // The window is size × expansion_rate; the second phase holds the tokens pruning left out.
    expect(sent.rescore).toEqual([{ window_size: 6, query: { rescore_query: { bool: { should: [expect.objectContaining({ bool: expect.anything() })] } } } }]);
    const phaseOne = sent.query.bool.should.map((clause: any) => clause.rank_feature.field);
    const phaseTwo = sent.rescore[0].query.rescore_query.bool.should[0].bool.should.map((clause: any) => clause.rank_feature.field);
    expect([...phaseOne, ...phaseTwo].sort()).toEqual(Object.keys(sparseEncodeText(query)).map((token) => `text_sparse.${token}`).sort());
    // Every document is in the window, so every score is the full dot product.
    const expected = dotProductOrder(sparseEncodeText(query)).slice(0, 3);
    expect(ranking(response).map(([id]) => id)).toEqual(expected.map(([id]) => id));
    ranking(response).forEach(([, score], index) => expect(score).toBeCloseTo(expected[index]![1], 5));
  });

  it('should run a sparse sub-query inside a hybrid query', async () => {
    await send(setup.test, 'PUT', '/_search/pipeline/sparse-hybrid', { phase_results_processors: [{ 'normalization-processor': {} }] });
    const response = await send(setup.test, 'POST', '/sparse/_search?search_pipeline=sparse-hybrid', {
      query: {
        hybrid: {
          queries: [{ match: { text: 'sparse' } }, { neural_sparse: { text_sparse: { query_tokens: { thinking: 2, fox: 1 } } } }],
          pagination_depth: 10,
        },
      },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    // The lexical sub-query finds s4 alone (1.0); the sparse one s3 (top: 1.0) and s1 (bottom: 0.001).
    // s4 and s3 tie at 0.5 (s4 first: the lexical sub-query returned it first); s1 scores 0.0005.
    expect(ranking(response)).toEqual([['s4', 0.5], ['s3', 0.5], ['s1', 0.0005]]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a clause without model id or tokens', { query_text: 'x' }, '[neural_sparse] query on [text_sparse] needs a model_id'],
    ['a weight above 64', { query_tokens: { fox: 65 } }, 'weight must be in (0, 64.0], got: 65.0'],
    ['neither text nor tokens', { model_id: 'm' }, 'either query_text field or query_tokens field must be provided for [neural_sparse] query'],
    ['an unknown parameter', { query_text: 'x', model_id: 'm', k: 3 }, '[neural_sparse] query does not support [k] field'],
  ])('should refuse %s', async (_name, parameters, reason) => {
    const response = await send(setup.test, 'POST', '/sparse/_search', { query: { neural_sparse: { text_sparse: parameters } } });
    expect(response.status).toBe(400);
    expect(errorReason(response.body)).toContain(reason);
  });
});
