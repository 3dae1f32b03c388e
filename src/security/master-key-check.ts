/**
 * Replicas sharing a cluster store must share one master key. The store keeps a key check (an
 * HMAC of a fixed label, never the key): the first replica writes it, every later one compares,
 * and one started with another key refuses to start before it reads or writes anything else.
 * During a rotation the stored check may still be the previous key's (a replica started with
 * `MASTER_KEY` = new and `MASTER_KEY_PREVIOUS` = old is welcome); when the rotation is done the
 * check moves to the new key, and from then on a replica with only the old key is refused.
 */
import { unchanged, type Store } from '../store/store.js';
import type { CredentialCipher } from './credential-cipher.js';

const COLLECTION = 'key-check';
const ID = 'master-key';

/** Thrown at start when this replica's key is not the one the state was written with. */
export class MasterKeyMismatchError extends Error {}

export type KeyCheckOutcome = 'recorded' | 'matched' | 'rotating';

export async function assertMasterKeyMatchesStore(store: Store, cipher: CredentialCipher, now: number): Promise<KeyCheckOutcome> {
  let record = await store.get(COLLECTION, ID);
  let outcome: KeyCheckOutcome | undefined;
  if (record === undefined) {
    try {
      await store.write([{ op: 'create', collection: COLLECTION, id: ID, source: { key_id: cipher.keyId, check: cipher.keyCheck(), created_at: now } }]);
      outcome = 'recorded';
    } catch (error) {
      // Another replica recorded its key first: compare with that one.
      if ((error as { status?: number }).status !== 409) throw error;
    }
    record = await store.get(COLLECTION, ID);
  }
  const storedId = String(record?.source['key_id']);
  const storedCheck = record?.source['check'];
  if (storedCheck === cipher.keyCheck()) return outcome ?? 'matched';
  if (storedCheck !== undefined && storedCheck === cipher.keyCheck(storedId)) return 'rotating';
  const rotating = cipher.keyIds.length > 1;
  throw new MasterKeyMismatchError(
    `MASTER_KEY is not the key the sidecar state in this cluster was written with (stored key id [${storedId}], ` +
      `this replica's key ids [${cipher.keyIds.join(', ')}]). ` +
      (rotating
        ? 'None of MASTER_KEY and MASTER_KEY_PREVIOUS is that key. '
        : 'Start every replica with the same MASTER_KEY (during a key rotation: the new key as MASTER_KEY and the old one as MASTER_KEY_PREVIOUS). ') +
      'This replica changed nothing.',
  );
}

/** Moves the stored key check to the current key once no credential needs the previous one. */
export async function recordCurrentKey(store: Store, cipher: CredentialCipher, now: number): Promise<void> {
  const record = await store.get(COLLECTION, ID);
  if (record?.source['check'] === cipher.keyCheck()) return;
  const source = { key_id: cipher.keyId, check: cipher.keyCheck(), created_at: now, replaced_key_id: record?.source['key_id'] };
  await store.write([
    record === undefined
      ? { op: 'create', collection: COLLECTION, id: ID, source }
      : { op: 'put', collection: COLLECTION, id: ID, source, ifMatch: unchanged(record) },
  ]);
}
