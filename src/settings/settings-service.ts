import { illegalArgument } from '../errors/opensearch-error.js';
import { withRetryOnConflict } from '../store/retry-on-conflict.js';
import { unchanged, type Store, type StoredRecord, type WriteOperation } from '../store/store.js';
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

type Scope = 'persistent' | 'transient';
export type SettingsSnapshot = ReadonlyMap<string, StoredSettingValue>;

/** An update as `PUT /_cluster/settings` takes it: either scope, flat or nested. */
export interface SettingsUpdate {
  persistent?: Record<string, unknown>;
  transient?: Record<string, unknown>;
}

/**
 * The `plugins.ml_commons.*` cluster settings. Persistent settings live in the store and survive a
 * restart. Transient ones last as long as the state they belong to: in memory with the embedded
 * store (gone at restart, as on a cluster that restarts), and in the store with the cluster store,
 * so every replica sees the same values. Effective values resolve transient → persistent →
 * default. A change made on another replica is picked up when the store announces it.
 */
export class SettingsService {
  private persistent = new Map<string, StoredSettingValue>();
  private transient = new Map<string, StoredSettingValue>();
  private readonly typedCache = new Map<string, unknown>();
  /** `_seq_no` of the stored documents last applied: an older read never replaces a newer one. */
  private readonly appliedSeqNo: Record<Scope, number> = { persistent: -1, transient: -1 };

  private constructor(
    private readonly store: Store,
    private readonly storedScopes: readonly Scope[],
  ) {}

  static async load(store: Store, options: { storeTransient: boolean } = { storeTransient: false }): Promise<SettingsService> {
    const service = new SettingsService(store, options.storeTransient ? ['persistent', 'transient'] : ['persistent']);
    await service.reload();
    store.changes.subscribe([COLLECTION], () => void service.reload().catch(() => undefined));
    return service;
  }

  /** Reads the stored scopes and applies whatever is newer than what this replica holds. */
  private async reload(): Promise<Array<StoredRecord | undefined>> {
    const records = await this.store.getMany(COLLECTION, this.storedScopes);
    this.storedScopes.forEach((scope, position) => this.apply(scope, records[position]));
    return records;
  }

  private apply(scope: Scope, record: StoredRecord | undefined): void {
    if (record === undefined || record.seqNo <= this.appliedSeqNo[scope]) return;
    const stored = isJsonObject(record.source['settings']) ? record.source['settings'] : {};
    // Earlier versions stored unknown keys; they never had an effect, and are no longer settings.
    const known = Object.entries(stored).filter(([key]) => Object.hasOwn(settingDefinitions, key));
    const values = new Map(known as Array<[string, StoredSettingValue]>);
    if (scope === 'persistent') this.persistent = values;
    else this.transient = values;
    this.appliedSeqNo[scope] = record.seqNo;
    this.typedCache.clear();
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

  /**
   * Applies an update atomically: every value is validated before anything is stored. Stored
   * scopes are rewritten conditionally on what was read, so two replicas changing different keys
   * at once both keep their change.
   */
  async update(update: SettingsUpdate): Promise<{ persistent: SettingsSnapshot; transient: SettingsSnapshot }> {
    return withRetryOnConflict(async () => {
      const records = await this.reload();
      const changes = { persistent: this.parseChanges('persistent', update.persistent), transient: this.parseChanges('transient', update.transient) };
      const next = { persistent: applyChanges(this.persistent, changes.persistent), transient: applyChanges(this.transient, changes.transient) };
      const writes: WriteOperation[] = [];
      this.storedScopes.forEach((scope, position) => {
        if (changes[scope].size === 0) return;
        const record = records[position];
        const source = { settings: Object.fromEntries(next[scope]) };
        writes.push(
          record === undefined
            ? { op: 'create', collection: COLLECTION, id: scope, source }
            : { op: 'put', collection: COLLECTION, id: scope, source, ifMatch: unchanged(record) },
        );
      });
      const results = writes.length > 0 ? await this.store.write(writes) : [];
      for (const result of results) this.appliedSeqNo[result.id as Scope] = result.seqNo;
      this.persistent = next.persistent;
      this.transient = next.transient;
      this.typedCache.clear();
      return { persistent: acknowledged(changes.persistent), transient: acknowledged(changes.transient) };
    });
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
