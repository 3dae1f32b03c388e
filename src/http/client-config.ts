/**
 * `client_config` with this project's defaults applied, resolved once per config object (the caller
 * passes the same object for every call of a deployed connector, so the hot path is a WeakMap hit).
 */
import type { ConnectorClientConfig } from '../connectors/connector-record.js';
import { parseBackoffPolicy, type BackoffPolicyName } from './backoff.js';

/** The defaults. `max_retry_times` is 3 here (ML Commons: 0); an explicit 0 disables retries. */
export const CLIENT_CONFIG_DEFAULTS = {
  max_connection: 30,
  connection_timeout: 30,
  read_timeout: 30,
  retry_backoff_millis: 200,
  retry_timeout_seconds: 30,
  max_retry_times: 3,
  retry_backoff_policy: 'constant',
  skip_ssl_verification: false,
  max_queued_requests: 2000,
  adaptive_concurrency: true,
} as const;

/** Everything the transport needs from `client_config`, in milliseconds. */
export interface ResolvedClientConfig {
  readonly maxConnections: number;
  readonly connectTimeoutMillis: number;
  readonly readTimeoutMillis: number;
  readonly skipSslVerification: boolean;
  /** -1 means unlimited within `retryTimeoutMillis`. */
  readonly maxRetries: number;
  readonly retryBackoffMillis: number;
  readonly retryTimeoutMillis: number;
  readonly backoffPolicy: BackoffPolicyName;
  /** Pacing: calls started per minute, or undefined (unpaced). */
  readonly requestsPerMinute: number | undefined;
  /** Pacing: estimated tokens sent per minute, or undefined (unpaced). */
  readonly tokensPerMinute: number | undefined;
  /** Calls that may wait for pacing before new ones get a 429. */
  readonly maxQueuedRequests: number;
  /** Whether throttling answers shrink the in-flight limit (AIMD). */
  readonly adaptiveConcurrency: boolean;
  /** Equal for configs that need the same pool; a change rebuilds the pool. */
  readonly poolFingerprint: string;
}

const resolved = new WeakMap<ConnectorClientConfig, ResolvedClientConfig>();

/** Applies the defaults; values the connector layer should have refused (negative, NaN) fall back to them. */
export function resolveClientConfig(config: ConnectorClientConfig): ResolvedClientConfig {
  let result = resolved.get(config);
  if (result === undefined) {
    result = resolve(config);
    resolved.set(config, result);
  }
  return result;
}

function resolve(config: ConnectorClientConfig): ResolvedClientConfig {
  const defaults = CLIENT_CONFIG_DEFAULTS;
  const maxConnections = positiveInteger(config.max_connection) ?? defaults.max_connection;
  const connectTimeoutMillis = (positive(config.connection_timeout) ?? defaults.connection_timeout) * 1000;
  const readTimeoutMillis = (positive(config.read_timeout) ?? defaults.read_timeout) * 1000;
  const skipSslVerification = config.skip_ssl_verification === true;
  const retries = config.max_retry_times;
  const maxRetries = Number.isInteger(retries) && (retries as number) >= -1 ? (retries as number) : defaults.max_retry_times;
  const backoff = config.retry_backoff_millis;
  const adaptiveConcurrency = config.adaptive_concurrency ?? defaults.adaptive_concurrency;
  return {
    maxConnections,
    connectTimeoutMillis,
    readTimeoutMillis,
    skipSslVerification,
    maxRetries,
    retryBackoffMillis: typeof backoff === 'number' && Number.isFinite(backoff) && backoff >= 0 ? backoff : defaults.retry_backoff_millis,
    retryTimeoutMillis: (positive(config.retry_timeout_seconds) ?? defaults.retry_timeout_seconds) * 1000,
    backoffPolicy: parseBackoffPolicy(config.retry_backoff_policy),
    requestsPerMinute: positive(config.requests_per_minute),
    tokensPerMinute: positive(config.tokens_per_minute),
    maxQueuedRequests: positiveInteger(config.max_queued_requests) ?? defaults.max_queued_requests,
    adaptiveConcurrency,
    poolFingerprint: `${maxConnections}/${connectTimeoutMillis}/${readTimeoutMillis}/${skipSslVerification}/${adaptiveConcurrency}`,
  };
}

function positive(value: number | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

function positiveInteger(value: number | undefined): number | undefined {
  return Number.isInteger(value) && (value as number) > 0 ? value : undefined;
}
