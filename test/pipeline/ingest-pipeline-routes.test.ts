import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { FAIL_MARKER } from '../../fixtures/emulator/request-pipeline.js';
import { EMULATOR_SETTINGS } from '../helpers/blueprints.js';
import { openAiEmbeddingConnector } from '../helpers/emulator-connectors.js';
import { buildTestApp, errorReason, type TestApp } from '../helpers/test-app.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => emulator.close());
afterEach(() => {
  emulator.clearFaults();
  emulator.clearRequests();
});

async function appWithEmbeddingModel(clientConfig?: object): Promise<{ test: TestApp; modelId: string }> {
  const test = await buildTestApp();
  await test.call('PUT', '/_cluster/settings', EMULATOR_SETTINGS);
  const connector = await test.call(
    'POST',
    '/_plugins/_ml/connectors/_create',
    openAiEmbeddingConnector(emulator.url, clientConfig ? { client_config: clientConfig } : {}),
  );
  const model = await test.call('POST', '/_plugins/_ml/models/_register?deploy=true', {
    name: 'openai-embedding', function_name: 'remote', connector_id: connector.body.connector_id,
  });
  return { test, modelId: model.body.model_id };
}

const PIPELINES = '/_ingest/pipeline';

/** How many texts each logged OpenAI embeddings request carried. */
const inputCounts = (): number[] => emulator.requests.map((request) => (request.body as { input: string[] }).input.length);

describe('/_ingest/pipeline API', () => {
  it('should store, list (all, comma lists, wildcards) and delete pipelines verbatim', async () => {
    const { call } = await buildTestApp();
    const body = { description: 'lower', processors: [{ lowercase: { field: 'a' } }], version: 3 };
    expect((await call('PUT', `${PIPELINES}/one`, body)).body).toEqual({ acknowledged: true });
    await call('PUT', `${PIPELINES}/two`, { processors: [{ uppercase: { field: 'a' } }] });
    await call('PUT', `${PIPELINES}/other`, { processors: [{ trim: { field: 'a' } }] });
    expect((await call('GET', `${PIPELINES}/one`)).body).toEqual({ one: body });
    expect(Object.keys((await call('GET', PIPELINES)).body).sort()).toEqual(['one', 'other', 'two']);
    expect(Object.keys((await call('GET', `${PIPELINES}/one,two`)).body).sort()).toEqual(['one', 'two']);
    expect(Object.keys((await call('GET', `${PIPELINES}/o*`)).body).sort()).toEqual(['one', 'other']);
    expect((await call('DELETE', `${PIPELINES}/o*`)).body).toEqual({ acknowledged: true });
    expect(Object.keys((await call('GET', PIPELINES)).body)).toEqual(['two']);
    const missing = await call('GET', `${PIPELINES}/one`);
    expect(missing.status).toBe(404);
    expect(errorReason(missing.body)).toBe('pipeline [one] is missing');
    expect((await call('DELETE', `${PIPELINES}/one`)).status).toBe(404);
  });

  it.each([
    [{ processors: [{ nope: {} }] }, 'No processor type exists with name [nope]'],
    [{ processors: [{ lowercase: { field: 'a', colour: 'red' } }] }, "processor [lowercase] doesn't support one or more provided configuration parameters [colour]"],
    [{ processors: [{ lowercase: {} }] }, '[field] required property is missing'],
    [{ processors: [{ lowercase: { field: 5 } }] }, "[field] property isn't a string, but of type [java.lang.Integer]"],
    [{ processors: [{ text_embedding: { field_map: { a: 'b' } } }] }, '[model_id] required property is missing'],
    [{ processors: [{ lowercase: { field: 'a', if: 'ctx.a ==' } }] }, 'Painless compile error at line 1'],
    [{ processors: [{ lowercase: { field: 'a', on_failure: [] } }] }, '[on_failure] processors list cannot be empty'],
    [{ description: 'no list' }, '[processors] required property is missing'],
    [{ processors: [{ text_embedding: { model_id: 'm', field_mapp: { text: 'vector' } } }] }, "processor [text_embedding] doesn't support one or more provided configuration parameters [field_mapp]"],
    [{ processors: [{ lowercase: { field: 'a' }, uppercase: { field: 'b' } }] }, 'exactly one processor type'],
  ])('should refuse %j at PUT with a 400 naming the problem', async (body, reason) => {
    const { call } = await buildTestApp();
    const response = await call('PUT', `${PIPELINES}/bad`, body);
    expect(response.status).toBe(400);
    expect(errorReason(response.body)).toContain(reason);
    expect((await call('GET', `${PIPELINES}/bad`)).status).toBe(404);
  });
});

