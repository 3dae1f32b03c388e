import { join, resolve } from 'node:path';
import { compileSchema, validateOrThrow } from './schemas/ajv.js';
import { PACKAGE_ROOT } from './util/package-info.js';

/** The service's configuration, read from the environment once at start. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly opensearchUrl: string | undefined;
  /** How long a request to the cluster may take. */
  readonly opensearchTimeoutMs: number;
  /** How long requests in flight at SIGTERM/SIGINT may take to finish before they are cut. */
  readonly shutdownTimeoutMs: number;
  readonly masterKey: string | undefined;
  readonly usersFile: string | undefined;
  readonly tlsCertFile: string | undefined;
  readonly tlsKeyFile: string | undefined;
  readonly allowInsecureBind: boolean;
  readonly logLevel: string;
  readonly maxBodyBytes: number;
  readonly clusterName: string;
  readonly nodeName: string;
  /** Folder of ready-made pipeline definitions loaded at start. */
  readonly pipelinesDir: string;
  /** Where connectors, models, tasks, settings and pipelines live. */
  readonly stateStore: 'sqlite' | 'cluster';
  /** Finished ML tasks older than this are deleted (0 keeps them forever, as ML Commons). */
  readonly taskRetentionMs: number;
  /** The cluster store's settings (used with `stateStore: 'cluster'`). */
  readonly clusterState: ClusterStateConfig;
}

/** The cluster store: its indices, the sidecar's own account, how fresh replicas keep each other. */
export interface ClusterStateConfig {
  readonly indexPrefix: string;
  readonly account:
    | { readonly kind: 'basic'; readonly username: string; readonly password: string }
    | { readonly kind: 'api-key'; readonly apiKey: string }
    | { readonly kind: 'none' };
  /** How often each replica polls the generation documents. */
  readonly pollIntervalMs: number;
  /** The longest any replica caches what the store holds. */
  readonly cacheTtlMs: number;
  readonly heartbeatMs: number;
  readonly leaseTtlMs: number;
}

