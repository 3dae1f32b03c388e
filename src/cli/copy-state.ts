/**
 * Copies an embedded store into another store (the cluster's), re-encrypting every credential
 * under the target's key. Idempotent: a record already in the target with the same content (its
 * credentials compared decrypted) is left alone and counted `unchanged`; one with other content is
 * kept as the target has it and reported `differing`, never overwritten. Creates are
 * `op_type=create`, so a concurrent writer cannot be clobbered either.
 */
import { isDeepStrictEqual } from 'node:util';
import type { CredentialCipher } from '../security/credential-cipher.js';
import { mapCredentials } from '../connectors/credential-fields.js';
import type { Store } from '../store/store.js';

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
  // Billable usage: one document per day, model and writer, so the standalone totals carry over.
  'usage',
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
      const plain = mapCredentials(record.source, (values, field) => options.sourceCipher.decryptMap(values, record.id, field));
      const existing = await options.target.get(collection, record.id);
      if (existing !== undefined) {
        const existingPlain = mapCredentials(existing.source, (values, field) => options.targetCipher.decryptMap(values, record.id, field));
        if (isDeepStrictEqual(existingPlain, plain)) entry.unchanged++;
        else entry.differing.push(record.id);
        continue;
      }
      const source = mapCredentials(plain, (values, field) => options.targetCipher.encryptMap(values, record.id, field));
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
