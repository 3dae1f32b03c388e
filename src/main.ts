import { serve } from '@hono/node-server';
import { createServer as createHttpsServer } from 'node:https';
import { createApp, createStartingApp } from './app.js';
import type { ClusterCallEvents } from './cluster/cluster-call-events.js';
import { ClusterClient } from './cluster/cluster-client.js';
import { ConfigError, loadConfig } from './config.js';
import { painlessScriptFunctions } from './connectors/invoke/painless-script-functions.js';
import { OpenSearchError } from './errors/opensearch-error.js';
import { createHttpClient } from './http/http-client.js';
import { PassThrough } from './http/pass-through.js';
import { BodyBudget } from './routes/body-budget.js';
import { loadPipelineFiles } from './pipeline/load-pipeline-files.js';
import { BackgroundDuties } from './replicas/background-duties.js';
import { heartbeatCleanup, taskCleanup } from './replicas/cleanup-duties.js';
import { CLUSTER_CHECK_TIMEOUT_MS, dependencyChecks } from './lifecycle/dependency-checks.js';
import { RequestDrain, type DrainableServer } from './lifecycle/request-drain.js';
import { ServiceProbes } from './lifecycle/service-probes.js';
import { Shutdown } from './lifecycle/shutdown.js';
import { assertBindAllowed, loadTlsOptions, selectAuthenticator, startupNotice } from './security/identity/index.js';
import { decodeMasterKey, decodePreviousKeys, MasterKeyFileError } from './security/master-key.js';
import { MasterKeyMismatchError } from './security/master-key-check.js';
import { createServices, type Services } from './services.js';
import { openState } from './startup/open-state.js';
import { retryUntilDone } from './startup/retry-until-done.js';
import { applyServerLimits, serverTimeoutOptions } from './startup/server-limits.js';
import { systemClock } from './util/clock.js';
import { SERVICE_VERSION } from './util/package-info.js';
import { redactUrl } from './util/redact-url.js';
import { randomId } from './util/ids.js';
import { createLogger } from './util/logger.js';
import type { KeyRotationStatus } from './models/master-key-rotation.js';
import type { JsonObject } from './store/store.js';
import { createTelemetry } from './telemetry/telemetry.js';

