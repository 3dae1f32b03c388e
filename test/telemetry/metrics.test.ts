/**
 * `GET /_sidecar/metrics` moves as the service works: requests by route pattern, predicts,
 * provider calls, retries, throttles (429 and AWS), exhausted retries, guard refusals, embedding
 * cache hits, coalesced calls and pipeline documents; each failure also writes its log line. Neither
 * the metrics nor the log lines ever carry a credential or a document's text.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { TEST_AWS_SECRET_ACCESS_KEY } from '../../fixtures/emulator/test-credentials.js';
import { createTelemetry } from '../../src/telemetry/telemetry.js';
import { createLogger } from '../../src/util/logger.js';
import { EMULATOR_SETTINGS } from '../helpers/blueprints.js';
import { openAiEmbeddingConnector, titanConnector } from '../helpers/emulator-connectors.js';
import { metricValue } from '../helpers/metrics-text.js';
import { buildTestApp, LogCapture, type TestApp } from '../helpers/test-app.js';

/** A credential no other string in the service could contain by chance. */
const SECRET_KEY = 'sk-metrics-test-0f9e8d7c6b5a';
/** A document text that must never reach a metric or a log line. */
const SECRET_TEXT = 'confidential-document-text-4c3b2a';

let emulator: Emulator;
let test: TestApp;

beforeAll(async () => {
  emulator = await startEmulator({ apiKeys: [SECRET_KEY] });
});
afterAll(() => emulator.close());
beforeEach(async () => {
  emulator.reset();
  test = await buildTestApp();
  expect((await test.call('PUT', '/_cluster/settings', EMULATOR_SETTINGS)).status).toBe(200);
});

async function metrics(): Promise<string> {
  const response = await test.app.request('/_sidecar/metrics');
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return response.text();
}

/** Registers and deploys an OpenAI embedding model; answers its id and its connector's. */
async function embeddingModel(clientConfig: Record<string, unknown> = {}): Promise<{ modelId: string; connectorId: string }> {
  const connector = openAiEmbeddingConnector(emulator.url, { credential: { openAI_key: SECRET_KEY }, client_config: clientConfig });
  const created = await test.call('POST', '/_plugins/_ml/connectors/_create', connector);
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  const registered = await test.call('POST', '/_plugins/_ml/models/_register?deploy=true', {
    name: 'embedding', function_name: 'remote', connector_id: created.body.connector_id,
  });
  return { modelId: registered.body.model_id, connectorId: created.body.connector_id };
}

const embed = (modelId: string, texts: string[]) => test.call('POST', `/_plugins/_ml/_predict/text_embedding/${modelId}`, { text_docs: texts });

/** The log lines (parsed) whose `event` is `event`. */
const logged = (event: string): Array<Record<string, unknown>> =>
  test.logs.lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line['event'] === event);

