/**
 * The four document writes (index, create, update, delete) on one index, shared by the document
 * endpoints and `_bulk`: versions, sequence numbers, optimistic concurrency (`if_seq_no` /
 * `if_primary_term`), version conflicts, `doc_as_upsert`, noop detection, and vector checks.
 */
import type { UpdateRequest } from './document-bodies.js';
import { jsonEquals, mergeJson, type JsonObject } from './json.js';
import { randomId, type IndexState, type StoredDocument } from './indices.js';
import { documentMissing, validationFailed, versionConflict } from './responses.js';
import { checkDocumentMapping } from './document-mapping.js';
import { validateRankFeatures } from './rank-features.js';
import { validateDocumentVectors } from './vector-fields.js';

/** What a write did, before rendering. */
export interface WriteOutcome {
  readonly index: IndexState;
  readonly id: string;
  readonly version: number;
  readonly seqNo: number;
  readonly result: 'created' | 'updated' | 'deleted' | 'not_found' | 'noop';
  readonly status: number;
  readonly shards: { total: number; successful: number; failed: number };
}

/** Optimistic concurrency control of a write. */
export interface Concurrency {
  readonly ifSeqNo?: number;
  readonly ifPrimaryTerm?: number;
}

const PRIMARY_TERM = 1;
const MAX_ID_BYTES = 512;

/** OpenSearch's rendering of a write (`_index`, `_id`, `_version`, `result`, `_shards`...). */
export function renderWrite(outcome: WriteOutcome): JsonObject {
  return {
    _index: outcome.index.name,
    _id: outcome.id,
    _version: outcome.version,
    result: outcome.result,
    _shards: outcome.shards,
    _seq_no: outcome.seqNo,
    _primary_term: PRIMARY_TERM,
  };
}

function checkId(id: string): void {
  const bytes = Buffer.byteLength(id);
  if (bytes > MAX_ID_BYTES) {
    throw validationFailed([
      `id [${id}] is too long, must be no longer than 512 bytes but was: ${bytes}`,
    ]);
  }
}

function checkConcurrency(
  index: IndexState,
  id: string,
  current: StoredDocument | undefined,
  options: Concurrency,
): void {
  const { ifSeqNo, ifPrimaryTerm } = options;
  if (ifSeqNo === undefined && ifPrimaryTerm === undefined) return;
  const required = `required seqNo [${ifSeqNo ?? -2}], primary term [${ifPrimaryTerm ?? 0}]`;
  if (current === undefined) {
    throw versionConflict(
      index,
      `[${id}]: version conflict, ${required}. but no document was found`,
    );
  }
  if (current.seqNo !== ifSeqNo || current.primaryTerm !== ifPrimaryTerm) {
    throw versionConflict(
      index,
      `[${id}]: version conflict, ${required}. current document has seqNo [${current.seqNo}] and primary term [${current.primaryTerm}]`,
    );
  }
}

function store(
  index: IndexState,
  id: string,
  source: JsonObject,
  current: StoredDocument | undefined,
): WriteOutcome {
  checkDocumentMapping(index.mappings, source);
  validateDocumentVectors(index.mappings, id, source);
  validateRankFeatures(index.mappings, id, source);
  const version = (current?.version ?? index.tombstones.get(id) ?? 0) + 1;
  const seqNo = index.takeSeqNo();
  index.live.set(id, {
    collection: index.name,
    id,
    version,
    seqNo,
    primaryTerm: PRIMARY_TERM,
    source,
  });
  index.tombstones.delete(id);
  const created = current === undefined;
  return {
    index,
    id,
    version,
    seqNo,
    result: created ? 'created' : 'updated',
    status: created ? 201 : 200,
    shards: index.writeShards(),
  };
}

/** Indexes (or, with `create`, only creates) a document; `id` undefined means an auto id. */
export function indexDocument(
  index: IndexState,
  id: string | undefined,
  source: JsonObject,
  options: Concurrency & { readonly create: boolean },
): WriteOutcome {
  const documentId = id ?? randomId();
  checkId(documentId);
  const current = index.live.get(documentId);
  if (options.create && current !== undefined) {
    throw versionConflict(
      index,
      `[${documentId}]: version conflict, document already exists (current version [${current.version}])`,
    );
  }
  checkConcurrency(index, documentId, current, options);
  return store(index, documentId, structuredClone(source), current);
}

/** Applies a partial update (`doc`), upserting when asked; unchanged documents are a `noop`. */
export function updateDocument(
  index: IndexState,
  id: string,
  request: UpdateRequest,
  options: Concurrency = {},
): WriteOutcome {
  checkId(id);
  const current = index.live.get(id);
  // An update reads the document first: a missing one is a 404 even with `if_seq_no`.
  if (current === undefined) {
    const created = request.docAsUpsert ? request.doc : request.upsert;
    if (created === undefined) throw documentMissing(index, id);
    return store(index, id, structuredClone(created), undefined);
  }
  checkConcurrency(index, id, current, options);
  const merged = mergeJson(current.source, structuredClone(request.doc ?? {}));
  if (request.detectNoop && jsonEquals(merged, current.source)) {
    return {
      index,
      id,
      version: current.version,
      seqNo: current.seqNo,
      result: 'noop',
      status: 200,
      shards: { total: 0, successful: 0, failed: 0 },
    };
  }
  return store(index, id, merged, current);
}

/** Deletes a document; a missing one is `not_found` (404) but still takes a sequence number. */
export function deleteDocument(
  index: IndexState,
  id: string,
  options: Concurrency = {},
): WriteOutcome {
  checkId(id);
  const current = index.live.get(id);
  checkConcurrency(index, id, current, options);
  const version = (current?.version ?? index.tombstones.get(id) ?? 0) + 1;
  const seqNo = index.takeSeqNo();
  index.live.delete(id);
  index.tombstones.set(id, version);
  return {
    index,
    id,
    version,
    seqNo,
    result: current === undefined ? 'not_found' : 'deleted',
    status: current === undefined ? 404 : 200,
    shards: index.writeShards(),
  };
}
