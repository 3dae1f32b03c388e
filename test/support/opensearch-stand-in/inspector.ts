/**
 * What tests can read directly, without HTTP: the indices with their documents (live and
 * searchable), settings and mappings, and the cluster settings. Everything returned is a copy.
 */
import type { ClusterState } from './cluster-state.js';
import type { JsonObject } from './json.js';
import type { SettingValue } from './settings-format.js';

/** One stored document as a test sees it. */
export interface InspectedDocument {
  readonly id: string;
  readonly version: number;
  readonly seqNo: number;
  readonly source: JsonObject;
}

/** Read access to the stand-in's indices. */
export interface IndicesInspector {
  /** Index names, in creation order. */
  names(): string[];
  /** True when the index exists. */
  has(index: string): boolean;
  /** Every live document (refreshed or not) of `index`; [] when it does not exist. */
  documents(index: string): InspectedDocument[];
  /** One live document's source, or undefined. */
  document(index: string, id: string): JsonObject | undefined;
  /** Ids a search can see (as of the last refresh). */
  searchableIds(index: string): string[];
  /** The index's flat settings (`index.default_pipeline`...); undefined when it does not exist. */
  settings(index: string): Record<string, SettingValue> | undefined;
  /** The index's mappings as stored; undefined when it does not exist. */
  mappings(index: string): JsonObject | undefined;
}

/** Cluster settings as a test sees them: flat keys. */
export interface InspectedClusterSettings {
  readonly persistent: Record<string, SettingValue>;
  readonly transient: Record<string, SettingValue>;
}

/** Builds the inspector over `cluster`. */
export function inspectIndices(cluster: ClusterState): IndicesInspector {
  const get = (name: string) => cluster.indices.get(name);
  return {
    names: () => cluster.indices.all().map((index) => index.name),
    has: (name) => get(name) !== undefined,
    documents: (name) =>
      [...(get(name)?.live.values() ?? [])].map((d) => ({
        id: d.id,
        version: d.version,
        seqNo: d.seqNo,
        source: structuredClone(d.source),
      })),
    document: (name, id) => {
      const document = get(name)?.live.get(id);
      return document === undefined ? undefined : structuredClone(document.source);
    },
    searchableIds: (name) => [...(get(name)?.searchable.keys() ?? [])],
    settings: (name) => {
      const index = get(name);
      return index === undefined ? undefined : Object.fromEntries(index.settings);
    },
    mappings: (name) => {
      const index = get(name);
      return index === undefined ? undefined : structuredClone(index.mappings);
    },
  };
}

/** Copies the cluster settings. */
export function inspectClusterSettings(cluster: ClusterState): InspectedClusterSettings {
  return {
    persistent: Object.fromEntries(cluster.clusterSettings.persistent),
    transient: Object.fromEntries(cluster.clusterSettings.transient),
  };
}
