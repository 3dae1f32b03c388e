/**
 * Where each collection lives in the cluster: one hidden index per kind of record, named
 * `<prefix>-<kind>` (prefix `.ml-sidecar` by default). Adding a collection is one line here.
 * `watched` collections are cached by replicas, so every write to them bumps a generation
 * document that the other replicas poll.
 */
export const STATE_INDEX_KINDS = ['connectors', 'model-groups', 'models', 'tasks', 'config', 'pipelines', 'replicas', 'usage', 'memory'] as const;
export type StateIndexKind = (typeof STATE_INDEX_KINDS)[number];

interface Placement {
  readonly index: StateIndexKind;
  /** Prepended to record ids where several collections share an index. */
  readonly idPrefix: string;
  readonly watched: boolean;
}

export const COLLECTION_PLACEMENT = {
  '.plugins-ml-connector': { index: 'connectors', idPrefix: '', watched: true },
  '.plugins-ml-model-group': { index: 'model-groups', idPrefix: '', watched: true },
  'model-group-names': { index: 'model-groups', idPrefix: 'name:', watched: false },
  '.plugins-ml-model': { index: 'models', idPrefix: '', watched: true },
  '.plugins-ml-task': { index: 'tasks', idPrefix: '', watched: false },
  settings: { index: 'config', idPrefix: 'settings:', watched: true },
  'key-check': { index: 'config', idPrefix: 'key-check:', watched: false },
  generation: { index: 'config', idPrefix: 'generation:', watched: false },
  'ingest-pipelines': { index: 'pipelines', idPrefix: 'ingest:', watched: true },
  'search-pipelines': { index: 'pipelines', idPrefix: 'search:', watched: true },
  heartbeats: { index: 'replicas', idPrefix: 'heartbeat:', watched: false },
  leases: { index: 'replicas', idPrefix: 'lease:', watched: false },
  // One document per day, model and writing replica: replicas never write the same document.
  usage: { index: 'usage', idPrefix: '', watched: false },
  '.plugins-ml-memory-meta': { index: 'memory', idPrefix: 'meta:', watched: false },
  '.plugins-ml-memory-message': { index: 'memory', idPrefix: 'message:', watched: false },
} as const satisfies Record<string, Placement>;

export type StateCollection = keyof typeof COLLECTION_PLACEMENT;

/** The collections replicas cache (a write to one bumps its generation). */
export const WATCHED_COLLECTIONS: readonly string[] = Object.entries(COLLECTION_PLACEMENT)
  .filter(([, placement]) => placement.watched)
  .map(([collection]) => collection);

/** The placement of a collection; an unknown one is a programming error, named with the known ones. */
export function placementOf(collection: string): Placement {
  const placement = (COLLECTION_PLACEMENT as Record<string, Placement>)[collection];
  if (placement === undefined) {
    throw new Error(`No state index holds collection [${collection}]; known: ${Object.keys(COLLECTION_PLACEMENT).join(', ')}`);
  }
  return placement;
}

/**
 * The version of the bundled mapping. Raise it with every (additive) mapping change: a replica
 * that finds an older `_meta.schema_version` in the cluster puts the new mapping.
 */
export const STATE_SCHEMA_VERSION = 1;

/**
 * Every state index holds wrapped records: the record itself is stored but not indexed
 * (`enabled: false`), so no record can ever conflict with a mapping (connector parameters differ
 * in shape from one connector to the next) and the index's field count stays fixed.
 */
export const STATE_INDEX_MAPPING = {
  dynamic: false,
  _meta: { schema_version: STATE_SCHEMA_VERSION, managed_by: 'opensearch-ml-sidecar' },
  properties: {
    collection: { type: 'keyword' },
    id: { type: 'keyword' },
    updated_at: { type: 'date', format: 'epoch_millis' },
    record: { type: 'object', enabled: false },
  },
} as const;

export const STATE_INDEX_SETTINGS = {
  index: { hidden: true, number_of_shards: 1, auto_expand_replicas: '0-1' },
} as const;
