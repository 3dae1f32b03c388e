/**
 * `POST|PUT /_bulk` and `/{index}/_bulk`. The body is parsed first, as OpenSearch's
 * BulkRequestParser parses it: a malformed action line, an update body that is not JSON or a
 * missing index or id fails the whole request with a 400. Then each item runs on its own; a
 * failed item (missing pipeline, version conflict, document that does not parse) carries its
 * `status` and `error` and sets `errors`, the others still apply. A busy cluster (`WritePressure`)
 * turns the whole bulk away, or fails the items of a full shard with a 429 each.
 */
import type { AccessCheck } from './authorization.js';
import type { Handler } from './handler.js';
import { validateIndexName, type IndexState } from './indices.js';
import { checkIngestPipelines } from './ingest.js';
import { isJsonObject, parseJson, tokenName, type JsonObject } from './json.js';
import { splitNdjson, type NdjsonLine } from './ndjson.js';
import { applyRefresh, parseRefresh } from './refresh-policy.js';
import {
  bodyRequired,
  illegalArgument,
  jsonReply,
  OpenSearchFailure,
  validationFailed,
} from './responses.js';
import type { ClusterState } from './cluster-state.js';
import { concurrencyOf, concurrencyProblems } from './concurrency.js';
import { parseDocumentSource, parseUpdateBody, type UpdateRequest } from './document-bodies.js';
import { writeQueueFull } from './write-pressure.js';
import {
  deleteDocument,
  indexDocument,
  renderWrite,
  updateDocument,
  type Concurrency,
  type WriteOutcome,
} from './writes.js';

type BulkAction = 'index' | 'create' | 'update' | 'delete';

interface BulkItem {
  readonly action: BulkAction;
  readonly index: string | undefined;
  readonly id: string | undefined;
  readonly pipeline: string | undefined;
  readonly opType: string | undefined;
  readonly concurrency: Concurrency;
  readonly source?: string;
  readonly update?: UpdateRequest;
}

const ACTIONS: ReadonlySet<string> = new Set<BulkAction>(['index', 'create', 'update', 'delete']);
const isAction = (name: string): name is BulkAction => ACTIONS.has(name);
const METADATA = new Set([
  '_index',
  '_id',
  'routing',
  'op_type',
  'version',
  'version_type',
  'if_seq_no',
  'if_primary_term',
  'retry_on_conflict',
  'pipeline',
  '_source',
  'require_alias',
]);

function readMetadata(raw: unknown, line: number): JsonObject {
  if (!isJsonObject(raw)) {
    throw illegalArgument(
      `Malformed action/metadata line [${line}], expected START_OBJECT or END_OBJECT but found [${tokenName(raw)}]`,
    );
  }
  for (const [key, value] of Object.entries(raw)) {
    if (!METADATA.has(key))
      throw illegalArgument(
        `Action/metadata line [${line}] contains an unknown parameter [${key}]`,
      );
    if (Array.isArray(value) || (isJsonObject(value) && key !== '_source')) {
      throw illegalArgument(
        `Malformed action/metadata line [${line}], expected a simple value for field [${key}] but found [${tokenName(value)}]`,
      );
    }
  }
  return raw;
}

const text = (value: unknown): string | undefined =>
  value === undefined || value === null ? undefined : String(value);
const integer = (value: unknown): number | undefined =>
  typeof value === 'number' ? value : undefined;

function parseItems(
  lines: readonly NdjsonLine[],
  defaultIndex: string | undefined,
  defaultPipeline: string | undefined,
): BulkItem[] {
  const items: BulkItem[] = [];
  for (let at = 0; at < lines.length; at += 1) {
    const line = lines[at];
    if (line === undefined || line.text.trim() === '') continue;
    const parsed = parseJson(line.text);
    if (!isJsonObject(parsed)) {
      throw illegalArgument(
        `Malformed action/metadata line [${line.number}], expected START_OBJECT but found [${tokenName(parsed)}]`,
      );
    }
    const [action] = Object.keys(parsed);
    if (action === undefined) {
      throw illegalArgument(
        `Malformed action/metadata line [${line.number}], expected FIELD_NAME but found [END_OBJECT]`,
      );
    }
    if (!isAction(action)) {
      throw illegalArgument(
        `Malformed action/metadata line [${line.number}], expected field [create], [delete], [index] or [update] but found [${action}]`,
      );
    }
    const metadata = readMetadata(parsed[action], line.number);
    const ifSeqNo = integer(metadata['if_seq_no']);
    const ifPrimaryTerm = integer(metadata['if_primary_term']);
    const item: BulkItem = {
      action,
      index: text(metadata['_index']) ?? defaultIndex,
      id: text(metadata['_id']),
      pipeline: text(metadata['pipeline']) ?? defaultPipeline,
      opType: text(metadata['op_type']),
      concurrency: concurrencyOf(ifSeqNo, ifPrimaryTerm),
    };
    if (action === 'delete') {
      items.push(item);
      continue;
    }
    const sourceLine = lines[at + 1];
    // OpenSearch drops a final action that has no source line after it.
    if (sourceLine === undefined) break;
    at += 1;
    items.push(
      action === 'update'
        ? { ...item, update: parseUpdateBody(parseJson(sourceLine.text)) }
        : { ...item, source: sourceLine.text },
    );
  }
  return items;
}

