/**
 * A connector's `client_config` resolved into the transport's options, with this project's defaults
 * applied. Resolved once per config object (a deployed connector passes the same object on every
 * call, so the hot path is a WeakMap hit).
 */
import { parseBackoffPolicy } from '../http/backoff.js';
import type { TransportOptions } from '../http/transport-options.js';
import type { ConnectorClientConfig } from './connector-record.js';

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

const resolved = new WeakMap<ConnectorClientConfig, TransportOptions>();
const NO_CLIENT_CONFIG: ConnectorClientConfig = Object.freeze({});

/**
 * The transport options of a `client_config` (absent = all defaults); values the schema should
 * have refused (negative, NaN) fall back to the defaults. An unknown `retry_backoff_policy` is a 400.
 */
export function resolveClientConfig(config: ConnectorClientConfig = NO_CLIENT_CONFIG): TransportOptions {
  let result = resolved.get(config);
  if (result === undefined) {
    result = resolve(config);
    resolved.set(config, result);
  }
  return result;
}

const shares = new WeakMap<TransportOptions, Map<number, TransportOptions>>();

/**
 * The options with the paced rates (`requests_per_minute`, `tokens_per_minute`) divided between
 * `replicas`, and `rateShare` telling the pacer to divide the limits it learns from the provider
 * the same way, so that replicas each pacing their share together keep the connector's rate (as ML
 * Commons divides a rate limit by its nodes). Cached, so a call allocates nothing.
 */
export function sharedBetween(options: TransportOptions, replicas: number): TransportOptions {
  if (replicas <= 1) return options;
  let byCount = shares.get(options);
  if (byCount === undefined) shares.set(options, (byCount = new Map()));
  let shared = byCount.get(replicas);
  if (shared === undefined) {
    shared = {
      ...options,
      requestsPerMinute: options.requestsPerMinute === undefined ? undefined : options.requestsPerMinute / replicas,
      tokensPerMinute: options.tokensPerMinute === undefined ? undefined : options.tokensPerMinute / replicas,
      rateShare: 1 / replicas,
    };
    byCount.set(replicas, shared);
  }
  return shared;
}

/** The transport options one replica sends a connector's calls with: its `client_config`, its share of the rates. */
export const connectorTransport = (clientConfig: ConnectorClientConfig | undefined, replicas: number): TransportOptions =>
  sharedBetween(resolveClientConfig(clientConfig), replicas);

function resolve(config: ConnectorClientConfig): TransportOptions {
  const defaults = CLIENT_CONFIG_DEFAULTS;
  const retries = config.max_retry_times;
  const backoff = config.retry_backoff_millis;
  return {
    maxConnections: positiveInteger(config.max_connection) ?? defaults.max_connection,
    connectTimeoutMillis: (positive(config.connection_timeout) ?? defaults.connection_timeout) * 1000,
    readTimeoutMillis: (positive(config.read_timeout) ?? defaults.read_timeout) * 1000,
    skipSslVerification: config.skip_ssl_verification === true,
    maxRetries: Number.isInteger(retries) && (retries as number) >= -1 ? (retries as number) : defaults.max_retry_times,
    retryBackoffMillis: typeof backoff === 'number' && Number.isFinite(backoff) && backoff >= 0 ? backoff : defaults.retry_backoff_millis,
    retryTimeoutMillis: (positive(config.retry_timeout_seconds) ?? defaults.retry_timeout_seconds) * 1000,
    backoffPolicy: parseBackoffPolicy(config.retry_backoff_policy),
    requestsPerMinute: positive(config.requests_per_minute),
    tokensPerMinute: positive(config.tokens_per_minute),
    maxQueuedRequests: positiveInteger(config.max_queued_requests) ?? defaults.max_queued_requests,
    adaptiveConcurrency: config.adaptive_concurrency ?? defaults.adaptive_concurrency,
  };
}

function positive(value: number | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

function positiveInteger(value: number | undefined): number | undefined {
  return Number.isInteger(value) && (value as number) > 0 ? value : undefined;
}
