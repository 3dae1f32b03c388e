/**
 * Opens the state the service runs on, as the configuration says: the embedded SQLite store under
 * `DATA_DIR` with its master key (`MASTER_KEY` or the key file beside it), or the cluster store
 * with this replica's heartbeat, its key check and the lease for background duties.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ClusterCallEvents } from '../cluster/cluster-call-events.js';
import { ClusterClient } from '../cluster/cluster-client.js';
import { createStateTransport } from '../cluster/state-transport.js';
import type { Config } from '../config.js';
import { Lease } from '../replicas/lease.js';
import { ReplicaMembership, singleReplica, type ReplicaCount } from '../replicas/replica-membership.js';
import { CredentialCipher } from '../security/credential-cipher.js';
import { loadMasterKeyFile } from '../security/master-key.js';
import { countRecordsWithCredentials } from '../security/stored-credentials.js';
import { assertMasterKeyMatchesStore } from '../security/master-key-check.js';
import { ClusterStore } from '../store/cluster/cluster-store.js';
import { SqliteStore } from '../store/sqlite-store.js';
import type { Store } from '../store/store.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';

export interface OpenedState {
  readonly store: Store;
  /** Encrypts and decrypts credentials with the state's master key. */
  readonly cipher: CredentialCipher;
  readonly replicas: ReplicaCount;
  /** This replica's id with the cluster store (tasks' `worker_node`); undefined with the embedded one. */
  readonly nodeId: string | undefined;
  /** The lease of background duties; undefined with the embedded store (one process holds it all). */
  readonly dutiesLease: Lease | undefined;
  /** The master key ids each live replica can read (from their heartbeats); undefined when alone. */
  readonly liveReplicaKeyIds: (() => string[][]) | undefined;
  /** Stops heartbeats and watching, removes this replica's heartbeat, closes the store. */
  close(): Promise<void>;
}

/**
 * `masterKey` is `MASTER_KEY`'s (required with the cluster store, checked by the config);
 * `previousKeys` are `MASTER_KEY_PREVIOUS`'s, readable during a key rotation.
 */
export async function openState(
  config: Config,
  io: { masterKey: Buffer | undefined; previousKeys: readonly Buffer[]; clock: Clock; logger: Logger; clusterEvents?: ClusterCallEvents },
): Promise<OpenedState> {
  if (config.stateStore === 'sqlite') {
    const store = new SqliteStore(join(config.dataDir, 'sidecar.db'));
    try {
      const key =
        io.masterKey ?? (await loadMasterKeyFile(config.dataDir, { countRecordsWithCredentials: () => countRecordsWithCredentials(store), logger: io.logger }));
      const cipher = new CredentialCipher(key, { previousKeys: io.previousKeys });
      return { store, cipher, replicas: singleReplica, nodeId: undefined, dutiesLease: undefined, liveReplicaKeyIds: undefined, close: () => store.close() };
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  const cipher = new CredentialCipher(io.masterKey!, { previousKeys: io.previousKeys });
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
    const key = await assertMasterKeyMatchesStore(store, cipher, io.clock.now());
    const membership = new ReplicaMembership(store, {
      replicaId,
      nodeName: config.nodeName,
      clock: io.clock,
      heartbeatMs: state.heartbeatMs,
      liveWindowMs: state.heartbeatMs * 3,
      // A master key rotation waits until every live replica can read the new key.
      describe: () => ({ key_ids: cipher.keyIds }),
      onError: (error) => io.logger.warn({ reason: (error as Error).message }, 'heartbeat failed'),
    });
    await membership.start();
    io.logger.info(
      { cluster: transport.displayUrl, indices, replica_id: replicaId, live_replicas: membership.liveCount(), master_key: key, key_id: cipher.keyId },
      'cluster state store open',
    );
    return {
      store,
      cipher,
      replicas: membership,
      nodeId: replicaId,
      dutiesLease: new Lease(store, 'background-duties', { replicaId, clock: io.clock, ttlMs: state.leaseTtlMs }),
      liveReplicaKeyIds: () =>
        membership.liveDescriptions().map((heartbeat) => (Array.isArray(heartbeat['key_ids']) ? heartbeat['key_ids'].map(String) : [])),
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
