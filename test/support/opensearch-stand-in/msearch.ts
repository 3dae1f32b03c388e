/**
 * `GET|POST /_msearch` and `/{index}/_msearch`: NDJSON header/body pairs, each run as a
 * `_search`; a failing search answers its own `{"error":{...},"status"}` entry and the others
 * still run, as in OpenSearch.
 */
import { indicesOptions, type Handler } from './handler.js';
import { isJsonObject, parseJson, tokenName, type JsonObject } from './json.js';
import { splitNdjson } from './ndjson.js';
import {
  bodyRequired,
  illegalArgument,
  OpenSearchFailure,
  jsonReply,
  validationFailed,
} from './responses.js';
import { executeSearch } from './search.js';
import { readSearchRequest } from './search-request.js';

const HEADER_KEYS = new Set([
  'index',
  'search_pipeline',
  'ignore_unavailable',
  'allow_no_indices',
  'expand_wildcards',
  'preference',
  'routing',
  'search_type',
  'request_cache',
  'allow_partial_search_results',
  'ccs_minimize_roundtrips',
  'cancel_after_time_interval',
  'phase_took',
]);

interface SearchPair {
  readonly header: JsonObject;
  readonly body: JsonObject;
}

function parseHeader(text: string): JsonObject {
  if (text.trim() === '') return {};
  const header = parseJson(text);
  if (!isJsonObject(header))
    throw illegalArgument(`msearch header must be an object, found [${tokenName(header)}]`);
  for (const key of Object.keys(header)) {
    if (!HEADER_KEYS.has(key))
      throw illegalArgument(`key [${key}] is not supported in the metadata section`);
  }
  return header;
}

function parsePairs(body: string): SearchPair[] {
  const lines = splitNdjson(body, 'msearch');
  const pairs: SearchPair[] = [];
  for (let at = 0; at + 1 < lines.length; at += 2) {
    const header = parseHeader(lines[at]?.text ?? '');
    const search = parseJson(lines[at + 1]?.text ?? '');
    if (!isJsonObject(search))
      throw illegalArgument(`msearch body must be an object, found [${tokenName(search)}]`);
    pairs.push({ header, body: search });
  }
  return pairs;
}

function headerIndex(header: JsonObject, fallback: string | undefined): string | undefined {
  const index = header['index'];
  if (Array.isArray(index)) return index.map(String).join(',');
  return typeof index === 'string' ? index : fallback;
}

function itemQuery(url: URLSearchParams, header: JsonObject): URLSearchParams {
  const query = new URLSearchParams();
  for (const key of ['rest_total_hits_as_int', 'search_pipeline']) {
    const value = url.get(key);
    if (value !== null) query.set(key, value);
  }
  for (const key of ['search_pipeline', 'ignore_unavailable', 'preference', 'expand_wildcards']) {
    const value = header[key];
    if (typeof value === 'string' || typeof value === 'boolean') query.set(key, String(value));
  }
  return query;
}

/** `GET|POST /_msearch`, `/{index}/_msearch`. */
export const multiSearch: Handler = ({ request, params, cluster, access }) => {
  const started = performance.now();
  if (request.body === '') throw bodyRequired();
  const pairs = parsePairs(request.body);
  if (pairs.length === 0) throw validationFailed(['no requests added']);
  const responses = pairs.map((pair) => {
    try {
      const query = itemQuery(request.query, pair.header);
      const parts = readSearchRequest(pair.body, query);
      const expression = headerIndex(pair.header, params['index']);
      // Each search is its own `indices:data/read/search`: a denied one is its own 403 entry.
      access.requireIndex(['indices:data/read/search'], cluster.indices.targetNames(expression));
      const indices = cluster.indices.resolve(expression, indicesOptions(query));
      return { ...executeSearch(cluster, indices, parts), status: 200 };
    } catch (error) {
      if (!(error instanceof OpenSearchFailure)) throw error;
      return error.toBody();
    }
  });
  return jsonReply(200, { took: Math.round(performance.now() - started), responses });
};
