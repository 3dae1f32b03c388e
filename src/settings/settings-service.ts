import { illegalArgument } from '../errors/opensearch-error.js';
import type { Store } from '../store/store.js';
import { isJsonObject } from '../util/json.js';
import { didYouMean } from '../util/closest-names.js';
import {
  settingDefinitions,
  type KnownSettingKey,
  type SettingDefinition,
  type SettingValueOf,
} from './definitions.js';
import { flattenSettings, nestSettings, normalizeSettingValue, type StoredSettingValue } from './normalize-setting.js';

const COLLECTION = 'settings';
const PERSISTENT_ID = 'persistent';

type Scope = 'persistent' | 'transient';
export type SettingsSnapshot = ReadonlyMap<string, StoredSettingValue>;

/** An update as `PUT /_cluster/settings` takes it: either scope, flat or nested. */
export interface SettingsUpdate {
  persistent?: Record<string, unknown>;
  transient?: Record<string, unknown>;
}

/**
 * The `plugins.ml_commons.*` cluster settings. Persistent settings live in the store and survive a
 * restart; transient ones live in memory, as on a cluster that restarts. Effective values resolve
 * transient → persistent → default.
 */
export class SettingsService {
  private persistent: Map<string, StoredSettingValue>;
  private transient = new Map<string, StoredSettingValue>();
  private readonly typedCache = new Map<string, unknown>();

  private constructor(
    private readonly store: Store,
    persistent: Map<string, StoredSettingValue>,
  ) {
    this.persistent = persistent;
  }

  static async load(store: Store): Promise<SettingsService> {
    const record = await store.get(COLLECTION, PERSISTENT_ID);
    const stored = isJsonObject(record?.source['settings']) ? record.source['settings'] : {};
    // Earlier versions stored unknown keys; they never had an effect, and are no longer settings.
    const known = Object.entries(stored).filter(([key]) => Object.hasOwn(settingDefinitions, key));
    return new SettingsService(store, new Map(known as Array<[string, StoredSettingValue]>));
  }

  /** The effective value of a known setting, typed. */
  get<K extends KnownSettingKey>(key: K): SettingValueOf<K> {
    if (this.typedCache.has(key)) return this.typedCache.get(key) as SettingValueOf<K>;
    const definition = settingDefinitions[key];
    const raw = this.transient.get(key) ?? this.persistent.get(key);
    const value = raw === undefined ? definition.default : fromStored(definition.type, raw);
    this.typedCache.set(key, value);
    return value as SettingValueOf<K>;
  }

  /** Validates an update without applying it (the proxy checks before it forwards the rest). */
  check(update: SettingsUpdate): void {
    this.parseChanges('persistent', update.persistent);
    this.parseChanges('transient', update.transient);
  }

  /** Applies an update atomically: every value is validated before anything is stored. */
  async update(update: SettingsUpdate): Promise<{ persistent: SettingsSnapshot; transient: SettingsSnapshot }> {
    const persistentChanges = this.parseChanges('persistent', update.persistent);
    const transientChanges = this.parseChanges('transient', update.transient);
    const nextPersistent = applyChanges(this.persistent, persistentChanges);
    if (persistentChanges.size > 0) {
      await this.store.write([
        { op: 'put', collection: COLLECTION, id: PERSISTENT_ID, source: { settings: Object.fromEntries(nextPersistent) } },
      ]);
    }
    this.persistent = nextPersistent;
    this.transient = applyChanges(this.transient, transientChanges);
    this.typedCache.clear();
    return { persistent: acknowledged(persistentChanges), transient: acknowledged(transientChanges) };
  }

  /** What `GET /_cluster/settings` answers. */
  view(options: { flat: boolean; includeDefaults: boolean }): Record<string, unknown> {
    const render = (settings: ReadonlyMap<string, unknown>) =>
      options.flat ? Object.fromEntries([...settings].sort(([a], [b]) => a.localeCompare(b))) : nestSettings(settings);
    const result: Record<string, unknown> = {
      persistent: render(this.persistent),
      transient: render(this.transient),
    };
    if (options.includeDefaults) {
      const defaults = new Map<string, unknown>();
      for (const [key, definition] of Object.entries(settingDefinitions)) {
        if (!this.persistent.has(key) && !this.transient.has(key)) defaults.set(key, toStored(definition.default));
      }
      result['defaults'] = render(defaults);
    }
    return result;
  }

  private parseChanges(scope: Scope, input: unknown): Map<string, StoredSettingValue | null> {
    const changes = new Map<string, StoredSettingValue | null>();
    if (input === undefined || input === null) return changes;
    if (!isJsonObject(input)) throw illegalArgument(`[${scope}] must be an object`);
    const current = scope === 'persistent' ? this.persistent : this.transient;
    for (const [key, value] of flattenSettings(input)) {
      if (value === null && key.includes('*')) {
        for (const matched of matchWildcard(key, current)) changes.set(matched, null);
        continue;
      }
      if (key.includes('*')) throw illegalArgument(`${scope} setting [${key}]: wildcards are only allowed to reset settings`);
      const definition = updatableDefinition(scope, key);
      changes.set(key, value === null ? null : normalizeSettingValue(key, value, definition));
    }
    return changes;
  }
}

/** The definition of a key the API may change, or OpenSearch's refusal (`AbstractScopedSettings.updateSettings`). */
function updatableDefinition(scope: Scope, key: string): SettingDefinition {
  if (!Object.hasOwn(settingDefinitions, key)) {
    throw illegalArgument(`${scope} setting [${key}], not recognized${didYouMean(key, Object.keys(settingDefinitions))}`);
  }
  const definition: SettingDefinition = settingDefinitions[key as KnownSettingKey];
  if (definition.scope === 'final') throw illegalArgument(`final ${scope} setting [${key}], not updateable`);
  if (definition.scope === 'static') throw illegalArgument(`${scope} setting [${key}], not dynamically updateable`);
  return definition;
}

function matchWildcard(key: string, current: ReadonlyMap<string, unknown>): string[] {
  if (!key.includes('*')) return [key];
  const pattern = new RegExp(`^${key.split('*').map(escapeRegex).join('.*')}$`);
  return [...current.keys()].filter((existing) => pattern.test(existing));
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function applyChanges(
  current: ReadonlyMap<string, StoredSettingValue>,
  changes: ReadonlyMap<string, StoredSettingValue | null>,
): Map<string, StoredSettingValue> {
  const next = new Map(current);
  for (const [key, value] of changes) {
    if (value === null) next.delete(key);
    else next.set(key, value);
  }
  return next;
}

function acknowledged(changes: ReadonlyMap<string, StoredSettingValue | null>): SettingsSnapshot {
  return new Map([...changes].filter((entry): entry is [string, StoredSettingValue] => entry[1] !== null));
}

function toStored(value: unknown): StoredSettingValue {
  return Array.isArray(value) ? value.map(String) : String(value);
}

function fromStored(type: string, raw: StoredSettingValue): unknown {
  switch (type) {
    case 'boolean':
      return raw === 'true';
    case 'integer':
    case 'number':
      return Number(raw);
    case 'list':
      return Array.isArray(raw) ? raw : [raw];
    default:
      return Array.isArray(raw) ? raw.join(',') : raw;
  }
}

export { nestSettings };
