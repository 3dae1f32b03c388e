import type { ConnectorDefinition } from '../connectors/connector-record.js';
import type { ModelRecord } from './model-record.js';

/** A model ready to call: its record and its connector with the credential decrypted. */
export interface DeployedModel {
  readonly modelId: string;
  readonly model: ModelRecord;
  readonly connector: ConnectorDefinition;
  /** The connector's identity for connection pooling: its id, or the model id for an inline one. */
  readonly poolKey: string;
  /** Decrypted; lives only in memory, as in ML Commons' deployed executor. */
  readonly credential: Readonly<Record<string, string>>;
}

/**
 * The in-memory side of deployment: what "deployed" means for a remote model. After a restart it
 * starts empty and is refilled on first use from the models whose stored state is DEPLOYED.
 */
export class DeployedModelCache {
  private readonly models = new Map<string, DeployedModel>();

  get(modelId: string): DeployedModel | undefined {
    return this.models.get(modelId);
  }

  set(model: DeployedModel): void {
    this.models.set(model.modelId, model);
  }

  delete(modelId: string): boolean {
    return this.models.delete(modelId);
  }

  /** Drops every entry built from a connector, so the next call rebuilds it with the new definition. */
  deleteUsingConnector(connectorId: string): void {
    for (const [modelId, model] of this.models) if (model.model.connector_id === connectorId) this.models.delete(modelId);
  }
}
