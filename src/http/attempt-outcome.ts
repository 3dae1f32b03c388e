/**
 * How a failed attempt is reported: from the typed error alone (status, throttling flags, undici's
 * error code), never from its reason, which may quote the provider's body.
 */
import { OpenSearchError } from '../errors/opensearch-error.js';
import { isAwsThrottling, isProviderError } from '../errors/provider-error.js';
import { retryAfterMillis } from './retry-after.js';
import type { AttemptReport } from './transport-events.js';

/** undici's codes for a connection, headers or body that did not arrive in time. */
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** AWS error types are `Name:namespace` or `Name`; the name alone is the stable part. */
const awsErrorType = (headers: Readonly<Record<string, string>>): string | undefined => headers['x-amzn-errortype']?.split(':')[0];

/** The report of an attempt that threw `error`, without its timing. */
export function describeFailedAttempt(error: unknown, nowMillis: number): Omit<AttemptReport, 'seconds' | 'retries'> {
  if (isProviderError(error)) {
    const code = awsErrorType(error.responseHeaders);
    const hint = retryAfterMillis(error.responseHeaders, nowMillis);
    const details = { status: error.statusCode, ...(code === undefined ? {} : { code }), ...(hint === undefined ? {} : { retryAfterMillis: hint }) };
    if (!error.isThrottle) return { outcome: 'error', ...details };
    return { outcome: 'throttled', throttle: isAwsThrottling(error.responseHeaders) ? 'aws_throttling' : 'http_429', ...details };
  }
  if (error instanceof OpenSearchError) {
    // The sidecar's own refusals (a full queue, no connection in time: 429) and redirects (502).
    return error.status === 429 ? { outcome: 'rejected', status: undefined } : { outcome: 'error', status: undefined, code: 'redirect' };
  }
  const { code, name } = error as { code?: unknown; name?: unknown };
  const errorCode = typeof code === 'string' ? code : name === 'AbortError' ? 'aborted' : 'unknown';
  return { outcome: TIMEOUT_CODES.has(errorCode) ? 'timeout' : 'network_error', status: undefined, code: errorCode };
}
