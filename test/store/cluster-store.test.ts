import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterStore } from '../../src/store/cluster/cluster-store.js';
import type { Store } from '../../src/store/store.js';
import { freshStatePrefix, openClusterStore } from '../helpers/cluster-store.js';
import { startOpenSearchStandIn, type StandIn } from '../support/opensearch-stand-in/index.js';
import { describeStoreContract } from './store-contract.js';


let cluster: StandIn;
const stores: Store[] = [];

beforeAll(async () => {
  cluster = await startOpenSearchStandIn();
});

afterAll(async () => {
  for (const store of stores) await store.close();
  await cluster.close();
});

const track = <S extends Store>(store: S): S => {
  stores.push(store);
  return store;
};

describeStoreContract('cluster (OpenSearch stand-in)', {
  open: async () => track(await openClusterStore(cluster.url)),
  reopen: async (store) => track(await openClusterStore(cluster.url, { indexPrefix: (store as ClusterStore).layout.prefix, replicaId: 'second' })),
});

describe('ClusterStore', () => {
  it('should create one hidden single-shard index per kind with a versioned mapping, and reuse them', async () => {
    const prefix = freshStatePrefix();
    track(await openClusterStore(cluster.url, { indexPrefix: prefix }));
    const kinds = ['connectors', 'model-groups', 'models', 'tasks', 'config', 'pipelines', 'replicas', 'usage', 'memory'];
    for (const kind of kinds) {
      const index = `${prefix}-${kind}`;
      expect(cluster.indices.settings(index)).toMatchObject({
        'index.hidden': 'true',
        'index.number_of_shards': '1',
        'index.auto_expand_replicas': '0-1',
      });
      expect(cluster.indices.mappings(index)).toMatchObject({ _meta: { schema_version: 1 }, properties: { record: { type: 'object', enabled: false } } });
    }
    const before = cluster.requests.length;
    track(await openClusterStore(cluster.url, { indexPrefix: prefix }));
    const creates = cluster.requests.slice(before).filter((request) => request.method === 'PUT' && !request.path.includes('/_'));
    expect(creates).toHaveLength(kinds.length);
    expect(cluster.requests.slice(before).some((request) => request.path.endsWith('/_mapping') && request.method === 'PUT')).toBe(false);
  });

  it('should put the bundled mapping over an older schema version', async () => {
    const prefix = freshStatePrefix();
    const old = await fetch(`${cluster.url}/${prefix}-models`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ settings: { index: { hidden: true } }, mappings: { _meta: { schema_version: 0 }, properties: { collection: { type: 'keyword' } } } }),
    });
    expect(old.status).toBe(200);
    track(await openClusterStore(cluster.url, { indexPrefix: prefix }));
    expect(cluster.indices.mappings(`${prefix}-models`)).toMatchObject({ _meta: { schema_version: 1 }, properties: { record: { enabled: false } } });
  });

  it('should tell one replica of another replica\'s write within a poll', async () => {
    const first = track(await openClusterStore(cluster.url, { pollIntervalMs: 50 }));
    const second = track(await openClusterStore(cluster.url, { indexPrefix: first.layout.prefix, pollIntervalMs: 50, replicaId: 'two' }));
    const heard: string[] = [];
    second.changes.subscribe(['.plugins-ml-connector', '.plugins-ml-model'], (collection) => heard.push(collection));
    await first.write([{ op: 'create', collection: '.plugins-ml-connector', id: 'c', source: {} }]);
    await expect.poll(() => heard, { timeout: 2_000, interval: 20 }).toEqual(['.plugins-ml-connector']);
    // A collection nobody caches announces nothing.
    await first.write([{ op: 'create', collection: '.plugins-ml-task', id: 't', source: {} }]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(heard).toEqual(['.plugins-ml-connector']);
  });

  it('should announce every cached collection when the cache TTL is up, even without a write', async () => {
    const store = track(await openClusterStore(cluster.url, { cacheTtlMs: 100 }));
    const heard = new Set<string>();
    store.changes.subscribe(['settings', 'ingest-pipelines'], (collection) => heard.add(collection));
    await expect.poll(() => [...heard].sort(), { timeout: 2_000, interval: 20 }).toEqual(['ingest-pipelines', 'settings']);
  });

  it('should keep the record unindexed, so operators may search only the wrapper fields', async () => {
    const store = track(await openClusterStore(cluster.url));
    await store.write([{ op: 'create', collection: '.plugins-ml-connector', id: 'w', source: { name: 'wrapped' } }]);
    const document = cluster.indices.document(`${store.layout.prefix}-connectors`, 'w');
    expect(document).toEqual({ collection: '.plugins-ml-connector', id: 'w', updated_at: expect.any(Number), record: { name: 'wrapped' } });
  });

  it('should answer 503 naming the cluster while it is down, and work again when it is back', async () => {
    const store = track(await openClusterStore(cluster.url));
    await store.write([{ op: 'create', collection: '.plugins-ml-model', id: 'm', source: { n: 1 } }]);
    await cluster.fail('down');
    try {
      const error = await store.get('.plugins-ml-model', 'm').catch((caught: unknown) => caught);
      expect(error).toMatchObject({ status: 503, type: 'cluster_unavailable_exception' });
      expect((error as Error).message).toContain(`OpenSearch cluster [${cluster.url}]`);
      await expect(store.ping()).rejects.toMatchObject({ status: 503 });
    } finally {
      await cluster.recover();
    }
    expect((await store.get('.plugins-ml-model', 'm'))?.source).toEqual({ n: 1 });
  });

  it('should list on a cluster older than 2.8, which knows no primary preference', async () => {
    const old = await startOpenSearchStandIn({ version: '2.7.0' });
    try {
      const store = track(await openClusterStore(old.url));
      await store.write([{ op: 'create', collection: '.plugins-ml-model', id: 'a', source: {} }]);
      expect((await store.list('.plugins-ml-model')).map((record) => record.id)).toEqual(['a']);
      expect((await store.list('.plugins-ml-model')).map((record) => record.id)).toEqual(['a']);
      const searches = old.requests.filter((request) => request.path.endsWith('/_search'));
      expect(searches.map((request) => request.query['preference'] ?? 'none')).toEqual(['_primary_first', 'none', 'none']);
    } finally {
      await old.close();
    }
  });

  it('should try a call again when the cluster rejects it with 429, and give up after a few', async () => {
    const calls: string[] = [];
    let rejections = 2;
    const transport = {
      displayUrl: 'http://cluster.test:9200',
      request: async (request: { method: string; path: string }) => {
        calls.push(`${request.method} ${request.path}`);
        if (request.path.endsWith('/_mget') && rejections-- > 0) {
          return { status: 429, body: { error: { type: 'es_rejected_execution_exception', reason: 'rejected execution' } } };
        }
        if (request.path.endsWith('/_mget')) return { status: 200, body: { docs: [{ found: false }] } };
        return { status: 200, body: {} };
      },
    };
    const { store } = await ClusterStore.open({
      transport, indexPrefix: '.t', replicaId: 'r', now: Date.now, pollIntervalMs: 60_000, cacheTtlMs: 60_000, pause: async () => undefined,
    });
    track(store);
    calls.length = 0;
    rejections = 2;
    expect(await store.get('.plugins-ml-model', 'x')).toBeUndefined();
    expect(calls.filter((call) => call.endsWith('_mget'))).toHaveLength(3);
    rejections = 10;
    await expect(store.get('.plugins-ml-model', 'x')).rejects.toMatchObject({ status: 503, message: expect.stringContaining('429') });
  });

  it('should call the cluster with the sidecar\'s own account', async () => {
    const store = track(await openClusterStore(cluster.url, { account: { kind: 'basic', username: 'sidecar', password: 'pw' } }));
    const before = cluster.requests.length;
    await store.write([{ op: 'create', collection: '.plugins-ml-model', id: 'auth', source: {} }]);
    // Other tests' stores poll meanwhile: look at this store's calls only.
    const sent = cluster.requests.slice(before).filter((request) => `${request.path} ${request.body}`.includes(store.layout.prefix));
    expect(sent.length).toBeGreaterThanOrEqual(3);
    for (const request of sent) expect(request.headers.authorization).toBe(`Basic ${Buffer.from('sidecar:pw').toString('base64')}`);
  });
});
