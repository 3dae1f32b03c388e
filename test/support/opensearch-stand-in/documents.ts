/**
 * Single-document endpoints: `PUT|POST /{index}/_doc[/{id}]`, `PUT|POST /{index}/_create/{id}`,
 * `POST /{index}/_update/{id}`, `GET|HEAD|DELETE /{index}/_doc/{id}`, `GET /{index}/_source/{id}`
 * and `_refresh`. Writes auto-create a missing index (ingest pipelines are checked first, as
 * OpenSearch runs them before creating the index); reads are realtime, as OpenSearch's GET is.
 */
import {
  booleanParam,
  integerParam,
  listParam,
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
  type Reply,
} from './responses.js';
import { parseDocumentSource, parseUpdateBody } from './document-bodies.js';
import {
  deleteDocument,
  indexDocument,
  renderWrite,
  updateDocument,
  type Concurrency,
  type WriteOutcome,
} from './writes.js';

const param = (context: HandlerContext, name: string): string => context.params[name] ?? '';

/** Reads `if_seq_no` / `if_primary_term`. */
function concurrencyParams(query: URLSearchParams): Concurrency {
  const ifSeqNo = integerParam(query, 'if_seq_no');
  const ifPrimaryTerm = integerParam(query, 'if_primary_term');
  return {
    ...(ifSeqNo === undefined ? {} : { ifSeqNo }),
    ...(ifPrimaryTerm === undefined ? {} : { ifPrimaryTerm }),
  };
}

function writeReply(context: HandlerContext, outcome: WriteOutcome): Reply {
  const forced = applyRefresh(parseRefresh(context.request.query), [outcome.index]);
  const body: JsonObject = renderWrite(outcome);
  if (forced) body['forced_refresh'] = true;
  return jsonReply(outcome.status, body);
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
  validateIndexName(name);
  checkIngestPipelines(cluster.indices.get(name), request.query.get('pipeline') ?? undefined);
  const index = cluster.indices.getOrCreate(name);
  const outcome = indexDocument(index, id, source, {
    ...concurrencyParams(request.query),
    create: create || opType === 'create',
  });
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
  validateIndexName(name);
  const index = cluster.indices.getOrCreate(name);
  return writeReply(
    context,
    updateDocument(index, param(context, 'id'), update, concurrencyParams(request.query)),
  );
};

/** `DELETE /{index}/_doc/{id}`: a missing document is a 404 `not_found` write. */
export const deleteDocumentEndpoint: Handler = (context) => {
  const { request, cluster } = context;
  const name = param(context, 'index');
  parseRefresh(request.query);
  validateIndexName(name);
  const index = cluster.indices.getOrCreate(name);
  return writeReply(
    context,
    deleteDocument(index, param(context, 'id'), concurrencyParams(request.query)),
  );
};

function sourceWanted(query: URLSearchParams): boolean | string[] {
  const raw = query.get('_source');
  if (raw === null || raw === '' || raw === 'true') return true;
  if (raw === 'false') return false;
  return listParam(raw) ?? true;
}

function pick(source: JsonObject, fields: readonly string[]): JsonObject {
  return Object.fromEntries(Object.entries(source).filter(([key]) => fields.includes(key)));
}

/** `GET|HEAD /{index}/_doc/{id}`: realtime; `_source=false` or a top-level field list trims it. */
export const getDocument: Handler = (context) => {
  const { request, cluster } = context;
  const index = cluster.indices.require(param(context, 'index'));
  const id = param(context, 'id');
  const document = index.live.get(id);
  if (document === undefined) return jsonReply(404, { _index: index.name, _id: id, found: false });
  const body: JsonObject = {
    _index: index.name,
    _id: id,
    _version: document.version,
    _seq_no: document.seqNo,
    _primary_term: document.primaryTerm,
    found: true,
  };
  const wanted = sourceWanted(request.query);
  if (wanted !== false)
    body['_source'] = structuredClone(
      wanted === true ? document.source : pick(document.source, wanted),
    );
  return jsonReply(200, body);
};

/** `GET|HEAD /{index}/_source/{id}`: the source alone. */
export const getSource: Handler = (context) => {
  const index = context.cluster.indices.require(param(context, 'index'));
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
  const indices = cluster.indices.resolve(context.params['index'], {
    ignoreUnavailable: booleanParam(request.query, 'ignore_unavailable'),
  });
  for (const index of indices) index.refresh();
  const total = indices.reduce((sum, index) => sum + index.writeShards().total, 0);
  return jsonReply(200, { _shards: { total, successful: indices.length, failed: 0 } });
};
