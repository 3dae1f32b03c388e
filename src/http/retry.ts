/**
 * The retry loop. An attempt either answers 2xx or throws: a `ProviderError` for any other answer
 * (its `isRetryable` and `responseHeaders` decide the retry and its wait) or a transport failure.
 * Waits are the larger of the backoff delay and the provider's `Retry-After`; a retry whose wait
 * would end after the `retry_timeout_seconds` deadline is not attempted, so the whole call never
 * waits past the deadline (one attempt already in flight runs to its own read timeout). After the
 * last attempt its error is thrown.
 */
import { isProviderError } from '../errors/provider-error.js';
import type { Clock } from '../util/clock.js';
import type { Backoff } from './backoff.js';
import { retryAfterMillis } from './retry-after.js';
import { isRetryableError, type RetryPolicy } from './retry-policy.js';

/**
 * Runs `attempt` until it succeeds, fails for good, or the policy runs out of retries or time.
 * `onRetry` hears of each retry (numbered from 1) before its wait.
 */
export async function sendWithRetries<Answer>(
  attempt: () => Promise<Answer>,
  policy: RetryPolicy,
  clock: Clock,
  signal?: AbortSignal,
  onRetry?: (retry: number, waitMillis: number) => void,
): Promise<Answer> {
  if (policy.maxRetries === 0) return attempt();
  const deadline = clock.now() + policy.timeoutMillis;
  let backoff: Backoff | undefined; // made at the first failure: most calls never need one
  for (let retries = 0; ; retries++) {
    try {
      return await attempt();
    } catch (error) {
      if (signal?.aborted === true || !isRetryableError(error)) throw error;
      const mayRetry = policy.maxRetries < 0 || retries < policy.maxRetries;
      const now = clock.now();
      const hint = isProviderError(error) ? (retryAfterMillis(error.responseHeaders, now) ?? 0) : 0;
      const wait = mayRetry ? Math.max((backoff ??= policy.backoff())(), hint) : 0;
      if (!mayRetry || now + wait > deadline) throw error;
      onRetry?.(retries + 1, wait);
      await clock.sleep(wait, signal);
    }
  }
}