const environmentSchema = {
  type: 'object',
  properties: {
    PORT: { type: 'string', pattern: '^[0-9]{1,5}$' },
    HOST: { type: 'string', minLength: 1 },
    DATA_DIR: { type: 'string', minLength: 1 },
    OPENSEARCH_URL: { type: 'string', pattern: '^https?://' },
    OPENSEARCH_TIMEOUT_MS: { type: 'string', pattern: '^[0-9]+$' },
    SHUTDOWN_TIMEOUT_MS: { type: 'string', pattern: '^[0-9]+$' },
    MASTER_KEY: { type: 'string', minLength: 1 },
    USERS_FILE: { type: 'string', minLength: 1 },
    TLS_CERT_FILE: { type: 'string', minLength: 1 },
    TLS_KEY_FILE: { type: 'string', minLength: 1 },
    ALLOW_INSECURE_BIND: { type: 'string', enum: ['true', 'false', ''] },
    LOG_LEVEL: { type: 'string', enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
    MAX_BODY_BYTES: { type: 'string', pattern: '^[0-9]+$' },
    CLUSTER_NAME: { type: 'string', minLength: 1 },
    NODE_NAME: { type: 'string', minLength: 1 },
    PIPELINES_DIR: { type: 'string', minLength: 1 },
    STATE_STORE: { type: 'string', enum: ['sqlite', 'cluster'] },
    STATE_INDEX_PREFIX: { type: 'string', pattern: '^[.a-z0-9][a-z0-9._-]{0,150}$' },
    OPENSEARCH_USERNAME: { type: 'string', minLength: 1 },
    OPENSEARCH_PASSWORD: { type: 'string', minLength: 1 },
    OPENSEARCH_API_KEY: { type: 'string', minLength: 1 },
    STATE_POLL_MS: { type: 'string', pattern: '^[1-9][0-9]*$' },
    STATE_CACHE_TTL_MS: { type: 'string', pattern: '^[1-9][0-9]*$' },
    REPLICA_HEARTBEAT_MS: { type: 'string', pattern: '^[1-9][0-9]*$' },
    LEASE_TTL_MS: { type: 'string', pattern: '^[1-9][0-9]*$' },
    TASK_RETENTION_HOURS: { type: 'string', pattern: '^[0-9]+$' },
  },
} as const;

/**
 * Longer than the default `OPENSEARCH_TIMEOUT_MS` (60 s) by the time a bulk's embeddings take, so a
 * bulk in flight at SIGTERM can still get its last cluster call answered.
 */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 90_000;

/** Every variable the service reads (deployment files are checked against this list). */
export const ENVIRONMENT_VARIABLES: readonly string[] = Object.keys(environmentSchema.properties);

const validateEnvironment = compileSchema<Record<string, string | undefined>>(environmentSchema);

/** Thrown for a bad environment: `main` prints it and exits without a stack trace. */
export class ConfigError extends Error {}

/** Reads and validates the environment. Unset and empty variables take their defaults. */
export function loadConfig(environment: Readonly<Record<string, string | undefined>> = process.env): Config {
  const set = Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== undefined && value !== ''));
  const env = validateOrThrow(validateEnvironment, set, {
    what: 'environment',
    toError: (reason) => new ConfigError(reason.replace('[environment] field ', 'environment variable ')),
  });
  const port = Number(env['PORT'] ?? 9280);
  if (port > 65535) throw new ConfigError('environment variable PORT must be at most 65535');
  if ((env['TLS_CERT_FILE'] === undefined) !== (env['TLS_KEY_FILE'] === undefined)) {
    throw new ConfigError('TLS_CERT_FILE and TLS_KEY_FILE must be set together');
  }
  const opensearchUrl = env['OPENSEARCH_URL']?.replace(/\/+$/, '');
  const stateStore = (env['STATE_STORE'] ?? (opensearchUrl === undefined ? 'sqlite' : 'cluster')) as 'sqlite' | 'cluster';
  if (stateStore === 'cluster' && opensearchUrl === undefined) throw new ConfigError('STATE_STORE=cluster needs OPENSEARCH_URL');
  if (stateStore === 'cluster' && env['MASTER_KEY'] === undefined) {
    throw new ConfigError(
      'MASTER_KEY is required with the cluster store (every replica must start with the same key, e.g. from a secret); generate one with: openssl rand -base64 32',
    );
  }
  return Object.freeze({
    port,
    host: env['HOST'] ?? '127.0.0.1',
    dataDir: resolve(env['DATA_DIR'] ?? './data'),
    opensearchUrl,
    opensearchTimeoutMs: Number(env['OPENSEARCH_TIMEOUT_MS'] ?? 60_000),
    shutdownTimeoutMs: Number(env['SHUTDOWN_TIMEOUT_MS'] ?? DEFAULT_SHUTDOWN_TIMEOUT_MS),
    masterKey: env['MASTER_KEY'],
    usersFile: env['USERS_FILE'],
    tlsCertFile: env['TLS_CERT_FILE'],
    tlsKeyFile: env['TLS_KEY_FILE'],
    allowInsecureBind: env['ALLOW_INSECURE_BIND'] === 'true',
    logLevel: env['LOG_LEVEL'] ?? 'info',
    maxBodyBytes: Number(env['MAX_BODY_BYTES'] ?? 100 * 1024 * 1024),
    clusterName: env['CLUSTER_NAME'] ?? 'opensearch-ml-sidecar',
    nodeName: env['NODE_NAME'] ?? 'ml-sidecar',
    pipelinesDir: resolve(env['PIPELINES_DIR'] ?? join(PACKAGE_ROOT, 'pipelines')),
    stateStore,
    taskRetentionMs: Number(env['TASK_RETENTION_HOURS'] ?? 720) * 3_600_000,
    clusterState: {
      indexPrefix: env['STATE_INDEX_PREFIX'] ?? '.ml-sidecar',
      account: serviceAccount(env),
      pollIntervalMs: Number(env['STATE_POLL_MS'] ?? 1_000),
      cacheTtlMs: Number(env['STATE_CACHE_TTL_MS'] ?? 30_000),
      heartbeatMs: Number(env['REPLICA_HEARTBEAT_MS'] ?? 5_000),
      leaseTtlMs: Number(env['LEASE_TTL_MS'] ?? 30_000),
    },
  });
}

function serviceAccount(env: Record<string, string | undefined>): ClusterStateConfig['account'] {
  const username = env['OPENSEARCH_USERNAME'];
  const password = env['OPENSEARCH_PASSWORD'];
  const apiKey = env['OPENSEARCH_API_KEY'];
  if ((username === undefined) !== (password === undefined)) throw new ConfigError('OPENSEARCH_USERNAME and OPENSEARCH_PASSWORD must be set together');
  if (username !== undefined && apiKey !== undefined) throw new ConfigError('set OPENSEARCH_USERNAME/OPENSEARCH_PASSWORD or OPENSEARCH_API_KEY, not both');
  if (username !== undefined) return { kind: 'basic', username, password: password! };
  if (apiKey !== undefined) return { kind: 'api-key', apiKey };
  return { kind: 'none' };
}
