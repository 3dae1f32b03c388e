/**
 * A lease document naming the one replica that runs a background duty. The holder renews it
 * (a conditional write) every third of `ttlMs`; another replica takes it over with a conditional
 * write once it has seen the document unchanged for `ttlMs` on its own clock, so a dead holder is
 * replaced within about `ttlMs` and two replicas never both think they hold it for long.
 */
import { unchanged, type Store } from '../store/store.js';
import type { Clock } from '../util/clock.js';

export const LEASES = 'leases';

export class Lease {
  private observed: { seqNo: number; since: number } | undefined;
  private heldUntil = -Infinity;

  constructor(
    private readonly store: Store,
    readonly name: string,
    private readonly options: { replicaId: string; clock: Clock; ttlMs: number },
  ) {}

  /** Whether this replica held the lease at its last successful acquire or renewal. */
  held(): boolean {
    return this.options.clock.now() < this.heldUntil;
  }

  /** Takes or renews the lease when possible; resolves with whether this replica holds it now. */
  async acquire(): Promise<boolean> {
    const now = this.options.clock.now();
    const source = { holder: this.options.replicaId, renewed_at: now };
    const current = await this.store.get(LEASES, this.name);
    try {
      if (current === undefined) {
        await this.store.write([{ op: 'create', collection: LEASES, id: this.name, source }]);
      } else {
        const mine = current.source['holder'] === this.options.replicaId;
        if (!mine && !this.lapsed(current.seqNo, now)) return this.lost();
        await this.store.write([{ op: 'put', collection: LEASES, id: this.name, source, ifMatch: unchanged(current) }]);
      }
    } catch (error) {
      if ((error as { status?: number }).status === 409) return this.lost();
      throw error;
    }
    this.observed = undefined;
    this.heldUntil = now + this.options.ttlMs;
    return true;
  }

  /** Gives the lease up at shutdown, so another replica need not wait for it to lapse. */
  async release(): Promise<void> {
    const current = await this.store.get(LEASES, this.name);
    this.heldUntil = -Infinity;
    if (current?.source['holder'] !== this.options.replicaId) return;
    await this.store.write([{ op: 'delete', collection: LEASES, id: this.name, ifMatch: unchanged(current) }]).catch(() => undefined);
  }

  private lapsed(seqNo: number, now: number): boolean {
    if (this.observed?.seqNo !== seqNo) this.observed = { seqNo, since: now };
    return now - this.observed.since >= this.options.ttlMs;
  }

  private lost(): false {
    this.heldUntil = -Infinity;
    return false;
  }
}
