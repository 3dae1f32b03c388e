/**
 * Re-encrypting every stored credential under the current master key, after a replica started
 * with a new `MASTER_KEY` and the old one as `MASTER_KEY_PREVIOUS`. It runs as a background duty
 * (on the replica holding the duties lease), a batch at a time: each record is rewritten
 * conditionally on what was read, so it never undoes a concurrent change, and since rewritten
 * records name the current key, a rotation that is interrupted resumes where it stopped. With
 * several replicas it waits until every live replica can read the new key. A value no key can read
 * (a wrong or missing previous key) stops nothing else: the record is named in the log and in the
 * status, and everything readable is rotated. When nothing needs the previous key any more, the
 * cluster's key check moves to the new key and the status says the previous key may go.
 */
import { CONNECTOR_INDEX } from '../connectors/connector-record.js';
import { credentialValues, mapCredentials } from '../connectors/credential-fields.js';
import type { Duty } from '../replicas/background-duties.js';
import type { CredentialCipher } from '../security/credential-cipher.js';
import { recordCurrentKey } from '../security/master-key-check.js';
import { unchanged, type Store, type StoredRecord } from '../store/store.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { MODEL_INDEX } from './model-record.js';

/** Where rotation progress is kept, so every replica's health can show it. */
const STATUS_COLLECTION = 'key-check';
const STATUS_ID = 'rotation';
const HOLDING_COLLECTIONS = [CONNECTOR_INDEX, MODEL_INDEX] as const;

/** A record as read, and its source with every credential value under the current key. */
export interface Rotated {
  readonly record: StoredRecord;
  readonly source: StoredRecord['source'];
}

export interface KeyRotationStatus {
  /** `checking` until the first scan; `waiting_for_replicas` while a live replica cannot read the new key. */
  state: 'checking' | 'waiting_for_replicas' | 'rotating' | 'done' | 'blocked';
  current_key_id: string;
  previous_key_ids: string[];
  /** Records still holding values of another key (readable ones). */
  records_to_reencrypt: number;
  /** Records rewritten by this replica since it started. */
  reencrypted: number;
  /** Records holding a value no configured key can read. */
  unreadable: Array<{ collection: string; id: string }>;
  /** False once no stored value needs a previous key: `MASTER_KEY_PREVIOUS` can be removed. */
  previous_key_needed: boolean;
  updated_at: number;
}

export interface MasterKeyRotationDeps {
  readonly store: Store;
  readonly cipher: CredentialCipher;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The key ids each live replica can read (cluster store); undefined: this replica is alone. */
  readonly liveReplicaKeyIds?: () => ReadonlyArray<readonly string[]>;
  /** Records rewritten per round (a round ends early when nothing is left). */
  readonly batchSize?: number;
}

export class MasterKeyRotation {
  private current: KeyRotationStatus;
  private readonly reported = new Set<string>();

  constructor(private readonly deps: MasterKeyRotationDeps) {
    const previous = deps.cipher.keyIds.slice(1);
    this.current = {
      state: 'checking',
      current_key_id: deps.cipher.keyId,
      previous_key_ids: previous,
      records_to_reencrypt: 0,
      reencrypted: 0,
      unreadable: [],
      previous_key_needed: previous.length > 0,
      updated_at: deps.clock.now(),
    };
  }

  /** This replica's view; on a replica not running the duty, the one the runner stored. */
  async status(): Promise<KeyRotationStatus> {
    if (this.current.state !== 'checking') return this.current;
    const stored = await this.deps.store.get<KeyRotationStatus & Record<string, unknown>>(STATUS_COLLECTION, STATUS_ID).catch(() => undefined);
    return stored?.source.current_key_id === this.current.current_key_id ? stored.source : this.current;
  }

  duty(): Duty {
    return { name: 'master-key-rotation', everyMs: 0, run: () => this.runRound() };
  }

