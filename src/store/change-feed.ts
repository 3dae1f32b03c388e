/** Told the name of a collection whose records may have changed. Must be cheap and must not throw. */
export type ChangeListener = (collection: string) => void;

/**
 * Change notices by collection. The store emits one after each of its own writes (before the write
 * resolves, so this process reads its writes at once) and, with the cluster store, when another
 * replica's write is seen and when a cache's time is up. Caches of records subscribe and drop or
 * reload what they hold; a notice says only "this collection", never which record, so a listener
 * must treat every entry of the collection as possibly stale.
 */
export class ChangeFeed {
  private readonly listeners = new Map<string, Set<ChangeListener>>();

  /** Calls `listener` on every change of one of `collections`; returns the unsubscribe function. */
  subscribe(collections: readonly string[], listener: ChangeListener): () => void {
    for (const collection of collections) {
      let set = this.listeners.get(collection);
      if (set === undefined) this.listeners.set(collection, (set = new Set()));
      set.add(listener);
    }
    return () => {
      for (const collection of collections) this.listeners.get(collection)?.delete(listener);
    };
  }

  /** Notifies each listener once per changed collection it subscribed to. */
  emit(collections: Iterable<string>): void {
    for (const collection of new Set(collections)) {
      for (const listener of this.listeners.get(collection) ?? []) {
        try {
          listener(collection);
        } catch {
          // A listener's bug must not fail the write that announced the change.
        }
      }
    }
  }
}
