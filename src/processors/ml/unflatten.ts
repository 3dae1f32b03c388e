import { illegalArgument } from '../../errors/opensearch-error.js';
import type { IngestDocument } from '../../pipeline/ingest-document.js';
import { isJsonObject } from '../../util/json.js';
import { isBlank } from './field-map.js';
import { ownValue, setOwn } from './own-properties.js';

/**
 * Rewrites flattened keys (`{"a.b": "x"}` → `{"a": {"b": "x"}}`) everywhere in the document, as
 * neural-search's inference processors do before reading `field_map`
 * (InferenceProcessor.preprocessIngestDocument → ProcessorDocumentUtils.unflattenJson), so both
 * spellings of a nested field are found. Documents without such keys are left untouched.
 */
export function unflattenDocument(document: IngestDocument): void {
  const root = document.sourceAndMetadata;
  if (!needsUnflattening(root)) return;
  const unflattened = unflattenObject(root);
  for (const key of Object.keys(root)) delete root[key];
  for (const [key, value] of Object.entries(unflattened)) setOwn(root, key, value);
}

function needsUnflattening(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(needsUnflattening);
  if (!isJsonObject(value)) return false;
  return Object.entries(value).some(
    ([key, child]) => key.includes('.') || isBlank(key) || needsUnflattening(child),
  );
}

function unflattenValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unflattenValue);
  return isJsonObject(value) ? unflattenObject(value) : value;
}

function unflattenObject(object: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(object)) {
    // ProcessorDocumentUtils.unflattenSingleItem's messages.
    if (isBlank(key)) throw illegalArgument('Field name cannot be null or empty');
    const parts = key.split('.');
    if (parts.some(isBlank))
      throw illegalArgument(`Field name '${key}' contains invalid dot usage`);
    let container = result;
    for (const part of parts.slice(0, -1)) {
      const next = ownValue(container, part);
      if (isJsonObject(next)) {
        container = next;
      } else {
        const created: Record<string, unknown> = {};
        setOwn(container, part, created);
        container = created;
      }
    }
    const last = parts.at(-1)!;
    const value = unflattenValue(child);
    const existing = ownValue(container, last);
    // `{"a": {"b": 1}, "a.c": 2}` keeps both: objects reached by two spellings are merged.
    setOwn(
      container,
      last,
      isJsonObject(existing) && isJsonObject(value) ? mergeObjects(existing, value) : value,
    );
  }
  return result;
}

function mergeObjects(
  target: Record<string, unknown>,
  addition: Record<string, unknown>,
): Record<string, unknown> {
  for (const [key, value] of Object.entries(addition)) {
    const existing = ownValue(target, key);
    setOwn(
      target,
      key,
      isJsonObject(existing) && isJsonObject(value) ? mergeObjects(existing, value) : value,
    );
  }
  return target;
}
