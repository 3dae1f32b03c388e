/**
 * Copies an embedded store into another store (the cluster's), re-encrypting every credential
 * under the target's key. Idempotent: a record already in the target with the same content (its
 * credentials compared decrypted) is left alone and counted `unchanged`; one with other content is
 * kept as the target has it and reported `differing`, never overwritten. Creates are
 * `op_type=create`, so a concurrent writer cannot be clobbered either.
 */
import { isDeepStrictEqual } from 'node:util';
import type { CredentialCipher } from '../security/credential-cipher.js';
import type { JsonObject, Store } from '../store/store.js';
import { isJsonObject } from '../util/json.js';

/** What is copied, in an order that keeps every prefix consistent (groups before their models). */
export const COPIED_COLLECTIONS = [
  'settings',
  '.plugins-ml-connector',
  'model-group-names',
  '.plugins-ml-model-group',
  '.plugins-ml-model',
  '.plugins-ml-task',
  'ingest-pipelines',
  'search-pipelines',
  '.plugins-ml-memory-meta',
  '.plugins-ml-memory-message',
] as const;

/** Embedded-store records that describe the embedded node itself, not shared state. */
const NOT_COPIED: ReadonlyArray<readonly [string, string]> = [['settings', 'cluster']];

export interface CollectionReport {
  copied: number;
  unchanged: number;
  /** Ids present in the target with other content (kept as they are there). */
  differing: string[];
}

export async function copyState(options: {
  source: Store;
  sourceCipher: CredentialCipher;
  target: Store;
  targetCipher: CredentialCipher;
}): Promise<Record<string, CollectionReport>> {
  const report: Record<string, CollectionReport> = {};
  for (const collection of COPIED_COLLECTIONS) {
    const entry: CollectionReport = { copied: 0, unchanged: 0, differing: [] };
    report[collection] = entry;
    for (const record of await options.source.list(collection)) {
      if (NOT_COPIED.some(([c, id]) => c === collection && id === record.id)) continue;
      const plain = withCredentials(record.source, record.id, (value, aad) => options.sourceCipher.decrypt(value, aad));
      const existing = await options.target.get(collection, record.id);
      if (existing !== undefined) {
        const existingPlain = withCredentials(existing.source, record.id, (value, aad) => options.targetCipher.decrypt(value, aad));
        if (isDeepStrictEqual(existingPlain, plain)) entry.unchanged++;
        else entry.differing.push(record.id);
        continue;
      }
      const source = withCredentials(plain, record.id, (value, aad) => options.targetCipher.encrypt(value, aad));
      try {
        await options.target.write([{ op: 'create', collection, id: record.id, source }]);
        entry.copied++;
      } catch (error) {
        if ((error as { status?: number }).status !== 409) throw error;
        entry.differing.push(record.id);
      }
    }
  }
  return report;
}

/**
 * The record with every credential value transformed: a connector's `credential`, a model's
 * inline `connector.credential` (both encrypted under the record id, per key).
 */
function withCredentials(source: JsonObject, recordId: string, transform: (value: string, associatedData: string) => string): JsonObject {
  const mapCredential = (credential: unknown): unknown =>
    isJsonObject(credential)
      ? Object.fromEntries(Object.entries(credential).map(([key, value]) => [key, typeof value === 'string' ? transform(value, `${recordId}/${key}`) : value]))
      : credential;
  let result = source;
  if (isJsonObject(result['credential'])) result = { ...result, credential: mapCredential(result['credential']) };
  if (isJsonObject(result['connector']) && isJsonObject(result['connector']['credential'])) {
    result = { ...result, connector: { ...result['connector'], credential: mapCredential(result['connector']['credential']) } };
  }
  return result;
}
