import { describe, expect, it } from 'vitest';
import { clockReading } from '../helpers/clock.js';
import { ModelRateLimiters } from '../../src/models/rate-limiter.js';

/** How many calls a fresh limiter lets through at one instant. */
function burst(limiters: ModelRateLimiters, limit: string, replicas: number): number {
  let taken = 0;
  for (;;) {
    try {
      limiters.take('m', { limit, unit: 'MINUTES' }, replicas);
      taken++;
    } catch (error) {
      expect(error).toMatchObject({ status: 429, reason: 'Request is throttled at model level.' });
      return taken;
    }
  }
}

describe('ModelRateLimiters', () => {
  it.each([
    [1, 60],
    [2, 30],
    [3, 20],
  ])('should give each of %i live replicas its share of the limit', (replicas, share) => {
    expect(burst(new ModelRateLimiters(clockReading(() => 0)), '60', replicas)).toBe(share);
  });

  it('should refill at the replica\'s share of the rate and rebuild the bucket when the replica count changes', () => {
    let now = 0;
    const limiters = new ModelRateLimiters(clockReading(() => now));
    expect(burst(limiters, '60', 2)).toBe(30);
    now += 10_000;
    expect(burst(limiters, '60', 2)).toBe(5);
    // One replica left: a new bucket at the whole limit.
    expect(burst(limiters, '60', 1)).toBe(60);
  });
});
