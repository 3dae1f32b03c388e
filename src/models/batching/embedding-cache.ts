/**
 * The optional embedding cache (`client_config.embedding_cache_size` entries per model; off by
 * default): a size-bounded LRU from a hash of the input text to the tensors the model answered for
 * it. Each model's cache belongs to one connector state (version, last update, definition hash): a
 * changed connector gets a fresh, empty cache, so it never serves vectors of the old definition.
 * Values are copied in and out, so a caller that edits its vectors cannot corrupt the cache.
 */
import { createHash } from 'node:crypto';
import type { ModelTensor } from '../../connectors/functions/types.js';
import type { ConnectorDefinition } from '../../connectors/connector-record.js';

/** A bounded LRU of per-text tensors. */
export class EmbeddingCache {
  private readonly entries = new Map<string, readonly ModelTensor[]>();

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** The cached tensors of a text hash, refreshed as most recently used. */
  get(key: string): ModelTensor[] | undefined {
    const tensors = this.entries.get(key);
    if (tensors === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, tensors);
    return copyTensors(tensors);
  }

  set(key: string, tensors: readonly ModelTensor[]): void {
    this.entries.delete(key);
    this.entries.set(key, copyTensors(tensors));
    // Map iteration order is insertion order: the first key is the least recently used.
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}

/** The key of a text: its SHA-256, so the cache never holds the texts themselves. */
export const textKey = (text: string): string => createHash('sha256').update(text).digest('base64');

/** Every model's cache, each tied to the connector state it was filled with. */
export class EmbeddingCaches {
  private readonly caches = new Map<string, { readonly connectorState: string; readonly cache: EmbeddingCache }>();

  /** The cache of `modelId` for this connector state and size; a different state or size starts empty. */
  forModel(modelId: string, connector: ConnectorDefinition, capacity: number): EmbeddingCache {
    const connectorState = connectorStateOf(connector);
    const existing = this.caches.get(modelId);
    if (existing?.connectorState === connectorState && existing.cache.capacity === capacity) return existing.cache;
    const cache = new EmbeddingCache(capacity);
    this.caches.set(modelId, { connectorState, cache });
    return cache;
  }
}

const states = new WeakMap<ConnectorDefinition, string>();

/** Version, last update time, and a hash of what shapes the answer (parameters and actions). */
function connectorStateOf(connector: ConnectorDefinition): string {
  let state = states.get(connector);
  if (state === undefined) {
    const definition = createHash('sha256').update(JSON.stringify([connector.parameters ?? {}, connector.actions])).digest('base64');
    state = `${connector.version}/${connector.last_updated_time ?? ''}/${definition}`;
    states.set(connector, state);
  }
  return state;
}

function copyTensors(tensors: readonly ModelTensor[]): ModelTensor[] {
  return tensors.map((tensor) => structuredClone(tensor));
}
