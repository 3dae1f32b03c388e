/**
 * Cluster stores over the OpenSearch stand-in, for tests: each `open` gets indices of its own (a
 * fresh prefix), so tests sharing one stand-in never see each other's state.
 */
import { ClusterClient } from '../../src/cluster/cluster-client.js';
import { createStateTransport, type ServiceAccount } from '../../src/cluster/state-transport.js';
import { ClusterStore, type ClusterStoreOptions } from '../../src/store/cluster/cluster-store.js';

let prefixCounter = 0;

/** A prefix no other test uses. */
export const freshStatePrefix = (): string => `.ml-sidecar-test${process.pid}-${++prefixCounter}`;

export async function openClusterStore(
  url: string,
  options: Partial<Omit<ClusterStoreOptions, 'transport'>> & { account?: ServiceAccount; timeoutMs?: number } = {},
): Promise<ClusterStore> {
  const client = new ClusterClient(url, { requestTimeoutMs: options.timeoutMs ?? 5_000 });
  const { store } = await ClusterStore.open({
    transport: createStateTransport(client, options.account ?? { kind: 'none' }),
    indexPrefix: options.indexPrefix ?? freshStatePrefix(),
    replicaId: options.replicaId ?? 'test-replica',
    now: options.now ?? Date.now,
    pollIntervalMs: options.pollIntervalMs ?? 100,
    cacheTtlMs: options.cacheTtlMs ?? 60_000,
    pause: options.pause ?? (async () => undefined),
    ...(options.onWatchHealthChange === undefined ? {} : { onWatchHealthChange: options.onWatchHealthChange }),
  });
  return store;
}
