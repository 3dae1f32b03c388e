import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { embedText } from '../../../fixtures/emulator/embeddings.js';
import { FAIL_MARKER } from '../../../fixtures/emulator/request-pipeline.js';
import { startEmulator, type Emulator } from '../../../fixtures/emulator/start-emulator.js';
import type { ModelTensors } from '../../../src/connectors/invoke/invoke-connector.js';
import { ProviderError } from '../../../src/errors/provider-error.js';
import { sendUnits } from '../../../src/models/batching/split-on-failure.js';
import { BatchSplitter } from '../../../src/models/isolation/split-rule.js';
import { sagemakerEmbeddingConnector } from '../../helpers/emulator-connectors.js';
import { errorReason, type TestApp } from '../../helpers/test-app.js';
import { appWithModel, embed, openAiWith, sentInputs } from './support.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => emulator.close());
afterEach(() => {
  emulator.clearFaults();
  emulator.clearRequests();
});

describe('split on failure, against the emulator', () => {
  it('should fail only the caller whose text is bad, and serve every other caller of the shared call', async () => {
    const { test, modelId } = await appWithModel(openAiWith(emulator, { batch_linger_ms: 20 }));
    const texts = Array.from({ length: 9 }, (_, index) => (index === 6 ? `bad ${FAIL_MARKER} text` : `good text ${index}`));
    const responses = await Promise.all(texts.map((text) => embed(test, modelId, [text, `${text} again`])));
    responses.forEach((response, index) => {
      if (index === 6) {
        expect(response.status).toBe(400);
        expect(errorReason(response.body)).toMatch(/^Error from remote service: .*__emulator_fail__/);
      } else {
        expect(response.status, JSON.stringify(response.body)).toBe(200);
        expect(response.body.inference_results[0].output.map((tensor: { data: number[] }) => tensor.data[0])).toEqual(
          [texts[index]!, `${texts[index]!} again`].map((text) => expect.closeTo(embedText(text, 1536)[0]!, 6)),
        );
      }
    });
    // One shared call, then a bisection down to the bad caller: at most 2k - 1 calls for k callers.
    expect(emulator.requests.length).toBeGreaterThan(1);
    expect(emulator.requests.length).toBeLessThanOrEqual(2 * texts.length - 1);
  });

  it('should fail every caller of the call with the same error when the error is not one input’s', async () => {
    const { test, modelId } = await appWithModel(openAiWith(emulator, { batch_linger_ms: 20, max_retry_times: 0 }));
    emulator.addFault({ match: { path: '^/v1/embeddings$' }, effect: 'error', status: 401, times: 1 });
    const responses = await Promise.all(['a', 'b', 'c'].map((text) => embed(test, modelId, [text])));
    expect(responses.map((response) => response.status)).toEqual([401, 401, 401]);
    expect(new Set(responses.map((response) => errorReason(response.body))).size).toBe(1);
    expect(emulator.requests).toHaveLength(1);
  });
});

/** A text the emulator answers with a 500 whenever a call carries it (after the transport's retry). */
const CRASH = 'crash-the-model';
const crashOn = (emulator: Emulator) =>
  emulator.addFault({ match: { bodyContains: CRASH }, effect: 'error', status: 500, times: 'unlimited' });
/** One retry, at once: the 500 is the provider's answer "after retries". */
const RETRY_ONCE = { max_retry_times: 1, retry_backoff_millis: 0 };
const predictStatus = async (test: TestApp, modelId: string, text: string) => (await embed(test, modelId, [text])).status;

describe('isolating a 5xx in a shared call, against the emulator', () => {
  it('should fail only the caller whose text makes the provider answer 500', async () => {
    const { test, modelId } = await appWithModel(openAiWith(emulator, { batch_linger_ms: 20, ...RETRY_ONCE }));
    crashOn(emulator);
    const texts = Array.from({ length: 9 }, (_, index) => (index === 4 ? `text ${CRASH}` : `good text ${index}`));
    const responses = await Promise.all(texts.map((text) => embed(test, modelId, [text])));
    responses.forEach((response, index) => {
      if (index === 4) {
        expect(response.status).toBe(500);
        expect(errorReason(response.body)).toMatch(/^Error from remote service: /);
      } else {
        expect(response.status, JSON.stringify(response.body)).toBe(200);
        expect(response.body.inference_results[0].output[0].data[0]).toBeCloseTo(embedText(texts[index]!, 1536)[0]!, 6);
      }
    });
  });

  it('should not split a failing shared call when most of the model’s recent calls failed (an outage)', async () => {
    const { test, modelId } = await appWithModel(openAiWith(emulator, { batch_linger_ms: 20, max_retry_times: 0 }));
    emulator.addFault({ match: { path: '^/v1/embeddings$' }, effect: 'error', status: 503, times: 'unlimited' });
    for (let call = 0; call < 10; call++) expect(await predictStatus(test, modelId, `probe ${call}`)).toBe(503);
    emulator.clearRequests();
    const texts = Array.from({ length: 9 }, (_, index) => `caller ${index}`);
    const responses = await Promise.all(texts.map((text) => embed(test, modelId, [text])));
    expect(responses.map((response) => response.status)).toEqual(Array<number>(9).fill(503));
    // Each caller's text travelled in exactly one call: nothing was re-sent to isolate it.
    expect(sentInputs(emulator).flat().sort()).toEqual([...texts].sort());
  });

  it('should split again once the model’s calls succeed again (the circuit closes)', async () => {
    const { test, modelId } = await appWithModel(openAiWith(emulator, { batch_linger_ms: 20, max_retry_times: 0 }));
    emulator.addFault({ match: { path: '^/v1/embeddings$' }, effect: 'error', status: 503, times: 10 });
    for (let call = 0; call < 10; call++) expect(await predictStatus(test, modelId, `outage ${call}`)).toBe(503);
    for (let call = 0; call < 10; call++) expect(await predictStatus(test, modelId, `recovered ${call}`)).toBe(200);
    crashOn(emulator);
    const texts = ['one', `two ${CRASH}`, 'three', 'four'];
    const responses = await Promise.all(texts.map((text) => embed(test, modelId, [text])));
    expect(responses.map((response) => response.status)).toEqual([200, 500, 200, 200]);
  });

  it.each([
    ['a 429', () => openAiWith(emulator, { batch_linger_ms: 20, max_retry_times: 0 }), 429],
    [
      'SageMaker’s ThrottlingException 400',
      () => sagemakerEmbeddingConnector(emulator.url, { client_config: { batch_max_inputs: 8, batch_linger_ms: 20, max_retry_times: 0 } }),
      400,
    ],
  ])('should never split a shared call the provider throttled with %s', async (_case, connector, status) => {
    const { test, modelId } = await appWithModel(connector());
    emulator.addFault({ effect: 'throttle', times: 'unlimited' });
    const texts = Array.from({ length: 6 }, (_, index) => `caller ${index}`);
    const responses = await Promise.all(texts.map((text) => embed(test, modelId, [text])));
    expect(responses.map((response) => response.status)).toEqual(Array<number>(6).fill(status));
    const sent = emulator.requests.flatMap((request) => (Array.isArray(request.body) ? request.body : (request.body as { input: string[] }).input));
    expect(sent.sort()).toEqual([...texts].sort());
  });
});