/**
 * Starts the service: config → listen (alive, answering 503 while starting) → identity and state
 * (retried with backoff while the cluster cannot be reached) → services → serve → graceful
 * shutdown on SIGTERM/SIGINT (see lifecycle/shutdown.ts).
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel });
  const telemetry = createTelemetry({ logger, processMetrics: true });
  const clock = systemClock;
  const tls = config.tlsCertFile && config.tlsKeyFile ? loadTlsOptions({ certFile: config.tlsCertFile, keyFile: config.tlsKeyFile }) : undefined;
  // MASTER_KEY is checked before listening; a key file is read once the embedded store is open.
  const masterKey = config.masterKey === undefined ? undefined : decodeMasterKey(config.masterKey, 'MASTER_KEY');
  const previousKeys = decodePreviousKeys(config.previousMasterKeys);
  const chooseAuthenticator = async () => {
    const authenticator = await selectAuthenticator({ opensearchUrl: config.opensearchUrl, usersFile: config.usersFile, clock, logger });
    assertBindAllowed({ host: config.host, authenticatorKind: authenticator.kind, allowInsecureBind: config.allowInsecureBind });
    return authenticator;
  };
  // Without a cluster the identity source is known at once: refuse an unsafe bind before listening.
  const knownAuthenticator = config.opensearchUrl === undefined ? await chooseAuthenticator() : undefined;

  const probes = new ServiceProbes({
    version: SERVICE_VERSION,
    mode: config.opensearchUrl === undefined ? 'standalone' : 'proxy',
    store: config.stateStore,
    clock,
    keyRotation: async () => (services === undefined ? null : rotationInProgress(await services.keyRotation.status())),
  });
  let services: Services | undefined;
  let handler = createStartingApp(probes);
  const server = serve(
    {
      fetch: (request, env) => handler.fetch(request, env),
      port: config.port,
      hostname: config.host,
      serverOptions: { ...tls, ...serverTimeoutOptions(config.server) },
      ...(tls ? { createServer: createHttpsServer } : {}),
    },
    (address) => logger.info({ host: address.address, port: address.port, tls: tls !== undefined }, 'opensearch-ml-sidecar listening'),
  );

  applyServerLimits(server, config.server);

  // serve() made an http or https server (HTTP/2 is never asked for).
  const drain = new RequestDrain(server as DrainableServer, clock);
  const shutdown = new Shutdown({ probes, drain, clock, logger, timeoutMs: config.shutdownTimeoutMs });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    // Listening for every signal, not once: npm forwards a terminal's Ctrl-C, so node gets it twice,
    // and the second must not kill the drain the first began.
    process.on(signal, () => void shutdown.run(signal).then((code) => process.exit(code)));
  }

  const retry = { logger, isFatal: isFatalStartError, onRetry: (reason: string) => probes.starting(reason) };
  const authenticator = knownAuthenticator ?? (await retryUntilDone('check the cluster security plugin', chooseAuthenticator, retry));
  const state = await retryUntilDone('open the state store', () => openState(config, { masterKey, previousKeys, clock, logger, clusterEvents: telemetry.cluster }), retry);
  shutdown.onShutdown('state store', () => state.close());
  const http = createHttpClient({ clock, events: telemetry.transport });
  telemetry.watchTransport(() => http.snapshot?.());
  shutdown.onShutdown('provider connections', () => http.close(), { onlyWhenDrained: true });
  const cluster = config.opensearchUrl === undefined ? undefined : connectCluster(config.opensearchUrl, config.opensearchTimeoutMs, telemetry.cluster);
  if (cluster) shutdown.onShutdown('cluster connections', cluster.close, { onlyWhenDrained: true });
  services = await createServices({
    store: state.store,
    clock,
    newId: randomId,
    cipher: state.cipher,
    logger,
    http,
    scripts: painlessScriptFunctions(),
    pipelineFiles: loadPipelineFiles(config.pipelinesDir),
    cluster,
    clusterName: config.clusterName,
    nodeName: config.nodeName,
    nodeId: state.nodeId,
    replicas: state.replicas,
    liveReplicaKeyIds: state.liveReplicaKeyIds,
    telemetry,
  });
  const usageMeter = services.usage.meter;
  usageMeter.start();
  // The last counts are written before the store closes (hooks run in reverse order of registration).
  shutdown.onShutdown('usage meter', () => usageMeter.close());
  const duties = new BackgroundDuties(
    [
      services.keyRotation.duty(),
      taskCleanup(state.store, clock, config.taskRetentionMs),
      ...(state.dutiesLease ? [heartbeatCleanup(state.store, clock)] : []),
    ],
    { lease: state.dutiesLease, clock, logger, tickMs: Math.max(1_000, Math.floor(config.clusterState.leaseTtlMs / 3)) },
  );
  duties.start();
  shutdown.onShutdown('background duties', () => duties.stop());
  handler = createApp({ services, logger, maxBodyBytes: config.maxBodyBytes, bodyBudget: new BodyBudget(config.maxBufferedBodyBytes), authenticator, probes, telemetry });
  probes.serving(dependencyChecks(state.store, cluster?.probeClient));
  logger.info(
    {
      mode: config.opensearchUrl === undefined ? 'standalone' : 'proxy',
      store: state.store.kind,
      ...(config.opensearchUrl === undefined ? {} : { cluster: redactUrl(config.opensearchUrl) }),
      security: authenticator.kind,
      data_dir: config.stateStore === 'sqlite' ? config.dataDir : undefined,
    },
    'opensearch-ml-sidecar ready',
  );
  logger.info(
    startupNotice({
      authenticatorKind: authenticator.kind,
      host: config.host,
      tls: tls !== undefined,
      opensearchUrl: config.opensearchUrl === undefined ? undefined : redactUrl(config.opensearchUrl),
      usersFile: config.usersFile,
      allowInsecureBind: config.allowInsecureBind,
    }),
  );
}

/**
 * The cluster behind the proxy: the client for the requests the sidecar rewrites, the stream for
 * those it does not, and one for readiness alone (short timeout, never behind the traffic).
 */
function connectCluster(url: string, timeoutMs: number, events: ClusterCallEvents) {
  const client = new ClusterClient(url, { requestTimeoutMs: timeoutMs, events });
  const passThrough = new PassThrough(url, { timeoutMs, events });
  const probeClient = new ClusterClient(url, { requestTimeoutMs: CLUSTER_CHECK_TIMEOUT_MS });
  return {
    client,
    passThrough,
    probeClient,
    close: async () => {
      await Promise.all([client.close(), passThrough.close(), probeClient.close()]);
    },
  };
}

/** A rotation's status while one runs or a previous key is still configured; null otherwise. */
function rotationInProgress(status: KeyRotationStatus): JsonObject | null {
  const rotating = status.previous_key_ids.length > 0 || status.records_to_reencrypt > 0 || status.unreadable.length > 0;
  return rotating ? { ...status } : null;
}

/** Errors a retry cannot mend: a wrong configuration or key, a broken pipeline file. */
function isFatalStartError(error: unknown): boolean {
  if (error instanceof ConfigError || error instanceof MasterKeyMismatchError || error instanceof MasterKeyFileError) return true;
  if (error instanceof OpenSearchError) return error.type === 'settings_exception';
  return !(error instanceof Error && 'status' in error);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof MasterKeyMismatchError || error instanceof MasterKeyFileError) {
    process.stderr.write(`configuration error: ${error.message}\n`);
  } else if (error instanceof OpenSearchError) {
    process.stderr.write(`configuration error: ${error.reason}\n`);
  } else {
    process.stderr.write(`failed to start: ${(error as Error).stack ?? String(error)}\n`);
  }
  process.exit(1);
});
