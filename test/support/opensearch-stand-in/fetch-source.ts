/**
 * Which part of `_source` a GET or `_mget` returns: the `_source`, `_source_includes` and
 * `_source_excludes` URL parameters (OpenSearch's `FetchSourceContext.parseFromRestRequest`),
 * an `_mget` item's own `_source` (which overrides them), and the rendering of a found or
 * missing document with its bookkeeping.
 */
import {
  applySourceFilter,
  parseSourceFilter,
  type SourceFilter,
} from '../../../src/query/index.js';
import { listParam } from './handler.js';
import type { IndexState, StoredDocument } from './indices.js';
import type { JsonObject } from './json.js';

/** What the URL asks for; undefined when it says nothing (the whole source). */
export function sourceFilterFromQuery(query: URLSearchParams): SourceFilter | undefined {
  const source = query.get('_source');
  let fetch: boolean | undefined;
  let includes = listParam(query.get('_source_includes') ?? undefined);
  const excludes = listParam(query.get('_source_excludes') ?? undefined);
  if (source === 'true' || source === '') fetch = true;
  else if (source === 'false') fetch = false;
  else if (source !== null && includes === undefined) includes = listParam(source);
  if (fetch === false) return parseSourceFilter(false);
  if (fetch === undefined && includes === undefined && excludes === undefined) return undefined;
  return parseSourceFilter({ includes: includes ?? [], excludes: excludes ?? [] });
}

/** A document as GET and `_mget` render it: found with bookkeeping and filtered source, or not. */
export function renderGet(
  index: IndexState,
  id: string,
  document: StoredDocument | undefined,
  filter: SourceFilter | undefined,
): JsonObject {
  if (document === undefined) return { _index: index.name, _id: id, found: false };
  const body: JsonObject = {
    _index: index.name,
    _id: id,
    _version: document.version,
    _seq_no: document.seqNo,
    _primary_term: document.primaryTerm,
    found: true,
  };
  const source =
    filter === undefined ? document.source : applySourceFilter(document.source, filter);
  if (source !== undefined) body['_source'] = structuredClone(source);
  return body;
}