const provider = (statusCode: number) => new ProviderError({ statusCode, responseHeaders: {}, reason: 'Error from remote service: bad input' });

const tensorsFor = (texts: readonly (string | null)[]): ModelTensors[] => [
  { output: texts.map((text) => ({ name: 'sentence_embedding', data: [String(text).length] })), status_code: 200 },
];

describe('sendUnits', () => {
  const units = (...groups: string[][]) => groups.map((texts) => ({ texts, bytes: texts.join('').length }));
  const closedCircuit = (count: number) => new BatchSplitter(count, () => false);
  const failingOn = (prefix: string, error: () => unknown, calls: string[][]) => async (texts: readonly (string | null)[]) => {
    calls.push(texts as string[]);
    if (texts.some((text) => text?.startsWith(prefix))) throw error();
    return tensorsFor(texts);
  };

  it.each([
    ['an input-specific 4xx', () => provider(400)],
    ['a provider 5xx while the circuit is closed', () => provider(500)],
  ])('should bisect on %s until the bad units are alone', async (_case, error) => {
    const calls: string[][] = [];
    const given = units(['a'], ['bad1', 'b'], ['cc'], ['d'], ['bad2'], ['eee']);
    const send = failingOn('bad', error, calls);
    const outcomes = await sendUnits(given, { send, attribution: 'per-tensor', splitter: closedCircuit(given.length) });
    expect(outcomes.map((outcome) => ('error' in outcome ? 'failed' : 'ok'))).toEqual(['ok', 'failed', 'ok', 'ok', 'failed', 'ok']);
    expect(outcomes[2]).toEqual({ answer: { perText: [{ tensors: [{ name: 'sentence_embedding', data: [2] }], status: 200 }] } });
    expect(calls.length).toBeLessThanOrEqual(2 * 6 - 1);
  });

  it.each([401, 403, 404, 429])('should not split on a %i', async (status) => {
    const calls: string[][] = [];
    const send = failingOn('', () => provider(status), calls);
    const outcomes = await sendUnits(units(['a'], ['b'], ['c']), { send, attribution: 'per-tensor', splitter: closedCircuit(3) });
    expect(outcomes.every((outcome) => 'error' in outcome)).toBe(true);
    expect(calls).toHaveLength(1);
  });

  it('should not split on a 5xx while the circuit is open', async () => {
    const calls: string[][] = [];
    const send = failingOn('bad', () => provider(503), calls);
    const splitter = new BatchSplitter(3, () => true);
    const outcomes = await sendUnits(units(['a'], ['bad'], ['c']), { send, attribution: 'per-tensor', splitter });
    expect(outcomes.every((outcome) => 'error' in outcome)).toBe(true);
    expect(calls).toHaveLength(1);
  });

  it('should stop splitting when the batch spent its extra calls', async () => {
    const calls: string[][] = [];
    const given = units(...Array.from({ length: 16 }, (_, index) => [`bad ${index}`]));
    const send = failingOn('bad', () => provider(500), calls);
    await sendUnits(given, { send, attribution: 'per-tensor', splitter: closedCircuit(given.length) });
    expect(calls).toHaveLength(1 + 16); // the whole bisection tree would be 31 calls
  });

  it('should give each unit its own call, answered whole, when an answer cannot be split per text', async () => {
    const calls: string[][] = [];
    const send = async (texts: readonly (string | null)[]) => {
      calls.push(texts as string[]);
      return tensorsFor([...texts, 'one too many']);
    };
    const outcomes = await sendUnits(units(['a'], ['bb', 'c']), { send, attribution: 'per-tensor', splitter: closedCircuit(2) });
    expect(calls).toEqual([['a', 'bb', 'c'], ['a'], ['bb', 'c']]);
    expect(outcomes).toEqual([{ answer: { whole: tensorsFor(['a', 'one too many']) } }, { answer: { whole: tensorsFor(['bb', 'c', 'one too many']) } }]);
  });
});
