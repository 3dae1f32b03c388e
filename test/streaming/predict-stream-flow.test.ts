/**
 * How a streamed predict flows over real sockets: frames reach the client while the provider is
 * still answering (time to first byte measured against the whole answer), memory stays flat
 * however long the answer, and a client that goes away ends the provider's call.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preciseNow } from '../../fixtures/emulator/request-log.js';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { EMULATOR_SETTINGS } from '../helpers/blueprints.js';
import { listen } from '../helpers/listen.js';
import { STREAMING_PROVIDERS } from '../helpers/streaming-connectors.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';

let emulator: Emulator;
let test: TestApp;
let server: { url: string; close(): Promise<void> };
let model: string;

beforeAll(async () => {
  emulator = await startEmulator({ maxLoggedRequests: 100 });
  test = await buildTestApp();
  server = await listen(test);
  await test.call('PUT', '/_cluster/settings', { persistent: { ...EMULATOR_SETTINGS.persistent, 'plugins.ml_commons.stream_enabled': true } });
  const connector = (await test.call('POST', '/_plugins/_ml/connectors/_create', STREAMING_PROVIDERS['OpenAI chat completions'].connector(emulator.url))).body.connector_id;
  model = (await test.call('POST', '/_plugins/_ml/models/_register?deploy=true', { name: 'chat', function_name: 'remote', connector_id: connector })).body.model_id;
});
afterAll(async () => {
  await server?.close();
  await emulator?.close();
});

/** Starts a streamed predict over HTTP and returns its body reader. */
async function open(question: string, signal?: AbortSignal) {
  const response = await fetch(`${server.url}/_plugins/_ml/models/${model}/_predict/stream`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ parameters: STREAMING_PROVIDERS['OpenAI chat completions'].parameters(question) }),
    ...(signal === undefined ? {} : { signal }),
  });
  expect(response.status).toBe(200);
  return response.body!.getReader();
}

/** `global.gc`, without starting node with --expose-gc. */
function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

describe('streamed predict over sockets', () => {
  it('should deliver the first frame long before the provider finishes the answer', async () => {
    await (await open('Warm the connection pool up')).cancel();
    emulator.setStreamDelay(20);
    emulator.clearRequests();
    const started = preciseNow();
    const reader = await open('Tell me a story __emulator_tokens_60__');
    const decoder = new TextDecoder();
    let text = '';
    let firstFrameAt: number | undefined;
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      text += decoder.decode(chunk.value, { stream: true });
      if (firstFrameAt === undefined && text.includes('"is_last":false')) firstFrameAt = preciseNow();
    }
    const finishedAt = preciseNow();
    emulator.setStreamDelay(0);
    const timeToFirstByte = firstFrameAt! - started;
    const total = finishedAt - started;
    // 60+ frames 20 ms apart: the whole answer takes over 1.2 s; the first piece comes within a fifth of that.
    expect(total).toBeGreaterThan(1_200);
    expect(timeToFirstByte).toBeLessThan(total / 5);
    for (let waited = 0; emulator.requests[0]?.endTime === null && waited < 1_000; waited += 10) await delay(10);
    expect(firstFrameAt!).toBeLessThan(emulator.requests[0]!.endTime! - 1_000);
    expect(text).toContain('"is_last":true');
  });

  it('should keep memory flat over a long stream', async () => {
    const gc = collectGarbage();
    const tokens = 150_000;
    const reader = await open(`Recite __emulator_tokens_${tokens}__`);
    const decoder = new TextDecoder();
    let bytes = 0;
    let frames = 0;
    const heap: number[] = [];
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      bytes += chunk.value.length;
      frames += (decoder.decode(chunk.value, { stream: true }).match(/\n\n/g) ?? []).length;
      if ((heap.length === 0 && frames > tokens * 0.1) || (heap.length === 1 && frames > tokens * 0.9)) {
        gc();
        heap.push(process.memoryUsage().heapUsed);
      }
    }
    expect(frames).toBeGreaterThan(tokens);
    expect(bytes).toBeGreaterThan(15 * 1024 * 1024);
    // 80% of a 15+ MB answer passed between the two measurements; the heap grew by far less.
    expect(heap[1]! - heap[0]!).toBeLessThan(5 * 1024 * 1024);
  }, 120_000);

  it('should end the provider call when the client goes away', async () => {
    emulator.setStreamDelay(50);
    emulator.clearRequests();
    const client = new AbortController();
    const reader = await open('A slow answer __emulator_tokens_200__', client.signal);
    await reader.read();
    const abandonedAt = preciseNow();
    client.abort();
    let provider = emulator.requests[0]!;
    for (let waited = 0; provider.endTime === null && waited < 2_000; waited += 20) {
      await delay(20);
      provider = emulator.requests[0]!;
    }
    emulator.setStreamDelay(0);
    // The whole answer would take 10 s; the provider saw its connection close right after the client left.
    expect(provider.closedEarly).toBe(true);
    expect(provider.endTime! - abandonedAt).toBeLessThan(1_000);
  });
});
