import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const KEY = Buffer.alloc(32, 1).toString('base64');

describe('loadConfig: state store', () => {
  it.each([
    [{}, 'sqlite'],
    [{ OPENSEARCH_URL: 'http://os:9200', MASTER_KEY: KEY }, 'cluster'],
    [{ OPENSEARCH_URL: 'http://os:9200', STATE_STORE: 'sqlite' }, 'sqlite'],
  ])('should pick the store for %o: %s', (env, store) => {
    expect(loadConfig(env).stateStore).toBe(store);
  });

  it.each([
    [{ STATE_STORE: 'cluster' }, 'STATE_STORE=cluster needs OPENSEARCH_URL'],
    [{ OPENSEARCH_URL: 'http://os:9200' }, 'MASTER_KEY is required with the cluster store'],
    [{ OPENSEARCH_URL: 'http://os:9200', MASTER_KEY: KEY, OPENSEARCH_USERNAME: 'sidecar' }, 'OPENSEARCH_USERNAME and OPENSEARCH_PASSWORD must be set together'],
    [{ OPENSEARCH_URL: 'http://os:9200', MASTER_KEY: KEY, OPENSEARCH_USERNAME: 'a', OPENSEARCH_PASSWORD: 'b', OPENSEARCH_API_KEY: 'c' }, 'not both'],
    [{ STATE_STORE: 'etcd' }, 'STATE_STORE'],
    [{ STATE_INDEX_PREFIX: 'Upper' }, 'STATE_INDEX_PREFIX'],
  ])('should refuse %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('should read the cluster store settings with their defaults', () => {
    expect(loadConfig({ OPENSEARCH_URL: 'http://os:9200', MASTER_KEY: KEY }).clusterState).toEqual({
      indexPrefix: '.ml-sidecar',
      account: { kind: 'none' },
      pollIntervalMs: 1_000,
      cacheTtlMs: 30_000,
      heartbeatMs: 5_000,
      leaseTtlMs: 30_000,
    });
    const set = loadConfig({
      OPENSEARCH_URL: 'http://os:9200', MASTER_KEY: KEY, OPENSEARCH_API_KEY: 'os_token', STATE_INDEX_PREFIX: '.team-a-sidecar', STATE_POLL_MS: '250',
    }).clusterState;
    expect(set).toMatchObject({ indexPrefix: '.team-a-sidecar', account: { kind: 'api-key', apiKey: 'os_token' }, pollIntervalMs: 250 });
  });
});