describe('GET /_sidecar/metrics', () => {
  it('should count requests by route pattern and status, predicts and provider calls', async () => {
    const { modelId, connectorId } = await embeddingModel();
    for (let round = 0; round < 2; round++) {
      expect((await test.call('POST', `/_plugins/_ml/models/${modelId}/_predict?algorithm=text_embedding`, { text_docs: ['hello'] })).status).toBe(200);
    }
    expect((await test.call('GET', '/_plugins/_ml/models/no-such-model')).status).toBe(404);
    const text = await metrics();

    expect(metricValue(text, 'sidecar_http_requests_total', { method: 'POST', route: '/_plugins/_ml/models/:id/_predict', status: '200' })).toBe(2);
    expect(metricValue(text, 'sidecar_http_requests_total', { method: 'GET', route: '/_plugins/_ml/models/:id', status: '404' })).toBe(1);
    expect(metricValue(text, 'sidecar_http_request_duration_seconds_count', { route: '/_plugins/_ml/models/:id/_predict' })).toBe(2);
    expect(text).not.toContain('no-such-model'); // raw paths never become label values
    expect(metricValue(text, 'sidecar_predict_requests_total', { model: modelId, outcome: 'success' })).toBe(2);
    expect(metricValue(text, 'sidecar_predict_duration_seconds_count', { model: modelId })).toBe(2);
    expect(metricValue(text, 'sidecar_provider_requests_total', { connector: connectorId, model: modelId, outcome: 'success', status: '200' })).toBe(2);
    expect(metricValue(text, 'sidecar_provider_request_duration_seconds_count', { connector: connectorId, model: modelId })).toBe(2);
    expect(metricValue(text, 'sidecar_coalesced_batch_texts_sum', { model: modelId })).toBe(2);
    expect(metricValue(text, 'sidecar_adaptive_concurrency_limit', { connector: connectorId })).toBe(30);
  });

  it('should count a retry and log the failed attempt with model, connector, status and retry count', async () => {
    const { modelId, connectorId } = await embeddingModel({ retry_backoff_millis: 1 });
    emulator.addFault({ match: { path: '^/v1/embeddings$' }, effect: 'error', status: 503 });
    expect((await embed(modelId, ['hello'])).status).toBe(200);
    const text = await metrics();

    expect(metricValue(text, 'sidecar_provider_retries_total', { connector: connectorId, model: modelId })).toBe(1);
    expect(metricValue(text, 'sidecar_provider_requests_total', { model: modelId, outcome: 'error', status: '503' })).toBe(1);
    expect(metricValue(text, 'sidecar_provider_requests_total', { model: modelId, outcome: 'success' })).toBe(1);
    expect(logged('provider_call_failed')).toEqual([
      expect.objectContaining({ level: 'warn', model_id: modelId, connector_id: connectorId, remote_status: 503, retries: 0, outcome: 'error' }),
    ]);
  });

  it('should count 429 throttles and retries running out, with their log lines', async () => {
    const { modelId, connectorId } = await embeddingModel({ max_retry_times: 1, retry_backoff_millis: 1 });
    emulator.addFault({ match: { path: '^/v1/embeddings$' }, effect: 'throttle', times: 2 });
    expect((await embed(modelId, ['hello'])).status).toBe(429);
    const text = await metrics();

    expect(metricValue(text, 'sidecar_provider_throttles_total', { connector: connectorId, model: modelId, kind: 'http_429' })).toBe(2);
    expect(metricValue(text, 'sidecar_provider_retries_exhausted_total', { connector: connectorId, model: modelId })).toBe(1);
    expect(metricValue(text, 'sidecar_predict_requests_total', { model: modelId, outcome: 'failure' })).toBe(1);
    expect(logged('provider_throttled')).toEqual([
      expect.objectContaining({ model_id: modelId, connector_id: connectorId, remote_status: 429, retries: 0, throttle: 'http_429' }),
      expect.objectContaining({ model_id: modelId, connector_id: connectorId, remote_status: 429, retries: 1, throttle: 'http_429' }),
    ]);
    expect(logged('provider_retries_exhausted')).toEqual([
      expect.objectContaining({ level: 'error', model_id: modelId, connector_id: connectorId, remote_status: 429, retries: 1 }),
    ]);
  });

  it('should count AWS throttling apart from 429s', async () => {
    const created = await test.call('POST', '/_plugins/_ml/connectors/_create', { ...titanConnector(emulator.url), client_config: { max_retry_times: 0 } });
    const registered = await test.call('POST', '/_plugins/_ml/models/_register?deploy=true', {
      name: 'titan', function_name: 'remote', connector_id: created.body.connector_id,
    });
    emulator.addFault({ match: { provider: 'bedrock' }, effect: 'throttle' });
    const answered = await test.call('POST', `/_plugins/_ml/models/${registered.body.model_id}/_predict`, { parameters: { inputText: 'hello' } });
    expect(answered.status).toBeGreaterThanOrEqual(400);
    const text = await metrics();
    expect(metricValue(text, 'sidecar_provider_throttles_total', { model: registered.body.model_id, kind: 'aws_throttling' })).toBe(1);
    expect(logged('provider_throttled')[0]).toMatchObject({ throttle: 'aws_throttling', code: 'ThrottlingException' });
    expect(test.logs.text).not.toContain(TEST_AWS_SECRET_ACCESS_KEY);
  });

  it('should show the pacing queue while calls wait their turn, and how long they waited', async () => {
    const { modelId, connectorId } = await embeddingModel({ requests_per_minute: 60 }); // one now, then one a second
    const calls = Array.from({ length: 3 }, () =>
      test.call('POST', `/_plugins/_ml/models/${modelId}/_predict`, { parameters: { input: ['hello'] } }),
    );
    await vi.waitFor(async () => expect(metricValue(await metrics(), 'sidecar_pacing_queue_depth', { connector: connectorId })).toBe(2), {
      timeout: 900,
      interval: 20,
    });
    expect((await Promise.all(calls)).map((answer) => answer.status)).toEqual([200, 200, 200]);
    const text = await metrics();
    expect(metricValue(text, 'sidecar_pacing_queue_depth', { connector: connectorId })).toBe(0);
    expect(metricValue(text, 'sidecar_pacing_wait_seconds_count', { connector: connectorId })).toBe(3);
    expect(metricValue(text, 'sidecar_pacing_wait_seconds_sum', { connector: connectorId })).toBeGreaterThan(2.5);
  });

  it('should show calls in flight and waiting for a connection', async () => {
    const { modelId, connectorId } = await embeddingModel({ max_connection: 1 });
    emulator.setLatency(600);
    try {
      const calls = Array.from({ length: 3 }, () =>
        test.call('POST', `/_plugins/_ml/models/${modelId}/_predict`, { parameters: { input: ['hello'] } }),
      );
      await vi.waitFor(async () => {
        const text = await metrics();
        expect(metricValue(text, 'sidecar_provider_in_flight', { connector: connectorId })).toBe(1);
        expect(metricValue(text, 'sidecar_connection_queue_depth', { connector: connectorId })).toBe(2);
      }, { timeout: 500, interval: 10 });
      await Promise.all(calls);
    } finally {
      emulator.setLatency(0);
    }
    const text = await metrics();
    expect(metricValue(text, 'sidecar_provider_in_flight', { connector: connectorId })).toBe(0);
    expect(metricValue(text, 'sidecar_adaptive_concurrency_limit', { connector: connectorId })).toBe(1);
  });

  it('should count a call the full pacing queue refused as rejected, sending nothing', async () => {
    const { modelId, connectorId } = await embeddingModel({ requests_per_minute: 60, max_queued_requests: 1 });
    const answers = await Promise.all(
      Array.from({ length: 3 }, () => test.call('POST', `/_plugins/_ml/models/${modelId}/_predict`, { parameters: { input: ['hello'] } })),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 429]);
    const text = await metrics();
    expect(metricValue(text, 'sidecar_provider_requests_total', { connector: connectorId, model: modelId, outcome: 'rejected', status: 'none' })).toBe(1);
    expect(metricValue(text, 'sidecar_provider_request_duration_seconds_count', { model: modelId })).toBe(2);
    expect(logged('provider_call_failed')).toEqual([expect.objectContaining({ model_id: modelId, outcome: 'rejected', remote_status: null })]);
  });

  it('should count embedding cache hits and misses', async () => {
    const { modelId } = await embeddingModel({ embedding_cache_size: 100 });
    expect((await embed(modelId, ['alpha', 'beta'])).status).toBe(200);
    expect((await embed(modelId, ['alpha', 'gamma'])).status).toBe(200);
    const text = await metrics();
    expect(metricValue(text, 'sidecar_embedding_cache_lookups_total', { model: modelId, result: 'hit' })).toBe(1);
    expect(metricValue(text, 'sidecar_embedding_cache_lookups_total', { model: modelId, result: 'miss' })).toBe(3);
  });

  it('should count guard refusals and log them with the guard that refused', async () => {
    const { modelId, connectorId } = await embeddingModel();
    await test.call('PUT', '/_cluster/settings', { persistent: { 'plugins.ml_commons.trusted_connector_endpoints_regex': ['^https://api\\.openai\\.com/.*$'] } });
    expect((await embed(modelId, ['hello'])).status).toBe(400);
    await test.call('PUT', '/_cluster/settings', EMULATOR_SETTINGS);
    await test.call('PUT', '/_cluster/settings', { persistent: { 'plugins.ml_commons.connector.private_ip_enabled': false } });
    expect((await embed(modelId, ['hello'])).status).toBe(400);
    const text = await metrics();

    expect(metricValue(text, 'sidecar_provider_guard_refusals_total', { connector: connectorId, model: modelId, guard: 'trusted_endpoint' })).toBe(1);
    expect(metricValue(text, 'sidecar_provider_guard_refusals_total', { connector: connectorId, model: modelId, guard: 'private_ip' })).toBe(1);
    expect(logged('guard_refused').map((line) => line['guard'])).toEqual(['trusted_endpoint', 'private_ip']);
    expect(logged('guard_refused')[1]).toMatchObject({ model_id: modelId, connector_id: connectorId, reason: expect.stringContaining('private ip address') });
  });

  it('should count ingest documents processed, dropped and failed per pipeline, and log the failures without their text', async () => {
    const pipeline = {
      processors: [
        { drop: { if: "ctx.kind == 'noise'" } },
        { fail: { if: "ctx.kind == 'bad'", message: 'bad document {{text}}' } },
      ],
    };
    expect((await test.call('PUT', '/_ingest/pipeline/checks', pipeline)).status).toBe(200);
    const docs = [
      { _source: { kind: 'good', text: 'fine' } },
      { _source: { kind: 'noise', text: 'skip me' } },
      { _source: { kind: 'bad', text: SECRET_TEXT } },
      { _source: { kind: 'good', text: 'also fine' } },
    ];
    expect((await test.call('POST', '/_ingest/pipeline/checks/_simulate', { docs })).status).toBe(200);
    const text = await metrics();

    expect(metricValue(text, 'sidecar_pipeline_documents_total', { kind: 'ingest', pipeline: 'checks', outcome: 'processed' })).toBe(2);
    expect(metricValue(text, 'sidecar_pipeline_documents_total', { kind: 'ingest', pipeline: 'checks', outcome: 'dropped' })).toBe(1);
    expect(metricValue(text, 'sidecar_pipeline_documents_total', { kind: 'ingest', pipeline: 'checks', outcome: 'failed' })).toBe(1);
    expect(logged('pipeline_documents_failed')).toEqual([
      expect.objectContaining({ level: 'warn', pipeline: 'checks', documents: 4, failed: 1, errors: { 'fail_processor_exception (500) in fail': 1 } }),
    ]);
    expect(test.logs.text).not.toContain(SECRET_TEXT);
  });

  it('should count search pipeline phases and log a failed processor', async () => {
    const pipeline = { response_processors: [{ rerank: { ml_opensearch: { model_id: 'missing-model' }, context: { document_fields: ['title'] } } }] };
    expect((await test.call('PUT', '/_search/pipeline/broken', pipeline)).status).toBe(200);
    const simulated = await test.call('POST', '/_search/pipeline/broken/_simulate', {
      request: { query: { match_all: {} }, ext: { rerank: { query_context: { query_text: 'question' } } } },
      response: { hits: { hits: [{ _id: '1', _score: 1, _source: { title: SECRET_TEXT } }] } },
    });
    expect(simulated.status).toBeGreaterThanOrEqual(400);
    const text = await metrics();
    expect(metricValue(text, 'sidecar_pipeline_documents_total', { kind: 'search_request', pipeline: 'broken', outcome: 'processed' })).toBe(1);
    expect(metricValue(text, 'sidecar_pipeline_documents_total', { kind: 'search_response', pipeline: 'broken', outcome: 'failed' })).toBe(1);
    expect(logged('search_processor_failed')).toEqual([
      expect.objectContaining({ level: 'warn', pipeline: 'broken', phase: 'response', processor_type: 'rerank', status: 404, ignored: false }),
    ]);
    expect(test.logs.text).not.toContain(SECRET_TEXT);
  });

  it('should never carry a credential or a request text', async () => {
    const { modelId } = await embeddingModel({ retry_backoff_millis: 1 });
    emulator.addFault({ match: { path: '^/v1/embeddings$' }, effect: 'error', status: 500, body: { error: { message: `bad key ${SECRET_KEY}: ${SECRET_TEXT}` } } });
    await embed(modelId, [SECRET_TEXT]);
    await embed(modelId, [SECRET_TEXT]);
    const text = await metrics();
    for (const secret of [SECRET_KEY, SECRET_TEXT]) {
      expect(text).not.toContain(secret);
      expect(test.logs.text).not.toContain(secret);
    }
  });

  it('should keep each app to its own registry, with Node process metrics only where asked', async () => {
    const { modelId } = await embeddingModel();
    await embed(modelId, ['hello']);
    const other = await buildTestApp();
    const otherText = await (await other.app.request('/_sidecar/metrics')).text();
    expect(metricValue(otherText, 'sidecar_predict_requests_total')).toBe(0);
    expect(metricValue(await metrics(), 'sidecar_predict_requests_total')).toBe(1);
    expect(await metrics()).not.toContain('process_cpu_user_seconds_total');

    const withProcess = createTelemetry({ logger: createLogger({ level: 'silent', destination: new LogCapture() }), processMetrics: true });
    const rendered = (await withProcess.render()).text;
    expect(rendered).toContain('process_cpu_user_seconds_total');
    expect(rendered).toContain('nodejs_eventloop_lag_seconds');
  });
});