describe('a pipeline with an empty processor list', () => {
  const source = { text: 'Unchanged', n: 1 };

  it('should be stored and returned verbatim, as OpenSearch accepts it', async () => {
    const { call } = await buildTestApp();
    const body = { description: 'placeholder', processors: [] };
    const response = await call('PUT', `${PIPELINES}/empty`, body);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toEqual({ acknowledged: true });
    expect((await call('GET', `${PIPELINES}/empty`)).body).toEqual({ empty: body });
  });

  it('should pass documents through unchanged in _simulate, by id and inline, verbose or not', async () => {
    const { call } = await buildTestApp({ now: () => Date.parse('2026-01-02T03:04:05.678Z') });
    await call('PUT', `${PIPELINES}/empty`, { processors: [] });
    const docs = [{ _index: 'idx', _id: '1', _source: source }];
    const expected = { docs: [{ doc: { _index: 'idx', _id: '1', _source: source, _ingest: { timestamp: '2026-01-02T03:04:05.678Z' } } }] };
    expect((await call('POST', `${PIPELINES}/empty/_simulate`, { docs })).body).toEqual(expected);
    expect((await call('POST', `${PIPELINES}/_simulate`, { pipeline: { processors: [] }, docs })).body).toEqual(expected);
    expect((await call('POST', `${PIPELINES}/empty/_simulate?verbose=true`, { docs })).body).toEqual({ docs: [{ processor_results: [] }] });
  });
});

