/**
 * When a provider call is retried (ML Commons 3.8 `RemoteConnectorExecutor`): a `ProviderError`
 * that is retryable (429, any 5xx, the AWS throttling header); transport failures too. Other 4xx,
 * redirects, refused addresses and cancellations never are.
 */
import { OpenSearchError } from '../errors/opensearch-error.js';
import { isProviderError } from '../errors/provider-error.js';
import { createBackoff, type Backoff } from './backoff.js';
import type { TransportOptions } from './transport-options.js';

/** How many retries, how long in total, and the delays between them. */
export interface RetryPolicy {
  /** 0 = no retry, -1 = unlimited within `timeoutMillis`. */
  readonly maxRetries: number;
  /** `retry_timeout_seconds`: no retry starts after this much time since the first attempt. */
  readonly timeoutMillis: number;
  /** A fresh delay sequence for one call. */
  backoff(): Backoff;
}

/** The retry policy of a connector's transport options. */
export function createRetryPolicy(options: TransportOptions, random: () => number = Math.random): RetryPolicy {
  return {
    maxRetries: options.maxRetries,
    timeoutMillis: options.retryTimeoutMillis,
    backoff: () => createBackoff(options.backoffPolicy, options.retryBackoffMillis, options.retryTimeoutMillis, random),
  };
}

const NEVER_RETRIED_CODES = new Set([
  'UND_ERR_INVALID_ARG',
  'UND_ERR_NOT_SUPPORTED',
  'UND_ERR_ABORTED',
  'UND_ERR_ABORT',
  'ABORT_ERR',
  // A certificate that fails verification fails the same way next time.
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Retryable provider answers and transport failures are retried; our own refusals and cancellations are not. */
export function isRetryableError(error: unknown): boolean {
  if (isProviderError(error)) return error.isRetryable;
  if (error instanceof OpenSearchError) return false;
  const { code, name } = error as { code?: unknown; name?: unknown };
  if (name === 'AbortError') return false;
  return !(typeof code === 'string' && NEVER_RETRIED_CODES.has(code));
}
