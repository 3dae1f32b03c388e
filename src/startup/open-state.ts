/**
 * Opens the state the service runs on, as the configuration says: the embedded SQLite store under
 * `DATA_DIR`, or the cluster store with this replica's heartbeat, its key check and the lease for
 * background duties.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ClusterCallEvents } from '../cluster/cluster-call-events.js';
import { ClusterClient } from '../cluster/cluster-client.js';
import { createStateTransport } from '../cluster/state-transport.js';
import type { Config } from '../config.js';
import { Lease } from '../replicas/lease.js';
import { ReplicaMembership, singleReplica, type ReplicaCount } from '../replicas/replica-membership.js';
import type { CredentialCipher } from '../security/credential-cipher.js';
import { assertMasterKeyMatchesStore } from '../security/master-key-check.js';
import { ClusterStore } from '../store/cluster/cluster-store.js';
import { SqliteStore } from '../store/sqlite-store.js';
import type { Store } from '../store/store.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';

export interface OpenedState {
  readonly store: Store;
  readonly replicas: ReplicaCount;
  /** This replica's id with the cluster store (tasks' `worker_node`); undefined with the embedded one. */
  readonly nodeId: string | undefined;
  /** The lease of background duties; undefined with the embedded store (one process holds it all). */
  readonly dutiesLease: Lease | undefined;
  /** Stops heartbeats and watching, removes this replica's heartbeat, closes the store. */
  close(): Promise<void>;
}

export async function openState(
  config: Config,
  io: { cipher: CredentialCipher; clock: Clock; logger: Logger; clusterEvents?: ClusterCallEvents },
): Promise<OpenedState> {
  if (config.stateStore === 'sqlite') {
    const store = new SqliteStore(join(config.dataDir, 'sidecar.db'));
    return { store, replicas: singleReplica, nodeId: undefined, dutiesLease: undefined, close: () => store.close() };
  }
  const state = config.clusterState;
  const replicaId = randomBytes(16).toString('base64url').slice(0, 22);
  const client = new ClusterClient(config.opensearchUrl!, {
    requestTimeoutMs: Math.min(config.opensearchTimeoutMs, 30_000),
    name: 'state_store',
    ...(io.clusterEvents === undefined ? {} : { events: io.clusterEvents }),
  });
  const transport = createStateTransport(client, state.account);
  const { store, indices } = await ClusterStore.open({
    transport,
    indexPrefix: state.indexPrefix,
    replicaId,
    now: () => io.clock.now(),
    pollIntervalMs: state.pollIntervalMs,
    cacheTtlMs: state.cacheTtlMs,
    onWatchHealthChange: (healthy, reason) =>
      healthy
        ? io.logger.info({ cluster: transport.displayUrl }, 'state store reachable again')
        : io.logger.warn({ cluster: transport.displayUrl, reason }, 'state store unreachable: serving from cache where possible'),
  });
  try {
    const key = await assertMasterKeyMatchesStore(store, io.cipher, io.clock.now());
    const membership = new ReplicaMembership(store, {
      replicaId,
      nodeName: config.nodeName,
      clock: io.clock,
      heartbeatMs: state.heartbeatMs,
      liveWindowMs: state.heartbeatMs * 3,
      onError: (error) => io.logger.warn({ reason: (error as Error).message }, 'heartbeat failed'),
    });
    await membership.start();
    io.logger.info(
      { cluster: transport.displayUrl, indices, replica_id: replicaId, live_replicas: membership.liveCount(), master_key: key, key_id: io.cipher.keyId },
      'cluster state store open',
    );
    return {
      store,
      replicas: membership,
      nodeId: replicaId,
      dutiesLease: new Lease(store, 'background-duties', { replicaId, clock: io.clock, ttlMs: state.leaseTtlMs }),
      close: async () => {
        await membership.stop();
        await store.close();
        await client.close();
      },
    };
  } catch (error) {
    await store.close();
    await client.close();
    throw error;
  }
}
