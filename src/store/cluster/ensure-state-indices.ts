/**
 * Creates the state indices at start, as ML Commons' `MLIndicesHandler` does for its own: create;
 * "already exists" is success; an index whose `_meta.schema_version` is older than the bundled
 * mapping gets the bundled mapping put (changes are additive only, so this never fails on data).
 */
import { isJsonObject } from '../../util/json.js';
import { clusterReason, stateCallFailed } from './cluster-errors.js';
import type { StateCalls } from './state-calls.js';
import type { StateLayout } from './state-documents.js';
import { STATE_INDEX_KINDS, STATE_INDEX_MAPPING, STATE_INDEX_SETTINGS, STATE_SCHEMA_VERSION } from './state-indices.js';

export type IndexOutcome = 'created' | 'exists' | 'mapping-updated';

export async function ensureStateIndices(calls: StateCalls, layout: StateLayout): Promise<Record<string, IndexOutcome>> {
  const outcomes: Record<string, IndexOutcome> = {};
  for (const kind of STATE_INDEX_KINDS) {
    const index = layout.indexName(kind);
    outcomes[index] = await ensureIndex(calls, index);
  }
  return outcomes;
}

async function ensureIndex(calls: StateCalls, index: string): Promise<IndexOutcome> {
  const created = await calls.send({
    method: 'PUT',
    path: `/${encodeURIComponent(index)}`,
    body: { settings: STATE_INDEX_SETTINGS, mappings: STATE_INDEX_MAPPING },
  });
  if (created.status >= 200 && created.status < 300) return 'created';
  // An account without `indices:admin/create` may still use indices an administrator made.
  const exists = errorType(created.body) === 'resource_already_exists_exception' || created.status === 403;
  if (!exists) throw stateCallFailed(calls.displayUrl, created, `create index [${index}]`);
  const mapping = await calls.send({ method: 'GET', path: `/${encodeURIComponent(index)}/_mapping` });
  if (mapping.status !== 200) {
    const failed = created.status === 403 ? created : mapping;
    throw stateCallFailed(calls.displayUrl, failed, `read the mapping of index [${index}] (${clusterReason(failed)})`);
  }
  if (schemaVersion(mapping.body, index) >= STATE_SCHEMA_VERSION) return 'exists';
  await calls.expect({ method: 'PUT', path: `/${encodeURIComponent(index)}/_mapping`, body: STATE_INDEX_MAPPING }, `update the mapping of index [${index}]`);
  return 'mapping-updated';
}

function errorType(body: unknown): unknown {
  return isJsonObject(body) && isJsonObject(body['error']) ? body['error']['type'] : undefined;
}

/** `_meta.schema_version` of the index's mapping; 0 when it has none. */
function schemaVersion(body: unknown, index: string): number {
  const entry = isJsonObject(body) ? (body[index] ?? Object.values(body)[0]) : undefined;
  const mappings = isJsonObject(entry) ? entry['mappings'] : undefined;
  const meta = isJsonObject(mappings) ? mappings['_meta'] : undefined;
  const version = isJsonObject(meta) ? Number(meta['schema_version']) : 0;
  return Number.isFinite(version) ? version : 0;
}
