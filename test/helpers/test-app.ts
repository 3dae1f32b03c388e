import { Writable } from 'node:stream';
import { createApp } from '../../src/app.js';
import { painlessScriptFunctions } from '../../src/connectors/invoke/painless-script-functions.js';
import { createHttpClient, type HttpClient } from '../../src/http/http-client.js';
import { ClusterClient } from '../../src/cluster/cluster-client.js';
import { PassThrough } from '../../src/http/pass-through.js';
import { CLUSTER_CHECK_TIMEOUT_MS, dependencyChecks } from '../../src/lifecycle/dependency-checks.js';
import { ServiceProbes } from '../../src/lifecycle/service-probes.js';
import type { Deps } from '../../src/deps.js';
import type { Authenticator } from '../../src/security/identity/index.js';
import type { BodyBudget } from '../../src/routes/body-budget.js';
import { CredentialCipher } from '../../src/security/credential-cipher.js';
import { createServices, type Services } from '../../src/services.js';
import type { Store } from '../../src/store/store.js';
import type { PipelineFiles } from '../../src/pipeline/load-pipeline-files.js';
import { systemClock } from '../../src/util/clock.js';
import { SERVICE_VERSION } from '../../src/util/package-info.js';
import { createLogger } from '../../src/util/logger.js';
import { createTelemetry, type Telemetry } from '../../src/telemetry/telemetry.js';
import { openTestStore } from './test-store.js';

/** A fixed test key; tests that need a different one pass their own cipher. */
export const TEST_MASTER_KEY = Buffer.alloc(32, 7);

/** Collects log lines in memory so tests can assert what was (and was not) logged. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, callback: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    callback();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

export interface TestApp {
  app: ReturnType<typeof createApp>;
  services: Services;
  /** Serving, with the checks `main` would run on this store and cluster. */
  probes: ServiceProbes;
  store: Store;
  logs: LogCapture;
  deps: Deps;
  /** The app's own metrics registry and listeners (`GET /_sidecar/metrics` renders them). */
  telemetry: Telemetry;
  /** JSON request helper: returns status and parsed body. */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any; headers: Headers }>;
}

let idCounter = 0;

/** Builds the app over an in-memory (or given) store with deterministic ids and a captured log. */
export async function buildTestApp(
  options: {
    store?: Store;
    now?: () => number;
    maxBodyBytes?: number;
    bodyBudget?: BodyBudget;
    http?: HttpClient;
    pipelineFiles?: PipelineFiles;
    clusterUrl?: string;
    clusterTimeoutMs?: number;
    /** Who is calling (default: security off). */
    authenticator?: Authenticator;
    /** The credential cipher (default: one over TEST_MASTER_KEY). */
    cipher?: CredentialCipher;
    /** This app's node id (a replica's id; default: the store's own node id). */
    nodeId?: string;
  } = {},
): Promise<TestApp> {
  const logs = new LogCapture();
  const store = options.store ?? (await openTestStore());
  const logger = createLogger({ level: 'info', destination: logs });
  const telemetry = createTelemetry({ logger });
  const http = options.http ?? createHttpClient({ events: telemetry.transport });
  telemetry.watchTransport(() => http.snapshot?.());
  const deps: Deps = {
    store,
    clock: { ...systemClock, now: options.now ?? (() => Date.now()) },
    newId: () => `id${String(++idCounter).padStart(18, '0')}`,
    cipher: options.cipher ?? new CredentialCipher(TEST_MASTER_KEY),
    logger,
    http,
    scripts: painlessScriptFunctions(),
    pipelineFiles: options.pipelineFiles ?? { ingest: new Map(), search: new Map() },
    cluster: options.clusterUrl
      ? {
          client: new ClusterClient(options.clusterUrl, { requestTimeoutMs: options.clusterTimeoutMs ?? 5_000, events: telemetry.cluster }),
          passThrough: new PassThrough(options.clusterUrl, { timeoutMs: options.clusterTimeoutMs ?? 5_000, events: telemetry.cluster }),
        }
      : undefined,
    clusterName: 'test-cluster',
    nodeName: 'test-node',
    nodeId: options.nodeId,
    telemetry,
  };
  const services = await createServices(deps);
  const probes = new ServiceProbes({ version: SERVICE_VERSION, mode: options.clusterUrl ? 'proxy' : 'standalone', store: store.kind, clock: deps.clock });
  const probeClient = options.clusterUrl ? new ClusterClient(options.clusterUrl, { requestTimeoutMs: CLUSTER_CHECK_TIMEOUT_MS }) : undefined;
  probes.serving(dependencyChecks(store, probeClient));
  const app = createApp({
    services,
    logger: deps.logger,
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    ...(options.bodyBudget === undefined ? {} : { bodyBudget: options.bodyBudget }),
    probes,
    telemetry,
    ...(options.authenticator === undefined ? {} : { authenticator: options.authenticator }),
  });
  const call: TestApp['call'] = async (method, path, body) => {
    const init: RequestInit = { method, headers: { 'content-type': 'application/json' } };
    if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
    const response = await app.request(path, init);
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  };
  return { app, services, probes, store, logs, deps, telemetry, call };
}

/** Asserts a response is OpenSearch's error envelope and returns its reason. */
export function errorReason(body: any): string {
  if (!body?.error?.root_cause || typeof body.status !== 'number') {
    throw new Error(`not an OpenSearch error envelope: ${JSON.stringify(body)}`);
  }
  return body.error.reason as string;
}