function validate(items: readonly BulkItem[]): void {
  if (items.length === 0) throw validationFailed(['no requests added']);
  const problems: string[] = [];
  for (const item of items) {
    if (item.index === undefined) problems.push('index is missing');
    if (item.id === undefined && (item.action === 'update' || item.action === 'delete'))
      problems.push('id is missing');
    const create = item.action === 'create' || item.opType === 'create';
    problems.push(...concurrencyProblems(item.concurrency, create));
  }
  if (problems.length > 0) throw validationFailed(problems);
}

function execute(cluster: ClusterState, item: BulkItem, name: string): WriteOutcome {
  validateIndexName(name);
  switch (item.action) {
    case 'index':
    case 'create': {
      const source = parseDocumentSource(item.source ?? '');
      checkIngestPipelines(cluster.indices.get(name), item.pipeline);
      const create = item.action === 'create' || item.opType === 'create';
      return indexDocument(cluster.indices.getOrCreate(name), item.id, source, {
        ...item.concurrency,
        create,
      });
    }
    case 'update':
      return updateDocument(
        cluster.indices.getOrCreate(name),
        item.id ?? '',
        item.update ?? { docAsUpsert: false, detectNoop: true },
        item.concurrency,
      );
    case 'delete':
      // A delete never auto-creates its index: on a missing one the item is a 404.
      return deleteDocument(cluster.indices.requireConcrete(name), item.id ?? '', item.concurrency);
  }
}

const ITEM_ACTIONS: Record<BulkAction, string> = {
  index: 'indices:data/write/index',
  create: 'indices:data/write/index',
  update: 'indices:data/write/update',
  delete: 'indices:data/write/delete',
};

/**
 * Per index, the 403 its items fail with, if any: auto-creating a missing index needs
 * `indices:admin/create`, and the shard request (one per index here) needs
 * `indices:data/write/bulk[s]` plus the actions of its items. Other indices' items still run.
 */
function deniedIndices(
  cluster: ClusterState,
  access: AccessCheck,
  items: readonly BulkItem[],
): Map<string, OpenSearchFailure> {
  const byIndex = new Map<string, BulkItem[]>();
  for (const item of items) {
    const name = item.index ?? '';
    byIndex.set(name, [...(byIndex.get(name) ?? []), item]);
  }
  const denied = new Map<string, OpenSearchFailure>();
  for (const [name, group] of byIndex) {
    try {
      const exists = cluster.indices.get(name) !== undefined;
      // Deletes alone never create the index: on a missing one they fail with a 404 instead.
      if (!exists && group.every((item) => item.action === 'delete')) continue;
      if (!exists) access.requireIndex(['indices:admin/create'], [name]);
      const actions = [...new Set(group.map((item) => ITEM_ACTIONS[item.action]))];
      access.requireIndex([...actions, 'indices:data/write/bulk[s]'], [name]);
    } catch (error) {
      if (!(error instanceof OpenSearchFailure)) throw error;
      denied.set(name, error);
    }
  }
  return denied;
}

/** `POST|PUT /_bulk`, `/{index}/_bulk`. */
export const bulk: Handler = ({ request, params, cluster, access }) => {
  const started = performance.now();
  const refresh = parseRefresh(request.query);
  if (request.body === '') throw bodyRequired();
  const lines = splitNdjson(request.body, 'bulk');
  const items = parseItems(lines, params['index'], request.query.get('pipeline') ?? undefined);
  validate(items);
  // Indexing pressure is checked once the request is parsed, before any item runs.
  const busy = cluster.writePressure.takeBulkRejection(Buffer.byteLength(request.body));
  if (busy !== undefined) return { ...busy.failure.toReply(), headers: busy.headers };
  const fullShards = cluster.writePressure.takeShardRejections(new Set(items.map((item) => item.index ?? '')));
  const touched = new Set<IndexState>();
  const outcomes: Array<
    { action: BulkAction; outcome: WriteOutcome } | { action: BulkAction; failed: JsonObject }
  > = [];
  const denied = deniedIndices(cluster, access, items);
  for (const item of items) {
    const name = item.index ?? '';
    if (fullShards.has(name)) {
      const error = writeQueueFull(cluster.identity.nodeName);
      outcomes.push({ action: item.action, failed: { _index: name, _id: item.id ?? null, status: 429, error } });
      continue;
    }
    try {
      const refusal = denied.get(name);
      if (refusal !== undefined) throw refusal;
      const outcome = execute(cluster, item, name);
      touched.add(outcome.index);
      outcomes.push({ action: item.action, outcome });
    } catch (error) {
      if (!(error instanceof OpenSearchFailure)) throw error;
      outcomes.push({
        action: item.action,
        failed: { _index: name, _id: item.id ?? null, status: error.status, error: error.detail },
      });
    }
  }
  const forced = applyRefresh(refresh, touched);
  const rendered = outcomes.map((entry) => {
    if ('failed' in entry) return { [entry.action]: entry.failed };
    const body: JsonObject = { ...renderWrite(entry.outcome), status: entry.outcome.status };
    if (forced) body['forced_refresh'] = true;
    return { [entry.action]: body };
  });
  return jsonReply(200, {
    took: Math.round(performance.now() - started),
    errors: outcomes.some((entry) => 'failed' in entry),
    items: rendered,
  });
};
