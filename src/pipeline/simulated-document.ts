import type { IngestDocument } from './ingest-document.js';

/** A document as `_simulate` shows it. */
export interface SimulatedDocument {
  _index: unknown;
  _id: unknown;
  _routing?: unknown;
  _source: Record<string, unknown>;
  _ingest: Record<string, unknown>;
}

/** Snapshot of a document in OpenSearch's simulate shape (a deep copy, safe to keep). */
export function simulatedDocument(document: IngestDocument, pipelineId?: string): SimulatedDocument {
  const routing = document.metadata('_routing');
  const ingest: Record<string, unknown> = {};
  if (pipelineId !== undefined) ingest['pipeline'] = pipelineId;
  ingest['timestamp'] = document.ingestMetadata['timestamp'];
  return structuredClone({
    _index: document.metadata('_index'),
    _id: document.metadata('_id'),
    ...(routing === undefined ? {} : { _routing: routing }),
    _source: document.source(),
    _ingest: ingest,
  });
}
