import { describe, expect, it } from 'vitest';
import { resolveClientConfig, sharedBetween } from '../../src/connectors/client-config.js';
import { poolFingerprint } from '../../src/http/transport-options.js';

describe('resolveClientConfig: the throughput keys', () => {
  it('should leave pacing off, allow 2000 queued calls and adapt concurrency by default', () => {
    expect(resolveClientConfig({})).toMatchObject({
      requestsPerMinute: undefined,
      tokensPerMinute: undefined,
      maxQueuedRequests: 2000,
      adaptiveConcurrency: true,
    });
  });

  it('should read the keys, falling back to the defaults for values the schema refuses', () => {
    expect(resolveClientConfig({ requests_per_minute: 600, tokens_per_minute: 90_000, max_queued_requests: 5, adaptive_concurrency: false })).toMatchObject({
      requestsPerMinute: 600,
      tokensPerMinute: 90_000,
      maxQueuedRequests: 5,
      adaptiveConcurrency: false,
    });
    expect(resolveClientConfig({ requests_per_minute: 0, max_queued_requests: 0 })).toMatchObject({ requestsPerMinute: undefined, maxQueuedRequests: 2000 });
  });

  it('should rebuild the pool when adaptive_concurrency changes, not when the pacing does', () => {
    const base = poolFingerprint(resolveClientConfig({}));
    expect(poolFingerprint(resolveClientConfig({ adaptive_concurrency: false }))).not.toBe(base);
    expect(poolFingerprint(resolveClientConfig({ requests_per_minute: 60 }))).toBe(base);
  });

  it('should divide configured rates between replicas and tell the pacer its share of learned ones', () => {
    const paced = resolveClientConfig({ requests_per_minute: 600, tokens_per_minute: 90_000 });
    expect(sharedBetween(paced, 3)).toMatchObject({ requestsPerMinute: 200, tokensPerMinute: 30_000, rateShare: 1 / 3 });
    // Unpaced connectors get a share too: the limits their provider reports are split the same way.
    expect(sharedBetween(resolveClientConfig({}), 4)).toMatchObject({ requestsPerMinute: undefined, rateShare: 0.25 });
    expect(sharedBetween(paced, 1)).toBe(paced);
    expect(sharedBetween(paced, 3)).toBe(sharedBetween(paced, 3));
  });
});
