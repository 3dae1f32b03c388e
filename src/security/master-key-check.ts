/**
 * Replicas sharing a cluster store must share one master key. The store keeps a key check (an
 * HMAC of a fixed label, never the key): the first replica writes it, every later one compares,
 * and one started with another key refuses to start before it reads or writes anything else.
 */
import type { Store } from '../store/store.js';
import type { CredentialCipher } from './credential-cipher.js';

const COLLECTION = 'key-check';
const ID = 'master-key';

/** Thrown at start when this replica's key is not the one the state was written with. */
export class MasterKeyMismatchError extends Error {}

export async function assertMasterKeyMatchesStore(store: Store, cipher: CredentialCipher, now: number): Promise<'recorded' | 'matched'> {
  let record = await store.get(COLLECTION, ID);
  let outcome: 'recorded' | 'matched' = 'matched';
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
  if (record?.source['check'] !== cipher.keyCheck()) {
    throw new MasterKeyMismatchError(
      `MASTER_KEY is not the key the sidecar state in this cluster was written with (stored key id [${String(record?.source['key_id'])}], ` +
        `this replica's key id [${cipher.keyId}]). Start every replica with the same MASTER_KEY; this replica changed nothing.`,
    );
  }
  return outcome;
}
