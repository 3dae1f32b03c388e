import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialCipher } from '../../src/security/credential-cipher.js';
import { assertMasterKeyMatchesStore, MasterKeyMismatchError } from '../../src/security/master-key-check.js';
import { openClusterStore } from '../helpers/cluster-store.js';
import { startOpenSearchStandIn, type StandIn } from '../support/opensearch-stand-in/index.js';

let cluster: StandIn;
beforeAll(async () => {
  cluster = await startOpenSearchStandIn();
});
afterAll(async () => {
  await cluster.close();
});

describe('assertMasterKeyMatchesStore', () => {
  it('should record a key check (never the key), accept the same key and refuse another without writing', async () => {
    const key = Buffer.alloc(32, 9);
    const store = await openClusterStore(cluster.url);
    expect(await assertMasterKeyMatchesStore(store, new CredentialCipher(key), 1)).toBe('recorded');
    expect(await assertMasterKeyMatchesStore(store, new CredentialCipher(Buffer.from(key)), 2)).toBe('matched');
    const config = cluster.indices.documents(`${store.layout.prefix}-config`);
    const everything = JSON.stringify(config);
    expect(everything).not.toContain(key.toString('base64'));
    expect(everything).not.toContain(key.toString('hex'));

    const before = cluster.requests.filter((request) => request.method !== 'GET' && !request.path.endsWith('_mget')).length;
    const wrong = new CredentialCipher(Buffer.alloc(32, 8));
    const error = await assertMasterKeyMatchesStore(store, wrong, 3).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MasterKeyMismatchError);
    expect((error as Error).message).toContain('MASTER_KEY is not the key the sidecar state in this cluster was written with');
    expect((error as Error).message).toContain(wrong.keyId);
    const after = cluster.requests.filter((request) => request.method !== 'GET' && !request.path.endsWith('_mget')).length;
    expect(after).toBe(before);
    await store.close();
  });

  it('should agree on one key check when replicas start together', async () => {
    const first = await openClusterStore(cluster.url);
    const second = await openClusterStore(cluster.url, { indexPrefix: first.layout.prefix });
    const key = new CredentialCipher(Buffer.alloc(32, 5));
    const outcomes = await Promise.all([assertMasterKeyMatchesStore(first, key, 1), assertMasterKeyMatchesStore(second, key, 1)]);
    expect(outcomes.sort()).toEqual(['matched', 'recorded']);
    await first.close();
    await second.close();
  });
});
