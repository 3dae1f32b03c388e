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
  /** Keys credentials may still be encrypted with during a rotation (base64, comma-separated). */
  readonly previousMasterKeys: readonly string[];
  readonly usersFile: string | undefined;
  readonly tlsCertFile: string | undefined;
  readonly tlsKeyFile: string | undefined;
  readonly allowInsecureBind: boolean;
  readonly logLevel: string;
  readonly maxBodyBytes: number;
  /** The bytes of request bodies held in memory at once, across all requests. */
  readonly maxBufferedBodyBytes: number;
  /** The listening server's timeouts and connection limit. */
  readonly server: ServerLimits;
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

/** What the listening server allows its clients (node's `http.Server` settings). */
export interface ServerLimits {
  /** From a request's first byte to the end of its headers. */
  readonly headersTimeoutMs: number;
  /** From a request's first byte to the end of its body (not the answer: a long search is not cut). */
  readonly requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open between requests. */
  readonly keepAliveTimeoutMs: number;
  /** Open client connections at most; more are closed as they arrive. */
  readonly maxConnections: number;
}

const MIB = 1024 * 1024;

/** The default budget of all buffered bodies: 256 MiB, or one largest body when `MAX_BODY_BYTES` is larger. */
export const defaultBufferedBodyBytes = (maxBodyBytes: number): number => Math.max(256 * MIB, maxBodyBytes);

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
    MASTER_KEY_PREVIOUS: { type: 'string', minLength: 1 },
    USERS_FILE: { type: 'string', minLength: 1 },
    TLS_CERT_FILE: { type: 'string', minLength: 1 },
    TLS_KEY_FILE: { type: 'string', minLength: 1 },
    ALLOW_INSECURE_BIND: { type: 'string', enum: ['true', 'false', ''] },
    LOG_LEVEL: { type: 'string', enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
    MAX_BODY_BYTES: { type: 'string', pattern: '^[0-9]+$' },
    MAX_BUFFERED_BODY_BYTES: { type: 'string', pattern: '^[1-9][0-9]*$' },
    HTTP_HEADERS_TIMEOUT_MS: { type: 'string', pattern: '^[1-9][0-9]*$' },
    HTTP_REQUEST_TIMEOUT_MS: { type: 'string', pattern: '^[1-9][0-9]*$' },
    HTTP_KEEP_ALIVE_TIMEOUT_MS: { type: 'string', pattern: '^[1-9][0-9]*$' },
    HTTP_MAX_CONNECTIONS: { type: 'string', pattern: '^[1-9][0-9]*$' },
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
  const opensearchTimeoutMs = Number(env['OPENSEARCH_TIMEOUT_MS'] ?? 60_000);
  const maxBodyBytes = Number(env['MAX_BODY_BYTES'] ?? 100 * MIB);
  const maxBufferedBodyBytes = Number(env['MAX_BUFFERED_BODY_BYTES'] ?? defaultBufferedBodyBytes(maxBodyBytes));
  if (maxBufferedBodyBytes < maxBodyBytes) {
    throw new ConfigError(`MAX_BUFFERED_BODY_BYTES (${maxBufferedBodyBytes}) must be at least MAX_BODY_BYTES (${maxBodyBytes}), or no body of the largest size could be read`);
  }
  return Object.freeze({
    port,
    host: env['HOST'] ?? '127.0.0.1',
    dataDir: resolve(env['DATA_DIR'] ?? './data'),
    opensearchUrl,
    opensearchTimeoutMs,
    shutdownTimeoutMs: Number(env['SHUTDOWN_TIMEOUT_MS'] ?? DEFAULT_SHUTDOWN_TIMEOUT_MS),
    masterKey: env['MASTER_KEY'],
    previousMasterKeys: (env['MASTER_KEY_PREVIOUS'] ?? '').split(',').map((key) => key.trim()).filter((key) => key !== ''),
    usersFile: env['USERS_FILE'],
    tlsCertFile: env['TLS_CERT_FILE'],
    tlsKeyFile: env['TLS_KEY_FILE'],
    allowInsecureBind: env['ALLOW_INSECURE_BIND'] === 'true',
    logLevel: env['LOG_LEVEL'] ?? 'info',
    maxBodyBytes,
    maxBufferedBodyBytes,
    server: serverLimits(env, opensearchTimeoutMs),
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

/**
 * Defaults for a proxy in front of OpenSearch: headers arrive at once from any real client; a body
 * may take as long as the cluster takes to read it, so uploads get longer than the cluster's own
 * timeout; idle connections outlive a load balancer's usual 60 s, so it closes them first and never
 * reuses one this side is closing.
 */
function serverLimits(env: Record<string, string | undefined>, opensearchTimeoutMs: number): ServerLimits {
  const limits = {
    headersTimeoutMs: Number(env['HTTP_HEADERS_TIMEOUT_MS'] ?? 30_000),
    requestTimeoutMs: Number(env['HTTP_REQUEST_TIMEOUT_MS'] ?? Math.max(300_000, opensearchTimeoutMs + 60_000)),
    keepAliveTimeoutMs: Number(env['HTTP_KEEP_ALIVE_TIMEOUT_MS'] ?? 65_000),
    maxConnections: Number(env['HTTP_MAX_CONNECTIONS'] ?? 1_000),
  };
  // node refuses a headers timeout longer than the request timeout that contains it.
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new ConfigError(`HTTP_HEADERS_TIMEOUT_MS (${limits.headersTimeoutMs}) must not exceed HTTP_REQUEST_TIMEOUT_MS (${limits.requestTimeoutMs})`);
  }
  return limits;
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
