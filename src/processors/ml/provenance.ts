import { createHash } from 'node:crypto';
import type { IngestDocument } from '../../pipeline/ingest-document.js';
import { isJsonObject } from '../../util/json.js';
import type { TextSlot } from './field-map.js';
import type { PrepareDocument } from './inference-batch.js';

/** The root field that holds what the sidecar knows of a document's inference outputs. */
export const PROVENANCE_FIELD = 'ml_sidecar';

/** Where an output came from: the model and a digest of the texts it was computed from. */
export interface ProvenanceEntry {
  readonly field: string;
  readonly model_id: string;
  readonly input_sha256: string;
}

/** The digest of one output's inputs (the processor type too: a dense and a sparse output differ). */
export function inputDigest(type: string, texts: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify([type, texts])).digest('hex');
}

/** The entries a document source carries under `ml_sidecar.inference`. */
export function provenanceEntries(source: Record<string, unknown>): ProvenanceEntry[] {
  const holder = source[PROVENANCE_FIELD];
  const entries = isJsonObject(holder) ? holder['inference'] : undefined;
  if (!Array.isArray(entries)) return [];
  return entries.filter(
    (entry): entry is ProvenanceEntry =>
      isJsonObject(entry) &&
      typeof entry['field'] === 'string' &&
      typeof entry['model_id'] === 'string' &&
      typeof entry['input_sha256'] === 'string',
  );
}

/** Records (or replaces) the entry of `entry.field`, keeping the others. */
function recordProvenance(source: Record<string, unknown>, entry: ProvenanceEntry): void {
  const holder = isJsonObject(source[PROVENANCE_FIELD]) ? (source[PROVENANCE_FIELD] as Record<string, unknown>) : {};
  const others = provenanceEntries(source).filter((existing) => existing.field !== entry.field);
  source[PROVENANCE_FIELD] = { ...holder, inference: [...others, entry] };
}

/** The value at a dotted path (list elements by position), or undefined. */
function valueAt(source: Record<string, unknown>, path: string): unknown {
  let current: unknown = source;
  for (const segment of path.split('.')) {
    if (Array.isArray(current)) current = /^\d+$/.test(segment) ? current[Number(segment)] : undefined;
    else if (isJsonObject(current) && Object.hasOwn(current, segment)) current = current[segment];
    else return undefined;
  }
  return current;
}

const matches = (entry: ProvenanceEntry | undefined, modelId: string, digest: string): entry is ProvenanceEntry =>
  entry?.model_id === modelId && entry.input_sha256 === digest;

/**
 * `skip_existing` without a model call where none is needed: a slot whose output the document
 * carries with a matching entry (same model, same inputs) is left as it is; one whose output the
 * stored document (`storedSource`, read by a backfill rerun) holds with a matching entry gets that
 * output back; every other slot is inferred and its entry recorded beside the output. OpenSearch
 * compares the text alone (against the stored document), so a model change there keeps the old
 * vectors; here it re-embeds.
 */
export function reusingOutputs(prepare: PrepareDocument, type: string, modelId: string): PrepareDocument {
  return (document: IngestDocument) => {
    const source = document.sourceAndMetadata;
    const own = new Map(provenanceEntries(source).map((entry) => [entry.field, entry]));
    const stored = document.storedSource;
    const storedEntries = new Map((stored === undefined ? [] : provenanceEntries(stored)).map((entry) => [entry.field, entry]));
    return prepare(document).flatMap((slot): TextSlot[] => {
      const digest = inputDigest(type, slot.texts);
      if (matches(own.get(slot.field), modelId, digest) && slot.hasOutput()) return [];
      const storedEntry = storedEntries.get(slot.field);
      const storedOutput = stored === undefined ? undefined : valueAt(stored, slot.field);
      if (matches(storedEntry, modelId, digest) && storedOutput !== undefined) {
        slot.restore(structuredClone(storedOutput));
        recordProvenance(source, storedEntry);
        return [];
      }
      return [
        {
          ...slot,
          write: (results) => {
            slot.write(results);
            recordProvenance(source, { field: slot.field, model_id: modelId, input_sha256: digest });
          },
        },
      ];
    });
  };
}
