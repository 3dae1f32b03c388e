import type { ConnectorDefinition } from '../connectors/connector-record.js';
import { CONNECTOR_INDEX } from '../connectors/connector-record.js';
import type { Store } from '../store/store.js';
import { MODEL_INDEX, type ModelRecord } from './model-record.js';

/** A model ready to call: its record and its connector with the credential decrypted. */
export interface DeployedModel {
  readonly modelId: string;
  readonly model: ModelRecord;
  readonly connector: ConnectorDefinition;
  /** The connector's identity for connection pooling: its id, or the model id for an inline one. */
  readonly poolKey: string;
  /** Decrypted; lives only in memory, as in ML Commons' deployed executor. */
  readonly credential: Readonly<Record<string, string>>;
  /** The rotation window's previous credential, decrypted, when the connector holds one. */
  readonly previousCredential?: Readonly<Record<string, string>>;
  /** The `_seq_no` of the model and (standalone connector) connector records it was built from. */
  readonly builtFrom: { readonly model: number; readonly connector?: number };
}

interface Entry {
  readonly deployed: DeployedModel;
  /** The change count when the entry was last known to match the store. */
  readonly checkedAt: number;
}

/**
 * The in-memory side of deployment: what "deployed" means for a remote model on this replica.
 * It starts empty and is filled on first use from the models whose stored state is DEPLOYED.
 * Any change to models or connectors (here, on another replica, or the cache TTL) makes every
 * entry stale: the next call re-reads its two records and keeps the entry if they did not move,
 * so a connector or credential update reaches deployed models live, while calls already in
 * flight finish with what they started with.
 */
export class DeployedModelCache {
  private readonly entries = new Map<string, Entry>();
  private changes = 0;

  constructor(store: Store) {
    store.changes.subscribe([MODEL_INDEX, CONNECTOR_INDEX], () => this.changes++);
  }

  /** The entry, whether or not it is still known to match the store. */
  get(modelId: string): DeployedModel | undefined {
    return this.entries.get(modelId)?.deployed;
  }

  /** True when no change was announced since the entry was checked. */
  isCurrent(modelId: string): boolean {
    return this.entries.get(modelId)?.checkedAt === this.changes;
  }

  /** A mark to pass to `set` after reading the store: a change announced meanwhile keeps the entry stale. */
  mark(): number {
    return this.changes;
  }

  set(model: DeployedModel, checkedAt: number = this.changes): void {
    this.entries.set(model.modelId, { deployed: model, checkedAt });
  }

  delete(modelId: string): boolean {
    return this.entries.delete(modelId);
  }
}
