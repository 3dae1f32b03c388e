/**
 * Single-document endpoints: `PUT|POST /{index}/_doc[/{id}]`, `PUT|POST /{index}/_create/{id}`,
 * `POST /{index}/_update/{id}`, `GET|HEAD|DELETE /{index}/_doc/{id}`, `GET /{index}/_source/{id}`
 * and `_refresh`. Writes auto-create a missing index (ingest pipelines are checked first, as
 * OpenSearch runs them before creating the index); reads are realtime, as OpenSearch's GET is.
 */
import {
  booleanParam,
  indicesOptions,
  integerParam,
  type Handler,
  type HandlerContext,
} from './handler.js';
import { validateIndexName } from './indices.js';
import { checkIngestPipelines } from './ingest.js';
import { parseRequiredBody, type JsonObject } from './json.js';
import { applyRefresh, parseRefresh } from './refresh-policy.js';
import {
  bodyRequired,
  illegalArgument,
  jsonReply,
  OpenSearchFailure,
  validationFailed,
  type Reply,
} from './responses.js';
import { renderGet, sourceFilterFromQuery } from './fetch-source.js';
import { concurrencyOf, concurrencyProblems } from './concurrency.js';
import { parseDocumentSource, parseUpdateBody, type UpdateRequest } from './document-bodies.js';
import {
  deleteDocument,
  indexDocument,
  renderWrite,
  updateDocument,
  type Concurrency,
  type WriteOutcome,
} from './writes.js';

const param = (context: HandlerContext, name: string): string => context.params[name] ?? '';

/** Reads `if_seq_no` / `if_primary_term`; the request's validation refuses a bad pair. */
function concurrencyParams(
  query: URLSearchParams,
  extraProblems: readonly string[] = [],
): Concurrency {
  const concurrency = concurrencyOf(
    integerParam(query, 'if_seq_no'),
    integerParam(query, 'if_primary_term'),
  );
  const problems = [...extraProblems, ...concurrencyProblems(concurrency, false)];
  if (problems.length > 0) throw validationFailed(problems);
  return concurrency;
}

function writeReply(context: HandlerContext, outcome: WriteOutcome): Reply {
  const forced = applyRefresh(parseRefresh(context.request.query), [outcome.index]);
  const body: JsonObject = renderWrite(outcome);
  if (forced) body['forced_refresh'] = true;
  return jsonReply(outcome.status, body);
}

/**
 * What a single write checks after its own action, as the plugin sees the transport actions it
 * spawns: auto-creating a missing index (`indices:admin/create`), then the shard-level bulk.
 */
function authorizeWrite(context: HandlerContext, name: string, action: string): void {
  const { access, cluster } = context;
  const autoCreates = cluster.indices.get(name) === undefined;
  if (autoCreates) access.requireIndex(['indices:admin/create'], [name]);
  access.requireIndex([action, 'indices:data/write/bulk[s]'], [name]);
}

function indexWith(context: HandlerContext, id: string | undefined, create: boolean): Reply {
  const { request, cluster } = context;
  const name = param(context, 'index');
  if (request.body.trim() === '') throw bodyRequired();
  const source = parseDocumentSource(request.body);
  parseRefresh(request.query);
  const opType = request.query.get('op_type');
  if (opType !== null && opType !== 'index' && opType !== 'create') {
    throw illegalArgument(`opType must be 'create' or 'index', found: [${opType}]`);
  }
  const isCreate = create || opType === 'create';
  const concurrency = concurrencyOf(
    integerParam(request.query, 'if_seq_no'),
    integerParam(request.query, 'if_primary_term'),
  );
  const problems = concurrencyProblems(concurrency, isCreate);
  if (problems.length > 0) throw validationFailed(problems);
  validateIndexName(name);
  checkIngestPipelines(cluster.indices.get(name), request.query.get('pipeline') ?? undefined);
  authorizeWrite(context, name, 'indices:data/write/index');
  // OpenSearch runs a single write as a one-item bulk: the same indexing pressure turns it away.
  const busy = cluster.writePressure.takeBulkRejection(Buffer.byteLength(request.body));
  if (busy !== undefined) return { ...busy.failure.toReply(), headers: busy.headers };
  const index = cluster.indices.getOrCreate(name);
  const outcome = indexDocument(index, id, source, { ...concurrency, create: isCreate });
  return writeReply(context, outcome);
}

