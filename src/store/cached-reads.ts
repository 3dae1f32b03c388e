/**
 * Caches of store reads for hot paths (predict, pipelines), dropped whenever the store announces
 * a change of their collection (this process's writes at once, other replicas' within a poll, and
 * everything at the cache TTL). A read that started before a change is not cached, so a cache
 * never keeps what a change already replaced.
 */
import type { JsonObject, Store, StoredRecord } from './store.js';

/** Counts the changes of some collections; a read is cached only if no change came during it. */
class Invalidation {
  private generation = 0;

  constructor(store: Store, collections: readonly string[], onChange: () => void) {
    store.changes.subscribe(collections, () => {
      this.generation++;
      onChange();
    });
  }

  get current(): number {
    return this.generation;
  }
}

/** Records of one collection by id (absent ones too). */
export class RecordCache<T extends JsonObject> {
  private readonly entries = new Map<string, StoredRecord<T> | undefined>();
  private readonly invalidation: Invalidation;

  constructor(
    private readonly store: Store,
    private readonly collection: string,
  ) {
    this.invalidation = new Invalidation(store, [collection], () => this.entries.clear());
  }

  async get(id: string): Promise<StoredRecord<T> | undefined> {
    if (this.entries.has(id)) return this.entries.get(id);
    const generation = this.invalidation.current;
    const record = await this.store.get<T>(this.collection, id);
    if (generation === this.invalidation.current) this.entries.set(id, record);
    return record;
  }
}

/** A value derived from whole collections (an index by name, say), rebuilt after a change. */
export class DerivedCache<V> {
  private value: Promise<V> | undefined;
  private readonly invalidation: Invalidation;

  constructor(store: Store, collections: readonly string[], private readonly build: () => Promise<V>) {
    this.invalidation = new Invalidation(store, collections, () => (this.value = undefined));
  }

  get(): Promise<V> {
    if (this.value !== undefined) return this.value;
    const generation = this.invalidation.current;
    const building = this.build();
    if (generation === this.invalidation.current) this.value = building;
    // A failed build is not kept: the next caller tries again.
    building.catch(() => {
      if (this.value === building) this.value = undefined;
    });
    return building;
  }
}
