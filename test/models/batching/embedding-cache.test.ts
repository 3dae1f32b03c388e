import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { embedText } from '../../../fixtures/emulator/embeddings.js';
import { startEmulator, type Emulator } from '../../../fixtures/emulator/start-emulator.js';
import { EmbeddingCache, textKey } from '../../../src/models/batching/embedding-cache.js';
import { titanConnector } from '../../helpers/emulator-connectors.js';
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

describe('embedding cache', () => {
  it('should answer a repeated request from the cache without calling the provider, in the same shape', async () => {
    const { test, modelId } = await appWithModel(openAiWith(emulator, { embedding_cache_size: 100 }));
    const cold = await embed(test, modelId, ['alpha', 'beta']);
    expect(emulator.requests).toHaveLength(1);
    const warm = await embed(test, modelId, ['alpha', 'beta']);
    expect(emulator.requests).toHaveLength(1);
    expect(warm.body).toEqual(cold.body);
  });

  it('should send only the texts it does not hold, and keep the caller’s order', async () => {
    const { test, modelId } = await appWithModel(openAiWith(emulator, { embedding_cache_size: 100 }));
    await embed(test, modelId, ['alpha', 'gamma']);
    emulator.clearRequests();
    const mixed = await embed(test, modelId, ['beta', 'alpha', 'delta', 'gamma']);
    expect(sentInputs(emulator)).toEqual([['beta', 'delta']]);
    expect(mixed.body.inference_results).toHaveLength(1);
    expect(firstComponents(mixed.body.inference_results[0])).toEqual(['beta', 'alpha', 'delta', 'gamma'].map((text) => expect.closeTo(first(text), 6)));
  });

  it('should be off by default', async () => {
    const { test, modelId } = await appWithModel(openAiWith(emulator, {}));
    await embed(test, modelId, ['alpha']);
    await embed(test, modelId, ['alpha']);
    expect(emulator.requests).toHaveLength(2);
  });

  it('should cache one-doc-per-call connectors per text', async () => {
    const { test, modelId } = await appWithModel({ ...titanConnector(emulator.url), client_config: { embedding_cache_size: 10 } });
    const cold = await embed(test, modelId, ['x', 'y']);
    const warm = await embed(test, modelId, ['y', 'x', 'z']);
    expect(emulator.requests).toHaveLength(3);
    expect(warm.body.inference_results.map((element: { output: Array<{ data: number[] }> }) => element.output[0]!.data[0])).toEqual(
      ['y', 'x', 'z'].map((text) => expect.closeTo(first(text), 6)),
    );
    expect(warm.body.inference_results[1]).toEqual(cold.body.inference_results[0]);
  });

  it('should not serve vectors cached before the connector changed', async () => {
    const { test, modelId, connectorId } = await appWithModel(openAiWith(emulator, { embedding_cache_size: 100 }));
    await embed(test, modelId, ['alpha']);
    await embed(test, modelId, ['alpha']);
    expect(emulator.requests).toHaveLength(1);
    await test.call('POST', `/_plugins/_ml/models/${modelId}/_undeploy`);
    const updated = await test.call('PUT', `/_plugins/_ml/connectors/${connectorId}`, { version: '2' });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    await test.call('POST', `/_plugins/_ml/models/${modelId}/_deploy`);
    const after = await embed(test, modelId, ['alpha']);
    expect(after.status).toBe(200);
    expect(emulator.requests).toHaveLength(2);
  });

  it('should not let a caller corrupt the cache by editing its vectors', async () => {
    const cache = new EmbeddingCache(2);
    const tensors = [{ name: 'sentence_embedding', data: [1, 2] }];
    cache.set(textKey('a'), tensors);
    tensors[0]!.data[0] = 99;
    cache.get(textKey('a'))![0]!.data![1] = 99;
    expect(cache.get(textKey('a'))).toEqual([{ name: 'sentence_embedding', data: [1, 2] }]);
  });

  it('should evict the least recently used entry beyond its size', () => {
    const cache = new EmbeddingCache(2);
    cache.set('a', [{ data: [1] }]);
    cache.set('b', [{ data: [2] }]);
    cache.get('a');
    cache.set('c', [{ data: [3] }]);
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toEqual([{ data: [1] }]);
    expect(cache.get('c')).toEqual([{ data: [3] }]);
  });
});
