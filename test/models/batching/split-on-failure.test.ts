import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { embedText } from '../../../fixtures/emulator/embeddings.js';
import { FAIL_MARKER } from '../../../fixtures/emulator/request-pipeline.js';
import { startEmulator, type Emulator } from '../../../fixtures/emulator/start-emulator.js';
import type { ModelTensors } from '../../../src/connectors/invoke/invoke-connector.js';
import { statusException } from '../../../src/errors/opensearch-error.js';
import { isInputSpecific, sendUnits } from '../../../src/models/batching/split-on-failure.js';
import { errorReason } from '../../helpers/test-app.js';
import { appWithModel, embed, openAiWith } from './support.js';

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
    emulator.addFault({ match: { path: '^/v1/embeddings$' }, effect: 'error', status: 503, times: 1 });
    const responses = await Promise.all(['a', 'b', 'c'].map((text) => embed(test, modelId, [text])));
    expect(responses.map((response) => response.status)).toEqual([503, 503, 503]);
    expect(new Set(responses.map((response) => errorReason(response.body))).size).toBe(1);
    expect(emulator.requests).toHaveLength(1);
  });
});

const tensorsFor = (texts: readonly (string | null)[]): ModelTensors[] => [
  { output: texts.map((text) => ({ name: 'sentence_embedding', data: [String(text).length] })), status_code: 200 },
];

describe('sendUnits', () => {
  const units = (...groups: string[][]) => groups.map((texts) => ({ texts, bytes: texts.join('').length }));

  it('should bisect on an input-specific 4xx until the bad units are alone', async () => {
    const calls: string[][] = [];
    const send = async (texts: readonly (string | null)[]) => {
      calls.push(texts as string[]);
      if (texts.some((text) => text?.startsWith('bad'))) throw statusException(400, 'Error from remote service: bad input');
      return tensorsFor(texts);
    };
    const outcomes = await sendUnits(units(['a'], ['bad1', 'b'], ['cc'], ['d'], ['bad2'], ['eee']), send, 'per-tensor');
    expect(outcomes.map((outcome) => ('error' in outcome ? 'failed' : 'ok'))).toEqual(['ok', 'failed', 'ok', 'ok', 'failed', 'ok']);
    expect(outcomes[2]).toEqual({ answer: { perText: [{ tensors: [{ name: 'sentence_embedding', data: [2] }], status: 200 }] } });
    expect(calls.length).toBeLessThanOrEqual(2 * 6 - 1);
  });

  it.each([401, 403, 404, 429, 500])('should not split on a %i', async (status) => {
    let calls = 0;
    const send = async () => {
      calls++;
      throw statusException(status, 'nope');
    };
    const outcomes = await sendUnits(units(['a'], ['b'], ['c']), send, 'per-tensor');
    expect(outcomes.every((outcome) => 'error' in outcome)).toBe(true);
    expect(calls).toBe(1);
  });

  it('should not split on AWS throttling answered with a 400', () => {
    expect(isInputSpecific(statusException(400, 'Error from remote service: The request was denied due to remote server throttling. To change ...'))).toBe(false);
    expect(isInputSpecific(statusException(422, 'Error from remote service: too long'))).toBe(true);
  });

  it('should give each unit its own call, answered whole, when an answer cannot be split per text', async () => {
    const calls: string[][] = [];
    const send = async (texts: readonly (string | null)[]) => {
      calls.push(texts as string[]);
      return tensorsFor([...texts, 'one too many']);
    };
    const outcomes = await sendUnits(units(['a'], ['bb', 'c']), send, 'per-tensor');
    expect(calls).toEqual([['a', 'bb', 'c'], ['a'], ['bb', 'c']]);
    expect(outcomes).toEqual([{ answer: { whole: tensorsFor(['a', 'one too many']) } }, { answer: { whole: tensorsFor(['bb', 'c', 'one too many']) } }]);
  });
});
