/**
 * Which models use a connector, read straight from the store. ConnectorService needs this to refuse
 * deleting or updating a connector in use, and models need ConnectorService: a lookup over the store
 * (not the model service) breaks that cycle, so the dependency can be a constructor argument.
 */
import type { ConnectorReferences } from '../connectors/connector-service.js';
import type { Store } from '../store/store.js';
import { ACTIVE_STATES, MODEL_INDEX, type ModelRecord } from './model-record.js';

/** The references lookup over the models stored in `store`. */
export function storedConnectorReferences(store: Store): ConnectorReferences {
  const modelsWith = async (connectorId: string) =>
    (await store.list<ModelRecord>(MODEL_INDEX)).filter((model) => model.source.connector_id === connectorId);
  return {
    modelsUsing: async (connectorId) => (await modelsWith(connectorId)).map((model) => model.id),
    deployedModelsUsing: async (connectorId) =>
      (await modelsWith(connectorId)).filter((model) => ACTIVE_STATES.has(model.source.model_state)).map((model) => model.id),
  };
}
