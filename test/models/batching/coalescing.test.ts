import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { embedText } from '../../../fixtures/emulator/embeddings.js';
import { startEmulator, type Emulator } from '../../../fixtures/emulator/start-emulator.js';
import { titanConnector } from '../../helpers/emulator-connectors.js';
import { errorReason } from '../../helpers/test-app.js';
import { appWithModel, embed, firstComponents, openAiWith, sentInputs } from './support.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => emulator.close());
afterEach(() => {
  emulator.clearFaults();
  emulator.clearRequests();
});

const first = (text: string): number => embedText(text, 1536)[0]!;

describe('cross-request coalescing of text_docs predictions', () => {
  it.each([
    [10, 4],
    [12, 4],
    [7, 2048],
  ])('should serve %i concurrent one-text callers with ceil(N/%i) provider calls, each getting its own vector', async (callers, maxInputs) => {
    const { test, modelId } = await appWithModel(openAiWith(emulator, { batch_max_inputs: maxInputs, batch_linger_ms: 20 }));
    const texts = Array.from({ length: callers }, (_, index) => `caller ${index} says hello`);
    const responses = await Promise.all(texts.map((text) => embed(test, modelId, [text])));
    expect(emulator.requests).toHaveLength(Math.ceil(callers / maxInputs));
    for (const inputs of sentInputs(emulator)) expect(inputs.length).toBeLessThanOrEqual(maxInputs);
    expect(sentInputs(emulator).flat().sort()).toEqual([...texts].sort());
    responses.forEach((response, index) => {
      expect(response.status).toBe(200);
      expect(response.body.inference_results).toHaveLength(1);
      expect(response.body.inference_results[0]).toMatchObject({ status_code: 200, output: [{ name: 'sentence_embedding', shape: [1536] }] });
      expect(response.body.inference_results[0].output[0].data[0]).toBeCloseTo(first(texts[index]!), 6);
    });
  });

  it('should give each caller of a shared call its texts in its own order, in the shape it gets alone', async () => {
    const { test, modelId } = await appWithModel(openAiWith(emulator, { batch_linger_ms: 20 }));
    const alone = await embed(test, modelId, ['c', 'a', 'b']);
    emulator.clearRequests();
    const [left, right] = await Promise.all([embed(test, modelId, ['c', 'a', 'b']), embed(test, modelId, ['zz', 'yy'])]);
    expect(emulator.requests).toHaveLength(1);
    expect(left.body).toEqual(alone.body);
    expect(left.body.inference_results).toHaveLength(1);
    expect(firstComponents(left.body.inference_results[0])).toEqual(['c', 'a', 'b'].map(first).map((value) => expect.closeTo(value, 6)));
    expect(firstComponents(right.body.inference_results[0])).toEqual(['zz', 'yy'].map(first).map((value) => expect.closeTo(value, 6)));
  });

  it('should not coalesce with batch_linger_ms 0', async () => {
    const { test, modelId } = await appWithModel(openAiWith(emulator, { batch_linger_ms: 0 }));
    const responses = await Promise.all(['one', 'two', 'three', 'four'].map((text) => embed(test, modelId, [text])));
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200]);
    expect(emulator.requests).toHaveLength(4);
  });

  it('should honour batch_max_bytes, never cutting one caller’s texts', async () => {
    const { test, modelId } = await appWithModel(openAiWith(emulator, { batch_max_bytes: 10, batch_linger_ms: 20 }));
    const texts = ['aaaa', 'bbbb', 'cccc', 'dddd', 'eeee', 'ffff'];
    await Promise.all([embed(test, modelId, ['a much longer text than ten bytes']), ...texts.map((text) => embed(test, modelId, [text]))]);
    expect(emulator.requests).toHaveLength(4);
    for (const inputs of sentInputs(emulator)) {
      if (inputs.length > 1) expect(inputs.join('').length).toBeLessThanOrEqual(10);
    }
    expect(sentInputs(emulator)).toContainEqual(['a much longer text than ten bytes']);
  });

  it('should keep input_docs_processed_step_size chunks as elements and merge only what fits', async () => {
    const { test, modelId } = await appWithModel(openAiWith(emulator, { batch_linger_ms: 20 }, { input_docs_processed_step_size: '2' }));
    const [five, one] = await Promise.all([embed(test, modelId, ['a', 'b', 'c', 'd', 'e']), embed(test, modelId, ['f'])]);
    expect(five.body.inference_results.map((element: { output: unknown[] }) => element.output.length)).toEqual([2, 2, 1]);
    expect(one.body.inference_results.map((element: { output: unknown[] }) => element.output.length)).toEqual([1]);
    expect(emulator.requests).toHaveLength(3);
    for (const inputs of sentInputs(emulator)) expect(inputs.length).toBeLessThanOrEqual(2);
  });

  it('should not coalesce one-doc-per-call connectors (Bedrock)', async () => {
    const { test, modelId } = await appWithModel({ ...titanConnector(emulator.url), client_config: { batch_linger_ms: 20 } });
    const responses = await Promise.all(['x', 'y', 'z'].map((text) => embed(test, modelId, [text])));
    expect(responses.map((response) => response.body.inference_results.length)).toEqual([1, 1, 1]);
    expect(emulator.requests).toHaveLength(3);
  });

  it.each([
    ['max_items_per_request', {}, { max_items_per_request: 3 }, 3, Infinity],
    ['max_items_per_request over the connector’s batch_max_inputs', { batch_max_inputs: 8 }, { max_items_per_request: 3 }, 3, Infinity],
    ['max_bytes_per_request', {}, { max_bytes_per_request: 16 }, Infinity, 16],
  ])('should take the model’s batch_inference_config.%s as the coalescing limit', async (_case, clientConfig, config, maxTexts, maxBytes) => {
    const { test, modelId } = await appWithModel(openAiWith(emulator, { batch_linger_ms: 20, ...clientConfig }), { batch_inference_config: config });
    expect((await test.call('GET', `/_plugins/_ml/models/${modelId}`)).body.batch_inference_config).toEqual(config);
    const texts = Array.from({ length: 9 }, (_, index) => `text ${index}`);
    const responses = await Promise.all(texts.map((text) => embed(test, modelId, [text])));
    expect(responses.map((response) => response.status)).toEqual(texts.map(() => 200));
    expect(sentInputs(emulator).flat().sort()).toEqual(texts);
    expect(emulator.requests.length).toBeGreaterThan(1);
    for (const inputs of sentInputs(emulator)) {
      expect(inputs.length).toBeLessThanOrEqual(maxTexts);
      expect(inputs.join('').length).toBeLessThanOrEqual(maxBytes);
    }
  });

  it('should apply a batch_inference_config set by a model update', async () => {
    const { test, modelId } = await appWithModel(openAiWith(emulator, { batch_linger_ms: 20 }));
    const updated = await test.call('PUT', `/_plugins/_ml/models/${modelId}`, { batch_inference_config: { max_items_per_request: 2 } });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    // The update drops the deployed model; the first predict deploys the updated record again.
    await embed(test, modelId, ['warm up']);
    emulator.clearRequests();
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((text) => embed(test, modelId, [text])));
    expect(emulator.requests).toHaveLength(3);
    for (const inputs of sentInputs(emulator)) expect(inputs.length).toBeLessThanOrEqual(2);
  });

  it.each([
    [{ max_items_per_request: 0 }, 'must be >= 1'],
    [{ max_bytes_per_request: 'big' }, 'must be of type integer'],
    [{ queue: { enabled: true } }, 'unknown field [batch_inference_config.queue]'],
  ])('should refuse batch_inference_config %j at register', async (config, reason) => {
    const { test, connectorId } = await appWithModel(openAiWith(emulator, {}));
    const response = await test.call('POST', '/_plugins/_ml/models/_register', {
      name: 'bad', function_name: 'remote', connector_id: connectorId, batch_inference_config: config,
    });
    expect(response.status).toBe(400);
    expect(errorReason(response.body)).toContain(reason);
  });

  it('should refuse out-of-bounds batching keys when the connector is created', async () => {
    const { test } = await appWithModel(openAiWith(emulator, {}));
    for (const client_config of [{ batch_max_inputs: 0 }, { batch_linger_ms: 5000 }, { embedding_cache_size: -1 }, { requests_per_minute: 0 }]) {
      const response = await test.call('POST', '/_plugins/_ml/connectors/_create', openAiWith(emulator, client_config));
      expect(response.status, JSON.stringify(client_config)).toBe(400);
    }
  });
});
