/**
 * The three `retry_backoff_policy` values, as OpenSearch's `BackoffPolicy` computes them
 * (ML Commons builds them in `RemoteConnectorExecutor`): each call of the returned function gives
 * the delay before the next retry, in milliseconds.
 */
import { illegalArgument } from '../errors/opensearch-error.js';

/** `client_config.retry_backoff_policy`, lower-case. */
export type BackoffPolicyName = 'constant' | 'exponential_equal_jitter' | 'exponential_full_jitter';

/** Successive retry delays in milliseconds. */
export type Backoff = () => number;

const POLICY_NAMES: readonly BackoffPolicyName[] = ['constant', 'exponential_equal_jitter', 'exponential_full_jitter'];
/** Java's `1L << retries` overflows past this; OpenSearch stops growing the exponent there. */
const MAX_EXPONENT = 30;
const JAVA_INT_MAX = 2 ** 31 - 1;

/** Parses a policy name case-insensitively, as ML Commons does; unknown names are a 400. */
export function parseBackoffPolicy(name: string | undefined): BackoffPolicyName {
  if (name === undefined) return 'constant';
  const lower = name.toLowerCase() as BackoffPolicyName;
  if (!POLICY_NAMES.includes(lower)) throw illegalArgument(`Unsupported retry backoff policy: ${name}`);
  return lower;
}

/** Java's `Random.nextInt(bound)` on an injected uniform source in [0, 1). */
const nextInt = (random: () => number, bound: number): number => Math.floor(random() * bound);

/**
 * A fresh delay sequence. `baseMillis` is `retry_backoff_millis`; `maxMillis` (equal jitter only) is
 * `retry_timeout_seconds` in milliseconds, as ML Commons passes it.
 */
export function createBackoff(policy: BackoffPolicyName, baseMillis: number, maxMillis: number, random: () => number = Math.random): Backoff {
  switch (policy) {
    case 'constant':
      return () => baseMillis;
    case 'exponential_equal_jitter': {
      let retries = 0;
      return () => {
        const exponential = Math.min(2 ** Math.min(retries, MAX_EXPONENT) * baseMillis, maxMillis);
        retries++;
        const half = Math.floor(exponential / 2);
        return half + nextInt(random, half + 1);
      };
    }
    case 'exponential_full_jitter': {
      // nextInt(0) throws in Java; a zero base would mean "retry at once", so bound it at 1.
      let current = Math.max(1, baseMillis);
      return () => {
        const delay = nextInt(random, current) + 1;
        current = Math.min(2 * current, JAVA_INT_MAX);
        return delay;
      };
    }
  }
}