  /** One round: rewrites up to a batch of records; when nothing is left, records the new key. */
  async runRound(): Promise<Record<string, number>> {
    if (this.current.state === 'done') return { reencrypted: 0 };
    const waiting = this.replicasMissingKey();
    if (waiting > 0) {
      this.update({ state: 'waiting_for_replicas' });
      this.deps.logger.info({ replicas_without_key: waiting, key_id: this.deps.cipher.keyId }, 'master key rotation waits for every replica to hold the new key');
      return { reencrypted: 0 };
    }
    const { stale, unreadable } = await planRotation(this.deps.store, this.deps.cipher);
    let rewritten = 0;
    for (const rotated of stale.slice(0, this.deps.batchSize ?? 100)) {
      if (await this.rewrite(rotated)) rewritten++;
    }
    const remaining = stale.length - rewritten;
    this.reportUnreadable(unreadable);
    const finished = remaining === 0;
    if (finished && unreadable.length === 0) await recordCurrentKey(this.deps.store, this.deps.cipher, this.deps.clock.now());
    const state: KeyRotationStatus['state'] = !finished ? 'rotating' : unreadable.length > 0 ? 'blocked' : 'done';
    this.update({
      state,
      records_to_reencrypt: remaining,
      reencrypted: this.current.reencrypted + rewritten,
      unreadable,
      previous_key_needed: !finished || unreadable.length > 0,
    });
    if (rewritten > 0 || finished) {
      this.deps.logger.info(
        { reencrypted: rewritten, remaining, unreadable: unreadable.length, key_id: this.deps.cipher.keyId, state: this.current.state },
        finished && unreadable.length === 0 ? 'master key rotation done: the previous key is no longer needed' : 'master key rotation progress',
      );
    }
    // Nothing to tell other replicas when there was never anything to rotate.
    const eventful = state !== 'done' || this.current.previous_key_ids.length > 0 || this.current.reencrypted > 0;
    if (eventful) {
      await this.deps.store
        .write([{ op: 'put', collection: STATUS_COLLECTION, id: STATUS_ID, source: { ...this.current } }])
        .catch(() => undefined);
    }
    return { reencrypted: rewritten };
  }

  private replicasMissingKey(): number {
    const replicas = this.deps.liveReplicaKeyIds?.() ?? [];
    return replicas.filter((keyIds) => !keyIds.includes(this.deps.cipher.keyId)).length;
  }

  /** Rewrites one record unless it changed since it was read (then the next round sees it again). */
  private async rewrite({ record, source }: Rotated): Promise<boolean> {
    try {
      await this.deps.store.write([{ op: 'put', collection: record.collection, id: record.id, source, ifMatch: unchanged(record) }]);
      return true;
    } catch (error) {
      if ((error as { status?: number }).status === 409) return false;
      throw error;
    }
  }

  private reportUnreadable(unreadable: ReadonlyArray<{ collection: string; id: string }>): void {
    const fresh = unreadable.filter((record) => !this.reported.has(`${record.collection}/${record.id}`));
    if (fresh.length === 0) return;
    for (const record of fresh) this.reported.add(`${record.collection}/${record.id}`);
    this.deps.logger.error(
      { records: fresh.map((record) => `${record.collection}/${record.id}`), key_ids: this.deps.cipher.keyIds },
      'master key rotation cannot read these records with MASTER_KEY or MASTER_KEY_PREVIOUS; everything else is rotated. Set MASTER_KEY_PREVIOUS to the key they were written with, or give them new credentials',
    );
  }

  private update(change: Partial<KeyRotationStatus>): void {
    this.current = { ...this.current, ...change, updated_at: this.deps.clock.now() };
  }
}


/**
 * The records holding values of another key than the cipher's current one, each with its values
 * re-encrypted under the current key, and those holding a value no key of the cipher can read.
 */
export async function planRotation(
  store: Store,
  cipher: CredentialCipher,
): Promise<{ stale: Rotated[]; unreadable: Array<{ collection: string; id: string }> }> {
  const stale: Rotated[] = [];
  const unreadable: Array<{ collection: string; id: string }> = [];
  for (const collection of HOLDING_COLLECTIONS) {
    for (const record of await store.list(collection)) {
      if (!credentialValues(record.source).some((value) => cipher.isStale(value))) continue;
      try {
        const source = mapCredentials(record.source, (values, field) => cipher.encryptMap(cipher.decryptMap(values, record.id, field), record.id, field));
        stale.push({ record, source });
      } catch {
        unreadable.push({ collection, id: record.id });
      }
    }
  }
  return { stale, unreadable };
}