/** `PUT|POST /{index}/_doc/{id}`. */
export const putDocument: Handler = (context) => indexWith(context, param(context, 'id'), false);

/** `POST /{index}/_doc`: an auto-generated id. */
export const postDocument: Handler = (context) => indexWith(context, undefined, false);

/** `PUT|POST /{index}/_create/{id}`. */
export const createDocument: Handler = (context) => indexWith(context, param(context, 'id'), true);

/** `POST /{index}/_update/{id}`. */
export const updateDocumentEndpoint: Handler = (context) => {
  const { request, cluster } = context;
  const name = param(context, 'index');
  const update = parseUpdateBody(parseRequiredBody(request.body));
  parseRefresh(request.query);
  const concurrency = concurrencyParams(request.query, updateProblems(update, request.query));
  validateIndexName(name);
  authorizeWrite(context, name, 'indices:data/write/update');
  const index = cluster.indices.getOrCreate(name);
  return writeReply(context, updateDocument(index, param(context, 'id'), update, concurrency));
};

/** Problems only an update with `if_seq_no` has: upserts cannot be conditional. */
function updateProblems(update: UpdateRequest, query: URLSearchParams): string[] {
  if (!query.has('if_seq_no')) return [];
  return [
    ...(update.docAsUpsert ? ['compare and write operations can not be used with upsert'] : []),
    ...(update.upsert === undefined
      ? []
      : ["upsert requests don't support `if_seq_no` and `if_primary_term`"]),
  ];
}

/**
 * `DELETE /{index}/_doc/{id}`: a missing document is a 404 `not_found` write; a missing index is
 * a 404 too, as a delete never auto-creates its index.
 */
export const deleteDocumentEndpoint: Handler = (context) => {
  const { request, cluster } = context;
  const name = param(context, 'index');
  parseRefresh(request.query);
  const concurrency = concurrencyParams(request.query);
  validateIndexName(name);
  const index = cluster.indices.requireConcrete(name);
  authorizeWrite(context, name, 'indices:data/write/delete');
  return writeReply(context, deleteDocument(index, param(context, 'id'), concurrency));
};

/**
 * `GET|HEAD /{index}/_doc/{id}`: realtime (`realtime=false` reads as of the last refresh);
 * `_source`, `_source_includes` and `_source_excludes` filter the source.
 */
export const getDocument: Handler = (context) => {
  const { request, cluster } = context;
  const index = cluster.indices.requireConcrete(param(context, 'index'));
  const id = param(context, 'id');
  const documents = booleanParam(request.query, 'realtime', true) ? index.live : index.searchable;
  const body = renderGet(index, id, documents.get(id), sourceFilterFromQuery(request.query));
  return jsonReply(body['found'] === true ? 200 : 404, body);
};

/** `GET|HEAD /{index}/_source/{id}`: the source alone. */
export const getSource: Handler = (context) => {
  const index = context.cluster.indices.requireConcrete(param(context, 'index'));
  const id = param(context, 'id');
  const document = index.live.get(id);
  if (document === undefined) {
    throw new OpenSearchFailure(404, {
      type: 'resource_not_found_exception',
      reason: `Document not found [${index.name}]/[${id}]`,
    });
  }
  return jsonReply(200, structuredClone(document.source));
};

/** `POST|GET /_refresh` and `/{index}/_refresh`. */
export const refreshIndices: Handler = (context) => {
  const { request, cluster } = context;
  const indices = cluster.indices.resolve(context.params['index'], indicesOptions(request.query));
  for (const index of indices) index.refresh();
  const total = indices.reduce((sum, index) => sum + index.writeShards().total, 0);
  return jsonReply(200, { _shards: { total, successful: indices.length, failed: 0 } });
};
