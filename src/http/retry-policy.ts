/**
 * When a provider call is retried (ML Commons 3.8 `RemoteConnectorExecutor`): 429, any 5xx and the
 * AWS throttling header; transport failures too. Other 4xx, redirects, refused addresses and
 * cancellations never are.
 */
import { OpenSearchError } from '../errors/opensearch-error.js';
import { createBackoff, type Backoff } from './backoff.js';
import type { TransportOptions } from './transport-options.js';
import type { OutboundResponse } from './outbound.js';

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

const AWS_ERROR_TYPE = 'x-amzn-errortype';

/** 429, 5xx, or AWS `x-amzn-ErrorType: ThrottlingException…` (SageMaker throttles with a 400). */
export function isRetryableResponse(response: OutboundResponse): boolean {
  return response.status >= 500 || isThrottlingResponse(response);
}

/** The provider asks us to slow down: 429, or AWS's throttling header on any status. */
export function isThrottlingResponse(response: OutboundResponse): boolean {
  if (response.status === 429) return true;
  return response.headers[AWS_ERROR_TYPE]?.startsWith('ThrottlingException') === true;
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

/** Transport failures are retried; our own refusals (already `OpenSearchError`s) and cancellations are not. */
export function isRetryableError(error: unknown): boolean {
  if (error instanceof OpenSearchError) return false;
  const { code, name } = error as { code?: unknown; name?: unknown };
  if (name === 'AbortError') return false;
  return !(typeof code === 'string' && NEVER_RETRIED_CODES.has(code));
}