describe('/_ingest/pipeline/_simulate', () => {
  const docs = [{ _index: 'idx', _id: '1', _source: { a: 'Hello', n: 1 } }, { _source: { a: 'World', n: 2 } }];

  it('should answer OpenSearch shapes for an inline pipeline, with default metadata', async () => {
    const { call } = await buildTestApp({ now: () => Date.parse('2026-01-02T03:04:05.678Z') });
    const response = await call('POST', `${PIPELINES}/_simulate`, { pipeline: { processors: [{ lowercase: { field: 'a' } }] }, docs });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      docs: [
        { doc: { _index: 'idx', _id: '1', _source: { a: 'hello', n: 1 }, _ingest: { timestamp: '2026-01-02T03:04:05.678Z' } } },
        { doc: { _index: '_index', _id: '_id', _source: { a: 'world', n: 2 }, _ingest: { timestamp: '2026-01-02T03:04:05.678Z' } } },
      ],
    });
  });

  it('should record every processor status in verbose mode', async () => {
    const { call } = await buildTestApp();
    await call('PUT', `${PIPELINES}/p`, {
      processors: [
        { uppercase: { field: 'a', tag: 'up' } },
        { set: { field: 'skipped', value: 'x', if: 'ctx.n == 99' } },
        { lowercase: { field: 'missing', ignore_failure: true } },
        { rename: { field: 'missing', target_field: 'x', on_failure: [{ set: { field: 'failure', value: '{{ _ingest.on_failure_message }}' } }] } },
        { drop: { if: 'ctx.n == 2' } },
      ],
    });
    const response = await call('POST', `${PIPELINES}/p/_simulate?verbose=true`, { docs });
    const [first, second] = response.body.docs;
    expect(first.processor_results.map((result: any) => result.status)).toEqual(['success', 'skipped', 'error_ignored', 'error', 'success', 'skipped']);
    expect(first.processor_results[0]).toMatchObject({ processor_type: 'uppercase', tag: 'up', doc: { _source: { a: 'HELLO' }, _ingest: { pipeline: 'p' } } });
    expect(first.processor_results[1].if).toEqual({ condition: 'ctx.n == 99', result: false });
    expect(first.processor_results[2].ignored_error.error.reason).toBe('field [missing] not present as part of path [missing]');
    expect(first.processor_results[4]).toMatchObject({ processor_type: 'set', doc: { _source: { failure: "field [missing] doesn't exist" } } });
    expect(second.processor_results.at(-1)).toMatchObject({ processor_type: 'drop', status: 'dropped' });
  });

  it('should expose the failing processor to on_failure and keep other documents going', async () => {
    const { call } = await buildTestApp();
    const response = await call('POST', `${PIPELINES}/_simulate`, {
      pipeline: {
        processors: [{ convert: { field: 'n', type: 'integer', tag: 'conv' } }],
        on_failure: [
          { set: { field: 'error.message', value: '{{ _ingest.on_failure_message }}' } },
          { set: { field: 'error.processor', value: '{{ _ingest.on_failure_processor_type }}:{{ _ingest.on_failure_processor_tag }}' } },
        ],
      },
      docs: [{ _source: { n: 'abc' } }, { _source: { n: '7' } }],
    });
    expect(response.body.docs[0].doc._source.error).toEqual({ message: 'unable to convert [abc] to integer', processor: 'convert:conv' });
    expect(response.body.docs[0].doc._ingest).toEqual({ timestamp: expect.any(String) });
    expect(response.body.docs[1].doc._source).toEqual({ n: 7 });
  });

  it('should give a failed document its own error and a dropped one null', async () => {
    const { call } = await buildTestApp();
    const response = await call('POST', `${PIPELINES}/_simulate`, {
      pipeline: { processors: [{ drop: { if: "ctx.kind == 'spam'" } }, { fail: { message: 'no {{kind}} allowed', if: "ctx.kind == 'bad'" } }] },
      docs: [{ _source: { kind: 'spam' } }, { _source: { kind: 'bad' } }, { _source: { kind: 'good' } }],
    });
    expect(response.body.docs[0]).toBeNull();
    expect(response.body.docs[1]).toEqual({
      error: { root_cause: [{ type: 'fail_processor_exception', reason: 'no bad allowed' }], type: 'fail_processor_exception', reason: 'no bad allowed' },
    });
    expect(response.body.docs[2].doc._source).toEqual({ kind: 'good' });
  });

  it.each([
    [`${PIPELINES}/_simulate`, { docs }, 400, '[pipeline] required property is missing'],
    [`${PIPELINES}/ghost/_simulate`, { docs }, 404, 'pipeline with id [ghost] does not exist'],
    [`${PIPELINES}/_simulate`, { pipeline: { processors: [{ lowercase: { field: 'a' } }] }, docs: [] }, 400, 'must specify at least one document in [docs]'],
  ])('should refuse %s %j', async (path, body, status, reason) => {
    const { call } = await buildTestApp();
    const response = await call('POST', path, body);
    expect(response.status).toBe(status);
    expect(errorReason(response.body)).toBe(reason);
  });
});

