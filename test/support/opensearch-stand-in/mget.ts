/**
 * `GET|POST /_mget` and `/{index}/_mget`, parsed as OpenSearch's `MultiGetRequest` parses them:
 * `{"docs": [{"_index", "_id", "_source"...}]}` or `{"ids": [...]}` (taking the path's index),
 * validated as a whole (an empty list, a missing index or id is the request's 400), then each
 * item answered on its own and in order: found with its bookkeeping, `found: false`, or an
 * `error` entry (a missing index, or an index the user may not read). Reads are realtime like
 * GET unless `realtime=false`; `refresh=true` refreshes first.
 */
import { parseSourceFilter, type SourceFilter } from '../../../src/query/index.js';
import { booleanParam, type Handler, type HandlerContext } from './handler.js';
import { renderGet, sourceFilterFromQuery } from './fetch-source.js';
import { isJsonObject, parseRequiredBody, tokenName, type JsonObject } from './json.js';
import {
  illegalArgument,
  jsonReply,
  OpenSearchFailure,
  parsingException,
  validationFailed,
} from './responses.js';

interface MultiGetItem {
  readonly index: string | undefined;
  readonly id: string | undefined;
  /** The item's own `_source`; undefined falls back to the URL's. */
  readonly source: SourceFilter | undefined;
}

const ITEM_FIELDS = new Set([
  '_index',
  '_id',
  'routing',
  '_routing',
  'stored_fields',
  'version',
  'version_type',
  '_source',
]);

/** A JSON scalar as Jackson's `parser.text()` reads it. */
const scalarText = (value: unknown): string | undefined =>
  value === null || value === undefined || typeof value === 'object' ? undefined : String(value);

function parseItemSource(raw: unknown): SourceFilter {
  if (typeof raw === 'boolean' || typeof raw === 'string' || Array.isArray(raw))
    return parseSourceFilter(raw);
  if (isJsonObject(raw)) {
    const unknown = Object.keys(raw).find(
      (key) => !['includes', 'include', 'excludes', 'exclude'].includes(key),
    );
    if (unknown !== undefined) {
      throw new OpenSearchFailure(400, {
        type: 'parse_exception',
        reason: `source definition may not contain [${unknown}]`,
      });
    }
    return parseSourceFilter(raw);
  }
  throw new OpenSearchFailure(400, {
    type: 'parse_exception',
    reason: `illegal type for _source: [${tokenName(raw)}]`,
  });
}

function parseDoc(raw: unknown, defaultIndex: string | undefined): MultiGetItem {
  if (!isJsonObject(raw)) throw illegalArgument('docs array element should include an object');
  for (const key of Object.keys(raw)) {
    if (!ITEM_FIELDS.has(key)) {
      throw new OpenSearchFailure(400, {
        type: 'parse_exception',
        reason: `failed to parse multi get request. unknown field [${key}]`,
      });
    }
  }
  return {
    index: scalarText(raw['_index']) ?? defaultIndex,
    id: scalarText(raw['_id']),
    source: raw['_source'] === undefined ? undefined : parseItemSource(raw['_source']),
  };
}

function parseItems(body: unknown, defaultIndex: string | undefined): MultiGetItem[] {
  if (!isJsonObject(body))
    throw parsingException(`unexpected token [${tokenName(body)}], expected [START_OBJECT]`);
  const items: MultiGetItem[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (!Array.isArray(value)) {
      throw parsingException(
        `unexpected token [${tokenName(value)}], expected [FIELD_NAME] or [START_ARRAY]`,
      );
    }
    if (key === 'docs') {
      items.push(...value.map((doc) => parseDoc(doc, defaultIndex)));
    } else if (key === 'ids') {
      for (const id of value) {
        const text = scalarText(id);
        if (text === undefined) throw illegalArgument('ids array element should only contain ids');
        items.push({ index: defaultIndex, id: text, source: undefined });
      }
    } else {
      throw parsingException(`unknown key [${key}] for a START_ARRAY, expected [docs] or [ids]`);
    }
  }
  return items;
}

function validate(items: readonly MultiGetItem[]): void {
  if (items.length === 0) throw validationFailed(['no documents to get']);
  const problems: string[] = [];
  items.forEach((item, i) => {
    if (item.index === undefined) problems.push(`index is missing for doc ${i}`);
    if (item.id === undefined) problems.push(`id is missing for doc ${i}`);
  });
  if (problems.length > 0) throw validationFailed(problems);
}

/** An item that failed: its index and id beside a full error (with `root_cause`). */
const failedItem = (item: MultiGetItem, failure: OpenSearchFailure): JsonObject => ({
  _index: item.index ?? null,
  _id: item.id ?? null,
  error: failure.toBody().error,
});

function answerItem(
  context: HandlerContext,
  item: MultiGetItem,
  fallback: SourceFilter | undefined,
): JsonObject {
  const { cluster, request } = context;
  const name = item.index ?? '';
  const id = item.id ?? '';
  try {
    const index = cluster.indices.requireConcrete(name);
    context.access.requireIndex(['indices:data/read/mget[shard]'], [index.name]);
    if (booleanParam(request.query, 'refresh')) index.refresh();
    const realtime = booleanParam(request.query, 'realtime', true);
    const document = (realtime ? index.live : index.searchable).get(id);
    return renderGet(index, id, document, item.source ?? fallback);
  } catch (error) {
    if (error instanceof OpenSearchFailure) return failedItem(item, error);
    throw error;
  }
}

/** `GET|POST /_mget`, `/{index}/_mget`. */
export const multiGet: Handler = (context) => {
  const { request, params } = context;
  const items = parseItems(parseRequiredBody(request.body), params['index']);
  validate(items);
  const fallback = sourceFilterFromQuery(request.query);
  return jsonReply(200, { docs: items.map((item) => answerItem(context, item, fallback)) });
};
