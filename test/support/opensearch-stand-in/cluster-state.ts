/**
 * Everything the stand-in remembers between requests: its identity (cluster and node names and
 * ids), its indices, its cluster settings and, when security is on, its users.
 */
import { randomBytes } from 'node:crypto';
import { ClusterSettingsStore } from './cluster-settings.js';
import { IndexRegistry } from './indices.js';
import type { StandInUser } from './security.js';
import { WritePressure } from './write-pressure.js';

/** Names and ids the root endpoint, `_cat` and shard failures report. */
export interface ClusterIdentity {
  readonly clusterName: string;
  readonly clusterUuid: string;
  readonly nodeName: string;
  readonly nodeId: string;
}

/** The stand-in's whole state. */
export class ClusterState {
  readonly indices = new IndexRegistry();
  readonly clusterSettings = new ClusterSettingsStore();
  /** Bulks and shards to turn away as a busy cluster does. */
  readonly writePressure = new WritePressure();
  readonly identity: ClusterIdentity;

  constructor(
    clusterName: string,
    /** Null when security is off: every request is anonymous and accepted. */
    readonly users: readonly StandInUser[] | null,
    /** The OpenSearch version played (the root endpoint, version-dependent behaviour). */
    readonly version: string,
  ) {
    this.identity = {
      clusterName,
      clusterUuid: randomBytes(16).toString('base64url'),
      nodeName: 'stand-in-node-1',
      nodeId: randomBytes(16).toString('base64url'),
    };
  }

  /** Forgets every index and cluster setting, and any rejection still to hand out. */
  reset(): void {
    this.indices.clear();
    this.clusterSettings.clear();
    this.writePressure.clear();
  }
}