describe('ML processors through _simulate against the emulator', () => {
  it.each([
    ['one model call per batch_size documents without coalescing', { batch_linger_ms: 0 }, { batch_size: 10 }, [10, 10, 5]],
    ['batch_size as the bound of every call, coalescing on', undefined, { batch_size: 10 }, [10, 10, 5]],
    ['every document coalesced into one provider call without batch_size', undefined, {}, [25]],
  ])('should embed documents with %s', async (_case, clientConfig, options, inputsPerCall) => {
    const { test, modelId } = await appWithEmbeddingModel(clientConfig);
    const response = await test.call('POST', `${PIPELINES}/_simulate`, {
      pipeline: { processors: [{ text_embedding: { model_id: modelId, field_map: { text: 'text_embedding' }, ...options } }] },
      docs: Array.from({ length: 25 }, (_, index) => ({ _source: { text: `document number ${index}` } })),
    });
    expect(response.status).toBe(200);
    expect(response.body.docs).toHaveLength(25);
    for (const entry of response.body.docs) expect(entry.doc._source.text_embedding).toHaveLength(1536);
    expect(inputCounts().sort((left, right) => right - left)).toEqual(inputsPerCall);
  });

  it('should never send more than batch_size texts in one provider call, even when documents have several texts', async () => {
    const { test, modelId } = await appWithEmbeddingModel();
    const response = await test.call('POST', `${PIPELINES}/_simulate`, {
      pipeline: { processors: [{ text_embedding: { model_id: modelId, field_map: { a: 'ea', b: 'eb', c: 'ec' }, batch_size: 4 } }] },
      docs: Array.from({ length: 8 }, (_, index) => ({ _source: { a: `a ${index}`, b: `b ${index}`, c: `c ${index}` } })),
    });
    expect(response.status).toBe(200);
    for (const entry of response.body.docs) expect(entry.doc._source.ec).toHaveLength(1536);
    expect(inputCounts().reduce((total, count) => total + count, 0)).toBe(24);
    for (const count of inputCounts()) expect(count).toBeLessThanOrEqual(4);
  });

  it('should isolate one bad document in a batch of 1,000 and a throttled call, enriching all the others', async () => {
    const { test, modelId } = await appWithEmbeddingModel();
    emulator.addFault({ effect: 'throttle', times: 2 } as never);
    const docs = Array.from({ length: 1000 }, (_, index) => ({
      _source: { text: index === 437 ? `bad ${FAIL_MARKER} text` : `text ${index}` },
    }));
    const response = await test.call('POST', `${PIPELINES}/_simulate`, {
      pipeline: { processors: [{ text_embedding: { model_id: modelId, field_map: { text: 'text_embedding' }, batch_size: 50 } }] },
      docs,
    });
    expect(response.status).toBe(200);
    const failed = response.body.docs.map((entry: any, index: number) => (entry.error ? index : -1)).filter((index: number) => index >= 0);
    expect(failed).toEqual([437]);
    expect(response.body.docs[437].error.reason).toMatch(/^Error from remote service: /);
    expect(response.body.docs[436].doc._source.text_embedding).toHaveLength(1536);
  });

  it('should let ignore_failure and on_failure handle a model error per document', async () => {
    const { test, modelId } = await appWithEmbeddingModel();
    const response = await test.call('POST', `${PIPELINES}/_simulate`, {
      pipeline: {
        processors: [
          {
            text_embedding: {
              model_id: modelId,
              field_map: { text: 'text_embedding' },
              on_failure: [{ set: { field: 'embedding_error', value: '{{ _ingest.on_failure_processor_type }}' } }],
            },
          },
        ],
      },
      docs: [{ _source: { text: `x ${FAIL_MARKER}` } }, { _source: { text: 'fine' } }],
    });
    expect(response.body.docs[0].doc._source).toEqual({ text: `x ${FAIL_MARKER}`, embedding_error: 'text_embedding' });
    expect(response.body.docs[1].doc._source.text_embedding).toHaveLength(1536);
  });

  it('should resolve name:<model name> references at run time', async () => {
    const { test } = await appWithEmbeddingModel();
    const response = await test.call('POST', `${PIPELINES}/_simulate`, {
      pipeline: { processors: [{ text_embedding: { model_id: 'name:openai-embedding', field_map: { text: 'v' } } }] },
      docs: [{ _source: { text: 'hello' } }],
    });
    expect(response.body.docs[0].doc._source.v).toHaveLength(1536);
    const unknown = await test.call('POST', `${PIPELINES}/_simulate`, {
      pipeline: { processors: [{ text_embedding: { model_id: 'name:nobody', field_map: { text: 'v' } } }] },
      docs: [{ _source: { text: 'hello' } }],
    });
    expect(unknown.body.docs[0].error.reason).toBe('Failed to find a model named [nobody]');
  });
});
