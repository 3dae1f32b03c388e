import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { startOpenSearchStandIn, type OpenSearchStandInOptions, type StandIn } from '../support/opensearch-stand-in/start-stand-in.js';
import { EMULATOR_SETTINGS } from './blueprints.js';
import { openAiEmbeddingConnector } from './emulator-connectors.js';
import type { BodyBudget } from '../../src/routes/body-budget.js';
import { buildTestApp, type TestApp } from './test-app.js';

export interface ProxySetup {
  emulator: Emulator;
  cluster: StandIn;
  test: TestApp;
  embeddingModel: string;
  close(): Promise<void>;
}

/** The sidecar in front of the OpenSearch stand-in, with an embedding model served by the emulator. */
export async function startProxySetup(
  options: { standIn?: OpenSearchStandInOptions; clusterTimeoutMs?: number; maxBodyBytes?: number; bodyBudget?: BodyBudget } = {},
): Promise<ProxySetup> {
  const emulator = await startEmulator();
  const cluster = await startOpenSearchStandIn(options.standIn ?? {});
  const test = await buildTestApp({
    clusterUrl: cluster.url,
    clusterTimeoutMs: options.clusterTimeoutMs ?? 3_000,
    ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
    ...(options.bodyBudget === undefined ? {} : { bodyBudget: options.bodyBudget }),
  });
  await test.services.settings.update(EMULATOR_SETTINGS);
  const connector = await test.services.connectors.create(openAiEmbeddingConnector(emulator.url), undefined);
  const model = await test.services.models.register(
    { name: 'embedding', function_name: 'remote', connector_id: connector.connector_id },
    { deploy: true, caller: undefined },
  );
  return {
    emulator,
    cluster,
    test,
    embeddingModel: model.model_id,
    close: async () => {
      await emulator.close();
      await cluster.close();
    },
  };
}

/** Sends a request with a raw body and content type through the app. */
export async function send(
  test: TestApp,
  method: string,
  path: string,
  body?: string | object,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await test.app.request(path, {
    method,
    headers: { 'content-type': typeof body === 'string' ? 'application/x-ndjson' : 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // Some OpenSearch endpoints answer text (e.g. _cat without format=json).
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

/** NDJSON from lines of JSON values. */
export const ndjson = (...lines: unknown[]): string => lines.map((line) => JSON.stringify(line)).join('\n') + '\n';
