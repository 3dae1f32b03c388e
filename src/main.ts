import { serve } from '@hono/node-server';
import { createServer as createHttpsServer } from 'node:https';
import { createApp, createStartingApp } from './app.js';
import { ClusterClient } from './cluster/cluster-client.js';
import { ConfigError, loadConfig } from './config.js';
import { painlessScriptFunctions } from './connectors/invoke/painless-script-functions.js';
import { OpenSearchError } from './errors/opensearch-error.js';
import { createHttpClient } from './http/http-client.js';
import { PassThrough } from './http/pass-through.js';
import { loadPipelineFiles } from './pipeline/load-pipeline-files.js';
import { BackgroundDuties } from './replicas/background-duties.js';
import { heartbeatCleanup, taskCleanup } from './replicas/cleanup-duties.js';
import { CredentialCipher } from './security/credential-cipher.js';
import { assertBindAllowed, loadTlsOptions, selectAuthenticator, startupNotice } from './security/identity/index.js';
import { loadMasterKey } from './security/master-key.js';
import { MasterKeyMismatchError } from './security/master-key-check.js';
import { createServices } from './services.js';
import { openState, type OpenedState } from './startup/open-state.js';
import { retryUntilDone } from './startup/retry-until-done.js';
import { systemClock } from './util/clock.js';
import { redactUrl } from './util/redact-url.js';
import { randomId } from './util/ids.js';
import { createLogger } from './util/logger.js';
import { createTelemetry } from './telemetry/telemetry.js';
import type { Services } from './services.js';

/**
 * Starts the service: config → listen (answering 503 while starting) → identity and state (retried
 * with backoff while the cluster cannot be reached) → services → serve → graceful shutdown.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel });
  const telemetry = createTelemetry({ logger, processMetrics: true });
  const clock = systemClock;
  const tls = config.tlsCertFile && config.tlsKeyFile ? loadTlsOptions({ certFile: config.tlsCertFile, keyFile: config.tlsKeyFile }) : undefined;
  const cipher = new CredentialCipher(loadMasterKey({ masterKeyBase64: config.masterKey, dataDir: config.dataDir }));
  const chooseAuthenticator = async () => {
    const authenticator = await selectAuthenticator({ opensearchUrl: config.opensearchUrl, usersFile: config.usersFile, clock, logger });
    assertBindAllowed({ host: config.host, authenticatorKind: authenticator.kind, allowInsecureBind: config.allowInsecureBind });
    return authenticator;
  };
  // Without a cluster the identity source is known at once: refuse an unsafe bind before listening.
  const knownAuthenticator = config.opensearchUrl === undefined ? await chooseAuthenticator() : undefined;

  let handler = createStartingApp('the sidecar is starting');
  const server = serve(
    {
      fetch: (request, env) => handler.fetch(request, env),
      port: config.port,
      hostname: config.host,
      ...(tls ? { createServer: createHttpsServer, serverOptions: tls } : {}),
    },
    (address) => logger.info({ host: address.address, port: address.port, tls: tls !== undefined }, 'opensearch-ml-sidecar listening'),
  );

  let state: OpenedState | undefined;
  let duties: BackgroundDuties | undefined;
  let services: Services | undefined;
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.close(() => {
      void (async () => {
        await duties?.stop();
        await services?.usage.meter.close(); // the last counts, before the store closes
        await state?.close();
        process.exit(0);
      })();
    });
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));

  const retry = { logger, isFatal: isFatalStartError, onRetry: (reason: string) => (handler = createStartingApp(reason)) };
  const authenticator = knownAuthenticator ?? (await retryUntilDone('check the cluster security plugin', chooseAuthenticator, retry));
  state = await retryUntilDone('open the state store', () => openState(config, { cipher, clock, logger, clusterEvents: telemetry.cluster }), retry);
  const http = createHttpClient({ clock, events: telemetry.transport });
  telemetry.watchTransport(() => http.snapshot?.());
  services = await createServices({
    store: state.store,
    clock,
    newId: randomId,
    cipher,
    logger,
    http,
    scripts: painlessScriptFunctions(),
    pipelineFiles: loadPipelineFiles(config.pipelinesDir),
    cluster: config.opensearchUrl
      ? {
          client: new ClusterClient(config.opensearchUrl, { requestTimeoutMs: config.opensearchTimeoutMs, events: telemetry.cluster }),
          passThrough: new PassThrough(config.opensearchUrl, { timeoutMs: config.opensearchTimeoutMs, events: telemetry.cluster }),
        }
      : undefined,
    clusterName: config.clusterName,
    nodeName: config.nodeName,
    nodeId: state.nodeId,
    replicas: state.replicas,
    telemetry,
  });
  services.usage.meter.start();
  duties = new BackgroundDuties(
    [taskCleanup(state.store, clock, config.taskRetentionMs), ...(state.dutiesLease ? [heartbeatCleanup(state.store, clock)] : [])],
    { lease: state.dutiesLease, clock, logger, tickMs: Math.max(1_000, Math.floor(config.clusterState.leaseTtlMs / 3)) },
  );
  duties.start();
  handler = createApp({ services, logger, maxBodyBytes: config.maxBodyBytes, authenticator, telemetry });
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

/** Errors a retry cannot mend: a wrong configuration or key, a broken pipeline file. */
function isFatalStartError(error: unknown): boolean {
  if (error instanceof ConfigError || error instanceof MasterKeyMismatchError) return true;
  if (error instanceof OpenSearchError) return error.type === 'settings_exception';
  return !(error instanceof Error && 'status' in error);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof MasterKeyMismatchError) {
    process.stderr.write(`configuration error: ${error.message}\n`);
  } else if (error instanceof OpenSearchError) {
    process.stderr.write(`configuration error: ${error.reason}\n`);
  } else {
    process.stderr.write(`failed to start: ${(error as Error).stack ?? String(error)}\n`);
  }
  process.exit(1);
});
