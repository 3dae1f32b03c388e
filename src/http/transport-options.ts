/**
 * What the transport needs to send a connector's calls: pool size, timeouts, retries, pacing and
 * adaptive concurrency, in milliseconds and with every default already applied. The connectors
 * layer resolves a connector's `client_config` into it; the transport knows nothing of connectors.
 */
import type { BackoffPolicyName } from './backoff.js';

/** The transport's per-connector options. */
export interface TransportOptions {
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
  /**
   * This replica's share of the connector's rates (1/live replicas; default 1): configured rates
   * arrive already divided, limits learned from the provider are divided by the pacer.
   */
  readonly rateShare?: number;
  /** Calls that may wait for pacing before new ones get a 429. */
  readonly maxQueuedRequests: number;
  /** Whether throttling answers shrink the in-flight limit (AIMD). */
  readonly adaptiveConcurrency: boolean;
}

const fingerprints = new WeakMap<TransportOptions, string>();

/** Equal for options that can share a pool; a change rebuilds the pool (pacing and retries do not). */
export function poolFingerprint(options: TransportOptions): string {
  let fingerprint = fingerprints.get(options);
  if (fingerprint === undefined) {
    const { maxConnections, connectTimeoutMillis, readTimeoutMillis, skipSslVerification, adaptiveConcurrency } = options;
    fingerprint = `${maxConnections}/${connectTimeoutMillis}/${readTimeoutMillis}/${skipSslVerification}/${adaptiveConcurrency}`;
    fingerprints.set(options, fingerprint);
  }
  return fingerprint;
}
