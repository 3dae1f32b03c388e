/**
 * The retry loop. Waits are the larger of the backoff delay and the provider's `Retry-After`; a
 * retry whose wait would end after the `retry_timeout_seconds` deadline is not attempted, so the
 * whole call never waits past the deadline (one attempt already in flight runs to its own read
 * timeout). After the last attempt the last response is returned (the caller maps non-2xx) or the
 * last error thrown.
 */
import type { Clock } from '../util/clock.js';
import type { OutboundResponse } from './outbound.js';
import { retryAfterMillis } from './retry-after.js';
import { isRetryableError, isRetryableResponse, type RetryPolicy } from './retry-policy.js';

type Outcome = { readonly response: OutboundResponse } | { readonly error: unknown };

/** Runs `attempt` until it succeeds, fails for good, or the policy runs out of retries or time. */
export async function sendWithRetries(
  attempt: () => Promise<OutboundResponse>,
  policy: RetryPolicy,
  clock: Clock,
  signal?: AbortSignal,
): Promise<OutboundResponse> {
  if (policy.maxRetries === 0) return attempt();
  const deadline = clock.now() + policy.timeoutMillis;
  const backoff = policy.backoff();
  for (let retries = 0; ; retries++) {
    let outcome: Outcome;
    try {
      const response = await attempt();
      if (!isRetryableResponse(response)) return response;
      outcome = { response };
    } catch (error) {
      if (signal?.aborted === true || !isRetryableError(error)) throw error;
      outcome = { error };
    }
    const mayRetry = policy.maxRetries < 0 || retries < policy.maxRetries;
    const now = clock.now();
    const wait = mayRetry ? Math.max(backoff(), 'response' in outcome ? (retryAfterMillis(outcome.response.headers, now) ?? 0) : 0) : 0;
    if (!mayRetry || now + wait > deadline) {
      if ('response' in outcome) return outcome.response;
      throw outcome.error;
    }
    await clock.sleep(wait, signal);
  }
}
