/**
 * SIGTERM on the running service (`src/main.ts` in its own node process): a request in flight is
 * answered and the process exits 0; one still unanswered at `SHUTDOWN_TIMEOUT_MS` is cut, and the
 * process says how many and exits 1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { EMULATOR_SETTINGS } from '../helpers/blueprints.js';
import { openAiEmbeddingConnector } from '../helpers/emulator-connectors.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { temporaryFolders } from '../helpers/temp-dirs.js';

let emulator: Emulator;
const newDataDir = temporaryFolders('sidecar-stop');
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});

async function call(server: ServerProcess, method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, connection: response.headers.get('connection'), body: (await response.json()) as any };
}

/** A standalone service with an embedding model served by the emulator; returns the model id. */
async function serviceWithModel(env: Record<string, string> = {}): Promise<{ server: ServerProcess; modelId: string }> {
  const server = await startServerProcess({ DATA_DIR: newDataDir(), ...env });
  expect((await call(server, 'PUT', '/_cluster/settings', EMULATOR_SETTINGS)).status).toBe(200);
  const connector = await call(server, 'POST', '/_plugins/_ml/connectors/_create', openAiEmbeddingConnector(emulator.url));
  const model = await call(server, 'POST', '/_plugins/_ml/models/_register?deploy=true', {
    name: 'embedding', function_name: 'remote', connector_id: connector.body.connector_id,
  });
  expect(model.status).toBe(200);
  return { server, modelId: model.body.model_id as string };
}

/** Resolves once the predict has reached the emulator, which holds it (the service waits for it then). */
async function providerCalled(): Promise<void> {
  while (emulator.inFlight === 0) await new Promise((resolve) => setTimeout(resolve, 20));
}

const logLines = (server: ServerProcess) =>
  server.output().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);

describe('SIGTERM', () => {
  it('should let a request in flight finish, then exit 0', async () => {
    const { server, modelId } = await serviceWithModel();
    emulator.addFault({ match: { path: '^/v1/embeddings$' }, effect: 'delay', delayMs: 1_500 });
    const predict = call(server, 'POST', `/_plugins/_ml/models/${modelId}/_predict`, { parameters: { input: ['a long call'] } });
    await providerCalled();
    const exited = server.stop('SIGTERM');
    const answer = await predict;
    expect(answer.status).toBe(200);
    expect(answer.body.inference_results[0].output[0].data).toHaveLength(1536);
    expect(answer.connection).toBe('close');
    expect(await exited).toBe(0);
    const lines = logLines(server);
    expect(lines.find((line) => line['msg'] === 'shutting down: finishing requests in flight')).toMatchObject({ signal: 'SIGTERM', in_flight: 1 });
    expect(lines.at(-1)).toMatchObject({ msg: 'stopped: every request in flight was answered' });
  });

  it('should cut a request still in flight at SHUTDOWN_TIMEOUT_MS, log how many, and exit 1', async () => {
    const { server, modelId } = await serviceWithModel({ SHUTDOWN_TIMEOUT_MS: '500' });
    emulator.addFault({ match: { path: '^/v1/embeddings$' }, effect: 'delay', delayMs: 10_000 });
    const predict = call(server, 'POST', `/_plugins/_ml/models/${modelId}/_predict`, { parameters: { input: ['too long'] } }).catch((error: Error) => error);
    await providerCalled();
    const started = Date.now();
    expect(await server.stop('SIGTERM')).toBe(1);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await predict).toBeInstanceOf(Error);
    expect(logLines(server).find((line) => line['level'] === 'error')).toMatchObject({
      cut_requests: 1,
      shutdown_timeout_ms: 500,
      msg: 'shutdown cut 1 request(s) still in flight after SHUTDOWN_TIMEOUT_MS',
    });
  });
});
