/**
 * Billable usage (`GET /_sidecar/usage`): requests and tokens per model and UTC day, persisted by
 * the meter's flush (never by a predict), kept across a restart, summed over replicas, priced with
 * the model's `price_per_1k_tokens`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { approximateTokens } from '../../fixtures/emulator/chat-reply.js';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import type { Store, WriteOperation } from '../../src/store/store.js';
import { USAGE_COLLECTION, utcDay } from '../../src/usage/usage-record.js';
import { EMULATOR_SETTINGS } from '../helpers/blueprints.js';
import { openAiEmbeddingConnector } from '../helpers/emulator-connectors.js';
import { buildTestApp, errorReason, type TestApp } from '../helpers/test-app.js';
import { openReopenableTestStore, openTestStore } from '../helpers/test-store.js';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const TEXTS = ['What is the meaning of life?', 'hello'];
const TEXT_TOKENS = TEXTS.reduce((total, text) => total + approximateTokens(text), 0);

async function appOn(store: Store, nodeId?: string): Promise<TestApp> {
  const test = await buildTestApp({ store, ...(nodeId === undefined ? {} : { nodeId }) });
  expect((await test.call('PUT', '/_cluster/settings', EMULATOR_SETTINGS)).status).toBe(200);
  return test;
}

async function deployedModel(test: TestApp, fields: Record<string, unknown> = {}): Promise<string> {
  const created = await test.call('POST', '/_plugins/_ml/connectors/_create', openAiEmbeddingConnector(emulator.url));
  const registered = await test.call('POST', '/_plugins/_ml/models/_register?deploy=true', {
    name: 'embedding', function_name: 'remote', connector_id: created.body.connector_id, ...fields,
  });
  expect(registered.status, JSON.stringify(registered.body)).toBe(200);
  return registered.body.model_id as string;
}

const embed = async (test: TestApp, modelId: string) =>
  expect((await test.call('POST', `/_plugins/_ml/_predict/text_embedding/${modelId}`, { text_docs: TEXTS })).status).toBe(200);

const today = () => utcDay(Date.now());

describe('GET /_sidecar/usage', () => {
  it('should report requests and tokens per model and day, with the estimated cost of priced models', async () => {
    const test = await appOn(await openTestStore());
    const priced = await deployedModel(test, { price_per_1k_tokens: { input: 0.02, output: 0.5, currency: 'EUR' } });
    const free = await deployedModel(test);
    await embed(test, priced);
    await embed(test, priced);
    await embed(test, free);

    const { status, body } = await test.call('GET', '/_sidecar/usage');
    expect(status).toBe(200);
    const day = today();
    const cost = Number(((2 * TEXT_TOKENS) / 1000 * 0.02).toFixed(12));
    expect(body).toEqual({
      from: `${day.slice(0, 8)}01`,
      to: day,
      models: {
        [priced]: {
          model_name: 'embedding',
          requests: 2,
          input_tokens: 2 * TEXT_TOKENS,
          output_tokens: 0,
          estimated_cost: cost,
          currency: 'EUR',
          price_per_1k_tokens: { input: 0.02, output: 0.5, currency: 'EUR' },
          days: { [day]: { requests: 2, input_tokens: 2 * TEXT_TOKENS, output_tokens: 0, estimated_cost: cost } },
        },
        [free]: {
          model_name: 'embedding',
          requests: 1,
          input_tokens: TEXT_TOKENS,
          output_tokens: 0,
          days: { [day]: { requests: 1, input_tokens: TEXT_TOKENS, output_tokens: 0 } },
        },
      },
      total: { requests: 3, input_tokens: 3 * TEXT_TOKENS, output_tokens: 0, estimated_cost: { EUR: cost } },
    });
    const one = await test.call('GET', `/_sidecar/usage?model_id=${free}`);
    expect(Object.keys(one.body.models)).toEqual([free]);
  });

  it('should write nothing on the predict path: counts reach the store on flush', async () => {
    const store = await openTestStore();
    const test = await appOn(store);
    const modelId = await deployedModel(test);
    await embed(test, modelId);
    expect(await store.list(USAGE_COLLECTION)).toEqual([]);
    await test.services.usage.meter.flush();
    expect((await store.list(USAGE_COLLECTION)).map((record) => record.source)).toEqual([
      expect.objectContaining({ date: today(), model_id: modelId, requests: 1, input_tokens: TEXT_TOKENS, output_tokens: 0 }),
    ]);
  });

  it('should keep totals across a restart and continue them', async () => {
    const { store, reopen } = await openReopenableTestStore();
    const before = await appOn(store);
    const modelId = await deployedModel(before);
    await embed(before, modelId);
    await embed(before, modelId);
    await before.services.usage.meter.close(); // the shutdown flush
    await store.close();

    const after = await appOn(await reopen());
    expect((await after.call('GET', '/_sidecar/usage')).body.models[modelId]).toMatchObject({ requests: 2, input_tokens: 2 * TEXT_TOKENS });
    await embed(after, modelId);
    expect((await after.call('GET', '/_sidecar/usage')).body.models[modelId]).toMatchObject({ requests: 3, input_tokens: 3 * TEXT_TOKENS });
  });

  it('should sum replicas, each writing its own documents', async () => {
    const store = await openTestStore();
    const first = await appOn(store, 'replica-a');
    const second = await appOn(store, 'replica-b');
    const modelId = await deployedModel(first);
    await embed(first, modelId);
    await embed(second, modelId);
    await embed(second, modelId);
    await Promise.all([first.services.usage.meter.flush(), second.services.usage.meter.flush()]);
    await embed(second, modelId);
    await second.services.usage.meter.flush();

    for (const test of [first, second]) {
      expect((await test.call('GET', '/_sidecar/usage')).body.models[modelId]).toMatchObject({ requests: 4, input_tokens: 4 * TEXT_TOKENS });
    }
    const documents = (await store.list(USAGE_COLLECTION)).map((record) => record.source);
    expect(documents.map((document) => [document['writer'], document['requests']]).sort()).toEqual([['replica-a', 1], ['replica-b', 3]]);
  });

  it('should select days by from and to (UTC, inclusive)', async () => {
    const store = await openTestStore();
    const test = await appOn(store);
    const modelId = await deployedModel(test);
    const day = (date: string, requests: number): WriteOperation => ({
      op: 'create',
      collection: USAGE_COLLECTION,
      id: `${date}:old-replica:${modelId}`,
      source: { date, model_id: modelId, writer: 'old-replica', requests, input_tokens: requests * 10, output_tokens: requests, updated_at: 0 },
    });
    await store.write([day('2024-01-31', 1), day('2024-02-01', 2), day('2024-02-29', 4), day('2024-03-01', 8)]);

    const february = await test.call('GET', '/_sidecar/usage?from=2024-02-01&to=2024-02-29');
    expect(february.body.models[modelId]).toMatchObject({ requests: 6, input_tokens: 60, output_tokens: 6 });
    expect(Object.keys(february.body.models[modelId].days)).toEqual(['2024-02-01', '2024-02-29']);
    expect((await test.call('GET', '/_sidecar/usage?from=2024-03-01&to=2024-03-01')).body.total).toMatchObject({ requests: 8 });
  });

  it.each([
    ['from=2024-02-30', '[from] must be a date as yyyy-MM-dd (UTC), got [2024-02-30]'],
    ['to=yesterday', '[to] must be a date as yyyy-MM-dd (UTC), got [yesterday]'],
    ['from=2024-03-02&to=2024-03-01', '[from] 2024-03-02 is after [to] 2024-03-01'],
  ])('should refuse %s', async (query, reason) => {
    const test = await appOn(await openTestStore());
    const response = await test.call('GET', `/_sidecar/usage?${query}`);
    expect(response.status).toBe(400);
    expect(errorReason(response.body)).toBe(reason);
  });
});

describe('price_per_1k_tokens', () => {
  it('should be stored, updated and used by the next report', async () => {
    const test = await appOn(await openTestStore());
    const modelId = await deployedModel(test, { price_per_1k_tokens: { input: 1 } });
    expect((await test.call('GET', `/_plugins/_ml/models/${modelId}`)).body.price_per_1k_tokens).toEqual({ input: 1 });
    await embed(test, modelId);
    expect((await test.call('GET', '/_sidecar/usage')).body.models[modelId]).toMatchObject({ estimated_cost: TEXT_TOKENS / 1000, currency: 'USD' });
    expect((await test.call('PUT', `/_plugins/_ml/models/${modelId}`, { price_per_1k_tokens: { input: 2, currency: 'USD' } })).status).toBe(200);
    expect((await test.call('GET', '/_sidecar/usage')).body.total.estimated_cost).toEqual({ USD: (2 * TEXT_TOKENS) / 1000 });
  });

  it.each([
    [{ input: -1 }, 'must be >= 0'],
    [{ input: '0.1' }, '[price_per_1k_tokens.input] must be of type number'],
    [{ input: 1, per: 'token' }, 'per'],
  ])('should refuse %j', async (price, reason) => {
    const test = await appOn(await openTestStore());
    const created = await test.call('POST', '/_plugins/_ml/connectors/_create', openAiEmbeddingConnector(emulator.url));
    const response = await test.call('POST', '/_plugins/_ml/models/_register', {
      name: 'm', function_name: 'remote', connector_id: created.body.connector_id, price_per_1k_tokens: price,
    });
    expect(response.status).toBe(400);
    expect(errorReason(response.body)).toContain(reason);
  });
});
