/**
 * Index settings: normalising a create/update body (flat or nested, with or without the
 * `index.` prefix), the settings OpenSearch generates for every index, the defaults
 * `include_defaults` shows, and which settings cannot change on an open index.
 */
import type { JsonObject } from './json.js';
import { illegalArgument } from './responses.js';
import { flattenSettings, type SettingValue } from './settings-format.js';

/** The version id OpenSearch 3.3.0 stamps on indices it creates. */
export const INDEX_VERSION_CREATED = '137267827';

/** Settings `include_defaults` adds when an index does not set them. */
export const INDEX_DEFAULTS: ReadonlyMap<string, SettingValue> = new Map([
  ['index.auto_expand_replicas', 'false'],
  ['index.codec', 'default'],
  ['index.default_pipeline', '_none'],
  ['index.final_pipeline', '_none'],
  ['index.hidden', 'false'],
  ['index.knn', 'false'],
  ['index.max_inner_result_window', '100'],
  ['index.max_result_window', '10000'],
  ['index.refresh_interval', '1s'],
  ['index.search.default_pipeline', '_none'],
]);

const STATIC_SETTINGS = new Set(['index.number_of_shards', 'index.knn', 'index.codec']);
const GENERATED = new Set([
  'index.uuid',
  'index.creation_date',
  'index.provided_name',
  'index.version.created',
]);

/** Prefixes `index.` where a key lacks it, as OpenSearch normalises index settings. */
function normaliseKey(key: string): string {
  return key.startsWith('index.') ? key : `index.${key}`;
}

function checkCount(
  key: string,
  value: SettingValue | null,
  minimum: number,
  maximum = Infinity,
): void {
  if (value === null || typeof value !== 'string') return;
  const parsed = Number(value);
  if (!/^-?\d+$/.test(value)) {
    throw illegalArgument(`Failed to parse value [${value}] for setting [${key}]`);
  }
  if (parsed < minimum) {
    throw illegalArgument(
      `Failed to parse value [${value}] for setting [${key}] must be >= ${minimum}`,
    );
  }
  if (parsed > maximum) {
    throw illegalArgument(
      `Failed to parse value [${value}] for setting [${key}] must be <= ${maximum}`,
    );
  }
}

const MAX_SHARDS = 1024;

function checkBoolean(value: SettingValue | null): void {
  if (value === null || value === 'true' || value === 'false') return;
  throw illegalArgument(
    `Failed to parse value [${String(value)}] as only [true] or [false] are allowed.`,
  );
}

/** `index.auto_expand_replicas`: `false` or `min-max` (`max` may be `all`), as OpenSearch parses it. */
function parseAutoExpand(value: SettingValue | null): { min: number; max: number } | null {
  if (value === null || value === 'false') return null;
  const text = String(value);
  const dash = text.indexOf('-');
  const failure = illegalArgument(
    `failed to parse [index.auto_expand_replicas] from value: [${text}] at index ${dash}`,
  );
  if (dash === -1) throw failure;
  const [minText, maxText] = [text.slice(0, dash), text.slice(dash + 1)];
  if (!/^\d+$/.test(minText) || (maxText !== 'all' && !/^\d+$/.test(maxText))) throw failure;
  const min = Number(minText);
  const max = maxText === 'all' ? Number.POSITIVE_INFINITY : Number(maxText);
  if (min > max) {
    throw illegalArgument(
      `[index.auto_expand_replicas] minReplicas must be =< maxReplicas but wasn't ${min} > ${max}`,
    );
  }
  return { min, max };
}

/** Normalises a `settings` body into flat `index.*` keys; validates the values it knows. */
export function normaliseIndexSettings(body: JsonObject): Map<string, SettingValue | null> {
  const out = new Map<string, SettingValue | null>();
  for (const [key, value] of flattenSettings(body)) {
    const normalised = normaliseKey(key);
    if (normalised === 'index.number_of_shards') checkCount(normalised, value, 1, MAX_SHARDS);
    if (normalised === 'index.number_of_replicas') checkCount(normalised, value, 0);
    if (normalised === 'index.hidden') checkBoolean(value);
    if (normalised === 'index.auto_expand_replicas') parseAutoExpand(value);
    out.set(normalised, value);
  }
  return out;
}

/**
 * On a one-node cluster, `auto_expand_replicas` sets the replica count to its minimum (a second
 * copy has nowhere to go), as the cluster manager does when nodes change.
 */
function expandReplicas(settings: Map<string, SettingValue>): void {
  const range = parseAutoExpand(settings.get('index.auto_expand_replicas') ?? null);
  if (range === null) return;
  settings.set('index.number_of_replicas', String(Math.min(range.min, range.max)));
}

/** The settings of a new index: what the body set plus what OpenSearch generates. */
export function initialSettings(
  name: string,
  uuid: string,
  creationDate: number,
  requested: ReadonlyMap<string, SettingValue | null>,
): Map<string, SettingValue> {
  const settings = new Map<string, SettingValue>([
    ['index.number_of_shards', '1'],
    ['index.number_of_replicas', '1'],
    ['index.replication.type', 'DOCUMENT'],
  ]);
  for (const [key, value] of requested) {
    if (GENERATED.has(key))
      throw illegalArgument(`unknown setting [${key}] did you mean [index.uuid]?`);
    if (value !== null) settings.set(key, value);
  }
  settings.set('index.uuid', uuid);
  settings.set('index.creation_date', String(creationDate));
  settings.set('index.provided_name', name);
  settings.set('index.version.created', INDEX_VERSION_CREATED);
  expandReplicas(settings);
  return settings;
}

/** Applies a `PUT /{index}/_settings` update; static settings are refused as OpenSearch refuses them. */
export function applySettingsUpdate(
  settings: Map<string, SettingValue>,
  update: ReadonlyMap<string, SettingValue | null>,
  indexLabel: string,
): void {
  const frozen = [...update.keys()].filter((key) => STATIC_SETTINGS.has(key) || GENERATED.has(key));
  if (frozen.length > 0) {
    throw illegalArgument(
      `Can't update non dynamic settings [[${frozen.join(', ')}]] for open indices [[${indexLabel}]]`,
    );
  }
  for (const [key, value] of update) {
    if (value === null) settings.delete(key);
    else settings.set(key, value);
  }
  expandReplicas(settings);
}

/** A setting's single string value, or undefined. */
export function settingText(
  settings: ReadonlyMap<string, SettingValue>,
  key: string,
): string | undefined {
  const value = settings.get(key);
  return typeof value === 'string' ? value : undefined;
}
