import { describe, expect, it } from 'vitest';
import { resolveClientConfig } from '../../src/connectors/client-config.js';
import { createBackoff, parseBackoffPolicy } from '../../src/http/backoff.js';
import { createRetryPolicy } from '../../src/http/retry-policy.js';

const take = (next: () => number, count: number): number[] => Array.from({ length: count }, () => next());

describe('createBackoff', () => {
  it('constant repeats the base delay', () => {
    expect(take(createBackoff('constant', 200, 30_000), 4)).toEqual([200, 200, 200, 200]);
  });

  it.each([
    [0, [50, 100, 200, 400, 500, 500]],
    [0.9999, [100, 200, 400, 800, 1000, 1000]],
    [0.5, [75, 150, 300, 600, 750, 750]],
  ])('exponential_equal_jitter with random %d stays within [d/2, d] of min(base·2^n, max)', (random, expected) => {
    expect(take(createBackoff('exponential_equal_jitter', 100, 1000, () => random), 6)).toEqual(expected);
  });

  it('exponential_equal_jitter stops growing the exponent at 30 retries, like OpenSearch', () => {
    const next = createBackoff('exponential_equal_jitter', 1, Number.MAX_SAFE_INTEGER, () => 0);
    const delays = take(next, 35);
    expect(delays[30]).toBe(2 ** 29);
    expect(delays[34]).toBe(2 ** 29);
  });

  it.each([
    [0, [1, 1, 1, 1]],
    [0.9999, [100, 200, 400, 800]],
  ])('exponential_full_jitter with random %d draws from [1, base·2^n]', (random, expected) => {
    expect(take(createBackoff('exponential_full_jitter', 100, 1000, () => random), 4)).toEqual(expected);
  });

  it('exponential_full_jitter caps its bound at Java Integer.MAX_VALUE and tolerates a zero base', () => {
    const delays = take(createBackoff('exponential_full_jitter', 2 ** 30, 0, () => 0.9999), 3);
    expect(Math.max(...delays)).toBeLessThanOrEqual(2 ** 31 - 1);
    expect(take(createBackoff('exponential_full_jitter', 0, 0, () => 0.5), 3)).toEqual([1, 2, 3]);
  });
});

describe('parseBackoffPolicy', () => {
  it.each([
    [undefined, 'constant'],
    ['constant', 'constant'],
    ['Exponential_Equal_Jitter', 'exponential_equal_jitter'],
    ['EXPONENTIAL_FULL_JITTER', 'exponential_full_jitter'],
  ])('reads %s as %s', (name, expected) => {
    expect(parseBackoffPolicy(name)).toBe(expected);
  });

  it('refuses unknown names with a 400', () => {
    expect(() => parseBackoffPolicy('fibonacci')).toThrow(expect.objectContaining({ status: 400, reason: 'Unsupported retry backoff policy: fibonacci' }));
  });
});

describe('createRetryPolicy', () => {
  it('applies the project defaults: 3 retries within 30 s, constant 200 ms', () => {
    const policy = createRetryPolicy(resolveClientConfig({}));
    expect(policy.maxRetries).toBe(3);
    expect(policy.timeoutMillis).toBe(30_000);
    expect(take(policy.backoff(), 2)).toEqual([200, 200]);
  });

  it('keeps an explicit 0 and -1', () => {
    expect(createRetryPolicy(resolveClientConfig({ max_retry_times: 0 })).maxRetries).toBe(0);
    expect(createRetryPolicy(resolveClientConfig({ max_retry_times: -1 })).maxRetries).toBe(-1);
  });

  it('gives each call a fresh delay sequence', () => {
    const policy = createRetryPolicy(resolveClientConfig({ retry_backoff_policy: 'exponential_equal_jitter', retry_backoff_millis: 100 }), () => 0);
    const first = policy.backoff();
    first();
    first();
    expect(policy.backoff()()).toBe(50);
  });
});
