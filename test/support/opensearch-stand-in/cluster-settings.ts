/**
 * `GET/PUT /_cluster/settings`. Every key is stored, `plugins.ml_commons.*` included, so a test
 * can read back exactly what a proxy forwarded (or prove it forwarded nothing). Values are kept
 * as strings, `null` resets a key, and responses nest keys unless `flat_settings=true`.
 */
import { booleanParam, type Handler } from './handler.js';
import { isJsonObject, parseRequiredBody } from './json.js';
import { jsonReply, OpenSearchFailure, validationFailed } from './responses.js';
import {
  flatObject,
  flattenSettings,
  nestSettings,
  type FlatSettings,
  type SettingValue,
} from './settings-format.js';

const CLUSTER_DEFAULTS: ReadonlyMap<string, SettingValue> = new Map([
  ['action.auto_create_index', 'true'],
  ['cluster.max_shards_per_node', '1000'],
  ['search.default_search_timeout', '-1'],
]);

/** Persistent and transient cluster settings. */
export class ClusterSettingsStore {
  readonly persistent = new Map<string, SettingValue>();
  readonly transient = new Map<string, SettingValue>();

  /** Forgets every setting. */
  clear(): void {
    this.persistent.clear();
    this.transient.clear();
  }
}

const render = (flat: ReadonlyMap<string, SettingValue>, asFlat: boolean): unknown =>
  asFlat ? flatObject(flat) : nestSettings(flat);

/** `GET /_cluster/settings`. */
export const getClusterSettings: Handler = ({ request, cluster }) => {
  const asFlat = booleanParam(request.query, 'flat_settings');
  const store = cluster.clusterSettings;
  const body: Record<string, unknown> = {
    persistent: render(store.persistent, asFlat),
    transient: render(store.transient, asFlat),
  };
  if (booleanParam(request.query, 'include_defaults')) {
    const defaults = new Map(
      [...CLUSTER_DEFAULTS].filter(
        ([key]) => !store.persistent.has(key) && !store.transient.has(key),
      ),
    );
    body['defaults'] = render(defaults, asFlat);
  }
  return jsonReply(200, body);
};

function applyUpdate(
  target: Map<string, SettingValue>,
  update: FlatSettings,
): Map<string, SettingValue> {
  const applied = new Map<string, SettingValue>();
  for (const [key, value] of update) {
    if (value === null) {
      target.delete(key);
    } else {
      target.set(key, value);
      applied.set(key, value);
    }
  }
  return applied;
}

/** `PUT /_cluster/settings`. */
export const putClusterSettings: Handler = ({ request, cluster }) => {
  const body = parseRequiredBody(request.body);
  if (!isJsonObject(body)) throw validationFailed(['no settings to update']);
  const unknown = Object.keys(body).find((key) => key !== 'persistent' && key !== 'transient');
  if (unknown !== undefined) {
    throw new OpenSearchFailure(400, {
      type: 'x_content_parse_exception',
      reason: `[1:2] [cluster_update_settings_request] unknown field [${unknown}]`,
    });
  }
  const section = (name: string): FlatSettings => {
    const value = body[name];
    return isJsonObject(value) ? flattenSettings(value) : new Map();
  };
  const persistent = section('persistent');
  const transient = section('transient');
  if (persistent.size === 0 && transient.size === 0)
    throw validationFailed(['no settings to update']);
  const asFlat = booleanParam(request.query, 'flat_settings');
  return jsonReply(200, {
    acknowledged: true,
    persistent: render(applyUpdate(cluster.clusterSettings.persistent, persistent), asFlat),
    transient: render(applyUpdate(cluster.clusterSettings.transient, transient), asFlat),
  });
};
