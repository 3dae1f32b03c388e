import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { painlessScriptFunctions } from './connectors/invoke/painless-script-functions.js';
import { ClusterClient } from './cluster/cluster-client.js';
import { createHttpClient } from './http/http-client.js';
import { PassThrough } from './http/pass-through.js';
import { loadPipelineFiles } from './pipeline/load-pipeline-files.js';
import { ConfigError, loadConfig } from './config.js';
import { CredentialCipher } from './security/credential-cipher.js';
import { loadMasterKey } from './security/master-key.js';
import { createServices } from './services.js';
import { SqliteStore } from './store/sqlite-store.js';
import { systemClock } from './util/clock.js';
import { randomId } from './util/ids.js';
import { createLogger } from './util/logger.js';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import { OpenSearchError } from './errors/opensearch-error.js';
import { assertBindAllowed, loadTlsOptions, selectAuthenticator, startupNotice } from './security/identity/index.js';

/** Starts the service: config → deps → serve → graceful shutdown. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel });
  const authenticator = await selectAuthenticator({
    opensearchUrl: config.opensearchUrl,
    usersFile: config.usersFile,
    clock: systemClock,
    logger,
  });
  assertBindAllowed({ host: config.host, authenticatorKind: authenticator.kind, allowInsecureBind: config.allowInsecureBind });
  const tls = config.tlsCertFile && config.tlsKeyFile ? loadTlsOptions({ certFile: config.tlsCertFile, keyFile: config.tlsKeyFile }) : undefined;
  const store = new SqliteStore(join(config.dataDir, 'sidecar.db'));
  const cipher = new CredentialCipher(loadMasterKey({ masterKeyBase64: config.masterKey, dataDir: config.dataDir }));
  const clock = systemClock;
  const services = await createServices({
    store,
    clock,
    newId: randomId,
    cipher,
    logger,
    http: createHttpClient({ clock }),
    scripts: painlessScriptFunctions(),
    pipelineFiles: loadPipelineFiles(config.pipelinesDir),
    cluster: config.opensearchUrl
      ? {
          client: new ClusterClient(config.opensearchUrl, { requestTimeoutMs: config.opensearchTimeoutMs }),
          passThrough: new PassThrough(config.opensearchUrl, { timeoutMs: config.opensearchTimeoutMs }),
        }
      : undefined,
    clusterName: config.clusterName,
    nodeName: config.nodeName,
  });
  const app = createApp({ services, logger, maxBodyBytes: config.maxBodyBytes, authenticator });
  const server = serve(
    {
      fetch: app.fetch,
      port: config.port,
      hostname: config.host,
      ...(tls ? { createServer: createHttpsServer, serverOptions: tls } : {}),
    },
    (address) => {
      logger.info({ host: address.address, port: address.port, data_dir: config.dataDir, tls: tls !== undefined }, 'opensearch-ml-sidecar listening');
      logger.info(
        startupNotice({
          authenticatorKind: authenticator.kind,
          host: config.host,
          tls: tls !== undefined,
          opensearchUrl: config.opensearchUrl,
          usersFile: config.usersFile,
          allowInsecureBind: config.allowInsecureBind,
        }),
      );
    },
  );
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    server.close(() => {
      void store.close().then(() => process.exit(0));
    });
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`configuration error: ${error.message}\n`);
  } else if (error instanceof OpenSearchError) {
    process.stderr.write(`configuration error: ${error.reason}\n`);
  } else {
    process.stderr.write(`failed to start: ${(error as Error).stack ?? String(error)}\n`);
  }
  process.exit(1);
});
