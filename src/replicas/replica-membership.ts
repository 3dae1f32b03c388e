/**
 * Which replicas are alive, from heartbeats in the store: each replica rewrites its own heartbeat
 * document every `heartbeatMs` and reads everyone's. A replica is alive while its heartbeat keeps
 * moving as this replica sees it (its `_version` changed within `liveWindowMs` of this replica's
 * clock), so clocks that disagree between machines do not matter; a heartbeat seen for the first
 * time counts unless its own timestamp is older than any plausible skew. Rate limits are split by the live count, as ML
 * Commons splits them by node.
 */
import type { Store, StoredRecord } from '../store/store.js';
import type { Clock } from '../util/clock.js';

export const HEARTBEATS = 'heartbeats';

/** A heartbeat this much older than our clock belongs to a replica that is gone, whatever the skew. */
const LONG_DEAD_MS = 10 * 60_000;

/** How many replicas share the configured limits (1 with the embedded store). */
export interface ReplicaCount {
  liveCount(): number;
}

export const singleReplica: ReplicaCount = { liveCount: () => 1 };

export interface MembershipOptions {
  readonly replicaId: string;
  readonly nodeName: string;
  readonly clock: Clock;
  readonly heartbeatMs: number;
  readonly liveWindowMs: number;
  /** What else this replica says of itself in its heartbeat (e.g. the master key ids it can read). */
  readonly describe?: () => Record<string, unknown>;
  readonly onError?: (error: unknown) => void;
}

interface Sighting {
  readonly version: number;
  /** This replica's clock when the heartbeat was last seen to move. */
  readonly movedAt: number;
}

export class ReplicaMembership implements ReplicaCount {
  private readonly sightings = new Map<string, Sighting>();
  private lastHeartbeats: StoredRecord[] = [];
  private live = 1;
  private timer: NodeJS.Timeout | undefined;
  private readonly startedAt: number;

  constructor(
    private readonly store: Store,
    private readonly options: MembershipOptions,
  ) {
    this.startedAt = options.clock.now();
  }

  liveCount(): number {
    return this.live;
  }

  /** Ids of the replicas alive at the last beat (this one included). */
  liveReplicas(): string[] {
    const now = this.options.clock.now();
    return [...this.sightings].filter(([, sighting]) => now - sighting.movedAt < this.options.liveWindowMs).map(([id]) => id);
  }

  /** What the live replicas said of themselves in their last heartbeats. */
  liveDescriptions(): Array<Record<string, unknown>> {
    const live = new Set(this.liveReplicas());
    return this.lastHeartbeats.filter((heartbeat) => live.has(heartbeat.id)).map((heartbeat) => heartbeat.source);
  }

  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat().catch((error: unknown) => this.options.onError?.(error)), this.options.heartbeatMs);
    this.timer.unref();
  }

  /** Stops beating and removes this replica's heartbeat, so the others re-split at once. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.store.write([{ op: 'delete', collection: HEARTBEATS, id: this.options.replicaId }]).catch(() => undefined);
  }

  /** Writes this replica's heartbeat, then counts the live ones. */
  async beat(): Promise<void> {
    const now = this.options.clock.now();
    await this.store.write([
      {
        op: 'put',
        collection: HEARTBEATS,
        id: this.options.replicaId,
        source: {
          ...this.options.describe?.(),
          replica_id: this.options.replicaId,
          node_name: this.options.nodeName,
          started_at: this.startedAt,
          last_seen: now,
        },
      },
    ]);
    const heartbeats = await this.store.list(HEARTBEATS);
    this.lastHeartbeats = heartbeats;
    const seen = new Set<string>();
    for (const heartbeat of heartbeats) {
      seen.add(heartbeat.id);
      const previous = this.sightings.get(heartbeat.id);
      if (previous === undefined) {
        // A first sighting counts (erring toward smaller shares) unless the heartbeat is so old that
        // no clock skew explains it; from then on only its movement counts.
        const lastSeen = Number(heartbeat.source['last_seen']);
        const dead = heartbeat.id !== this.options.replicaId && now - lastSeen > LONG_DEAD_MS;
        this.sightings.set(heartbeat.id, { version: heartbeat.version, movedAt: dead ? -Infinity : now });
      } else if (previous.version !== heartbeat.version) {
        this.sightings.set(heartbeat.id, { version: heartbeat.version, movedAt: now });
      }
    }
    for (const id of this.sightings.keys()) if (!seen.has(id)) this.sightings.delete(id);
    this.live = Math.max(1, this.liveReplicas().length);
  }
}
