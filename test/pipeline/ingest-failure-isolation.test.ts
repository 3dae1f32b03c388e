/**
 * Failure isolation in the ingest runtime, through `_simulate` against the emulator: which failed
 * sub-batch calls are split to isolate the documents at fault, and how many calls that costs.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { openAiEmbeddingConnector, sagemakerEmbeddingConnector } from '../helpers/emulator-connectors.js';
import type { TestApp } from '../helpers/test-app.js';
import { appWithModel } from '../models/batching/support.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => emulator.close());
afterEach(() => {
  emulator.clearFaults();
  emulator.clearRequests();
});

/** A text the emulator answers with a 500 whenever a call carries it. */
const CRASH = 'crash-the-model';
/** No coalescing: each sub-batch is one provider call, so the ingest runtime alone decides splits. */
const UNCOALESCED = { batch_linger_ms: 0, max_retry_times: 0 };

const openAi = (clientConfig: object) => openAiEmbeddingConnector(emulator.url, { client_config: clientConfig });

/** Runs `texts` through a text_embedding pipeline with one sub-batch; answers each document's outcome: 'ok' or its error's reason. */
async function ingest(test: TestApp, modelId: string, texts: readonly string[]): Promise<string[]> {
  const response = await test.call('POST', '/_ingest/pipeline/_simulate', {
    pipeline: { processors: [{ text_embedding: { model_id: modelId, field_map: { text: 'vector' }, batch_size: texts.length } }] },
    docs: texts.map((text) => ({ _source: { text } })),
  });
  expect(response.status).toBe(200);
  return response.body.docs.map((entry: { error?: { reason: string }; doc?: { _source: { vector?: unknown } } }) => {
    if (entry.error !== undefined) return entry.error.reason;
    expect(entry.doc!._source.vector).toHaveLength(1536);
    return 'ok';
  });
}

const REMOTE_ERROR = expect.stringMatching(/^Error from remote service: \{/);
const SAGEMAKER_THROTTLING =
  'Error from remote service: The request was denied due to remote server throttling. To change the retry policy and behavior, please update the connector client_config.';
const allFailed = (count: number, reason: unknown = REMOTE_ERROR) => Array<unknown>(count).fill(reason);

/** Answers `count` predict calls with the status each got. */
async function predictMany(test: TestApp, modelId: string, count: number): Promise<number[]> {
  const statuses = [];
  for (let call = 0; call < count; call++) {
    statuses.push((await test.call('POST', `/_plugins/_ml/_predict/text_embedding/${modelId}`, { text_docs: [`call ${call}`] })).status);
  }
  return statuses;
}

const texts = (count: number, bad?: number) => Array.from({ length: count }, (_, index) => (index === bad ? `doc ${CRASH}` : `doc ${index}`));

describe('ingest failure isolation, against the emulator', () => {
  it('should fail only the document whose text makes the provider answer 500 (after retries)', async () => {
    const { test, modelId } = await appWithModel(openAi({ ...UNCOALESCED, max_retry_times: 1, retry_backoff_millis: 0 }));
    emulator.addFault({ match: { bodyContains: CRASH }, effect: 'error', status: 500, times: 'unlimited' });
    const outcomes = await ingest(test, modelId, texts(40, 17));
    expect(outcomes.map((outcome, index) => (outcome === 'ok' ? -1 : index)).filter((index) => index >= 0)).toEqual([17]);
    expect(outcomes[17]).toEqual(REMOTE_ERROR);
  });

  it('should not split when most of the model’s recent calls failed (an outage)', async () => {
    const { test, modelId } = await appWithModel(openAi(UNCOALESCED));
    emulator.addFault({ effect: 'error', status: 503, times: 'unlimited' });
    expect(await predictMany(test, modelId, 10)).toEqual(Array<number>(10).fill(503));
    emulator.clearRequests();
    expect(await ingest(test, modelId, texts(16))).toEqual(allFailed(16));
    expect(emulator.requests).toHaveLength(1);
  });

  it('should cap the extra calls a failing batch spends on splits', async () => {
    const { test, modelId } = await appWithModel(openAi(UNCOALESCED));
    expect(await predictMany(test, modelId, 20)).toEqual(Array<number>(20).fill(200));
    emulator.clearRequests();
    emulator.addFault({ effect: 'error', status: 503, times: 'unlimited' });
    expect(await ingest(test, modelId, texts(8))).toEqual(allFailed(8));
    // 1 call + 4·⌈log2 8⌉ extra calls; isolating all 8 documents would take 15.
    expect(emulator.requests).toHaveLength(13);
  });

  it('should split again once the model’s calls succeed again (the circuit closes)', async () => {
    const { test, modelId } = await appWithModel(openAi(UNCOALESCED));
    emulator.addFault({ effect: 'error', status: 503, times: 10 });
    expect(await predictMany(test, modelId, 10)).toEqual(Array<number>(10).fill(503));
    expect(await predictMany(test, modelId, 10)).toEqual(Array<number>(10).fill(200));
    emulator.addFault({ match: { bodyContains: CRASH }, effect: 'error', status: 500, times: 'unlimited' });
    const outcomes = await ingest(test, modelId, texts(8, 5));
    expect(outcomes).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', REMOTE_ERROR, 'ok', 'ok']);
  });

  it.each([
    ['SageMaker’s ThrottlingException 400', () => sagemakerEmbeddingConnector(emulator.url, { client_config: { max_retry_times: 0 } }), SAGEMAKER_THROTTLING],
    ['a 429', () => openAi(UNCOALESCED), REMOTE_ERROR],
  ])('should never split a sub-batch the provider throttled with %s', async (_case, connector, reason) => {
    const { test, modelId } = await appWithModel(connector());
    emulator.addFault({ effect: 'throttle', times: 'unlimited' });
    expect(await ingest(test, modelId, texts(8))).toEqual(allFailed(8, reason));
    expect(emulator.requests).toHaveLength(1);
  });
});
