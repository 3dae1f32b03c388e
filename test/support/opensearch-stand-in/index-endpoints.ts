/**
 * Index administration: `PUT|DELETE|HEAD|GET /{index}`, `GET|PUT /{index}/_settings[/{names}]`
 * (with `flat_settings` and `include_defaults`) and `GET|PUT /{index}/_mapping`.
 */
import { booleanParam, indicesOptions, listParam, type Handler } from './handler.js';
import { deprecationWarning } from './cluster-info.js';
import {
  applySettingsUpdate,
  INDEX_DEFAULTS,
  normaliseIndexSettings,
  settingText,
} from './index-settings.js';
import type { IndexState } from './indices.js';
import { isJsonObject, parseOptionalBody, parseRequiredBody, type JsonObject } from './json.js';
import { mergeMappings, validateMappings } from './mappings.js';
import { jsonReply, OpenSearchFailure, parsingException } from './responses.js';
import { filterSettings, flatObject, nestSettings, type SettingValue } from './settings-format.js';

const CREATE_KEYS = new Set(['settings', 'mappings', 'aliases']);

/** `PUT /{index}`. */
export const createIndex: Handler = ({ request, params, cluster }) => {
  const raw = parseOptionalBody(request.body) ?? {};
  if (!isJsonObject(raw))
    throw parsingException('Failed to parse create index request: expected an object');
  const unknown = Object.keys(raw).find((key) => !CREATE_KEYS.has(key));
  if (unknown !== undefined) {
    throw new OpenSearchFailure(400, {
      type: 'parse_exception',
      reason: `unknown key [${unknown}] for create index`,
    });
  }
  const settingsBody = raw['settings'] ?? {};
  if (!isJsonObject(settingsBody)) throw parsingException('[settings] must be an object');
  const settings = normaliseIndexSettings(settingsBody);
  const mappings = raw['mappings'] === undefined ? {} : validateMappings(raw['mappings']);
  const name = params['index'] ?? '';
  const index = cluster.indices.create(name, settings, mappings);
  const reply = jsonReply(200, { acknowledged: true, shards_acknowledged: true, index: name });
  if (!name.startsWith('.') || settingText(index.settings, 'index.hidden') === 'true') return reply;
  // OpenSearch warns (but obeys) when a dot-prefixed index is neither hidden nor a system index.
  const warning = `index name [${name}] starts with a dot '.', in the next major version, index names starting with a dot are reserved for hidden indices and system indices`;
  return { ...reply, headers: { Warning: deprecationWarning(cluster, warning) } };
};

/** `DELETE /{index}` (comma lists and patterns; a missing concrete name is a 404). */
export const deleteIndex: Handler = ({ request, params, cluster }) => {
  cluster.indices.delete(cluster.indices.resolve(params['index'], indicesOptions(request.query)));
  return jsonReply(200, { acknowledged: true });
};

/** `HEAD /{index}`: 200 when every named index exists, else 404. */
export const indexExists: Handler = ({ request, params, cluster }) => {
  try {
    cluster.indices.resolve(params['index'], indicesOptions(request.query));
    return { status: 200 };
  } catch (error) {
    if (error instanceof OpenSearchFailure) return { status: error.status };
    throw error;
  }
};

function renderSettings(
  index: IndexState,
  query: URLSearchParams,
  names: readonly string[] | undefined,
): JsonObject {
  const asFlat = booleanParam(query, 'flat_settings');
  const render = (flat: ReadonlyMap<string, SettingValue>): JsonObject =>
    asFlat ? flatObject(flat) : nestSettings(flat);
  const entry: JsonObject = { settings: render(filterSettings(index.settings, names)) };
  if (booleanParam(query, 'include_defaults')) {
    const defaults = new Map([...INDEX_DEFAULTS].filter(([key]) => !index.settings.has(key)));
    entry['defaults'] = render(filterSettings(defaults, names));
  }
  return entry;
}

/** `GET /_settings[/{name}]`, `GET /{index}/_settings[/{name}]`. */
export const getSettings: Handler = ({ request, params, cluster }) => {
  const indices = cluster.indices.resolve(params['index'], indicesOptions(request.query));
  const names = listParam(params['name']);
  return jsonReply(
    200,
    Object.fromEntries(
      indices.map((index) => [index.name, renderSettings(index, request.query, names)]),
    ),
  );
};

/** `PUT /_settings`, `PUT /{index}/_settings`. */
export const putSettings: Handler = ({ request, params, cluster }) => {
  const raw = parseRequiredBody(request.body);
  if (!isJsonObject(raw)) throw parsingException('[settings] must be an object');
  const body = isJsonObject(raw['settings']) ? raw['settings'] : raw;
  const update = normaliseIndexSettings(body);
  const indices = cluster.indices.resolve(params['index'], indicesOptions(request.query));
  for (const index of indices)
    applySettingsUpdate(index.settings, update, `${index.name}/${index.uuid}`);
  return jsonReply(200, { acknowledged: true });
};

/** `GET /_mapping`, `GET /{index}/_mapping`. */
export const getMapping: Handler = ({ request, params, cluster }) => {
  const indices = cluster.indices.resolve(params['index'], indicesOptions(request.query));
  return jsonReply(
    200,
    Object.fromEntries(
      indices.map((index) => [index.name, { mappings: structuredClone(index.mappings) }]),
    ),
  );
};

/** `PUT /{index}/_mapping`: adds fields; changing a field's type is OpenSearch's 400. */
export const putMapping: Handler = ({ request, params, cluster }) => {
  const update = validateMappings(parseRequiredBody(request.body));
  const indices = cluster.indices.resolve(params['index'], indicesOptions(request.query));
  const merged = indices.map((index) => mergeMappings(index.mappings, update));
  indices.forEach((index, i) => {
    index.mappings = merged[i] ?? index.mappings;
  });
  return jsonReply(200, { acknowledged: true });
};

/** `GET /{index}`: aliases, mappings and settings. */
export const getIndex: Handler = ({ request, params, cluster }) => {
  const indices = cluster.indices.resolve(params['index'], indicesOptions(request.query));
  return jsonReply(
    200,
    Object.fromEntries(
      indices.map((index) => [
        index.name,
        {
          aliases: {},
          mappings: structuredClone(index.mappings),
          ...renderSettings(index, request.query, undefined),
        },
      ]),
    ),
  );
};
