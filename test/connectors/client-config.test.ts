import { describe, expect, it } from 'vitest';
import { CLIENT_CONFIG_DEFAULTS, resolveClientConfig } from '../../src/connectors/client-config.js';
import { poolFingerprint } from '../../src/http/transport-options.js';

describe('resolveClientConfig', () => {
  it('applies the defaults, timeouts in seconds', () => {
    expect(resolveClientConfig({})).toMatchObject({
      maxConnections: 30,
      connectTimeoutMillis: 30_000,
      readTimeoutMillis: 30_000,
      maxRetries: 3,
      retryBackoffMillis: 200,
      retryTimeoutMillis: 30_000,
      backoffPolicy: 'constant',
      skipSslVerification: false,
    });
    expect(CLIENT_CONFIG_DEFAULTS.max_retry_times).toBe(3);
  });

  it('reads every key', () => {
    expect(
      resolveClientConfig({
        max_connection: 5,
        connection_timeout: 2,
        read_timeout: 60,
        retry_backoff_millis: 0,
        retry_timeout_seconds: 5,
        max_retry_times: -1,
        retry_backoff_policy: 'EXPONENTIAL_FULL_JITTER',
        skip_ssl_verification: true,
      }),
    ).toMatchObject({
      maxConnections: 5,
      connectTimeoutMillis: 2000,
      readTimeoutMillis: 60_000,
      retryBackoffMillis: 0,
      retryTimeoutMillis: 5000,
      maxRetries: -1,
      backoffPolicy: 'exponential_full_jitter',
      skipSslVerification: true,
    });
  });

  it.each([
    [{ max_connection: 0 }, 'maxConnections', 30],
    [{ max_connection: 2.5 }, 'maxConnections', 30],
    [{ connection_timeout: -1 }, 'connectTimeoutMillis', 30_000],
    [{ read_timeout: Number.NaN }, 'readTimeoutMillis', 30_000],
    [{ max_retry_times: -2 }, 'maxRetries', 3],
    [{ max_retry_times: 1.5 }, 'maxRetries', 3],
    [{ max_retry_times: 0 }, 'maxRetries', 0],
    [{ retry_backoff_millis: -5 }, 'retryBackoffMillis', 200],
    [{ retry_timeout_seconds: 0 }, 'retryTimeoutMillis', 30_000],
  ])('falls back to the default for %j', (config, field, expected) => {
    expect(resolveClientConfig(config)[field as keyof ReturnType<typeof resolveClientConfig>]).toBe(expected);
  });

  it('refuses an unknown retry_backoff_policy with a 400', () => {
    expect(() => resolveClientConfig({ retry_backoff_policy: 'linear' })).toThrow(
      expect.objectContaining({ status: 400, reason: 'Unsupported retry backoff policy: linear' }),
    );
  });

  it('resolves a config object once and changes the pool fingerprint only for pool settings', () => {
    const config = { max_connection: 4 };
    expect(resolveClientConfig(config)).toBe(resolveClientConfig(config));
    expect(resolveClientConfig(undefined)).toBe(resolveClientConfig());
    const base = poolFingerprint(resolveClientConfig({}));
    expect(poolFingerprint(resolveClientConfig({ max_retry_times: 9 }))).toBe(base);
    expect(poolFingerprint(resolveClientConfig({ read_timeout: 9 }))).not.toBe(base);
    expect(poolFingerprint(resolveClientConfig({ skip_ssl_verification: true }))).not.toBe(base);
  });
});
