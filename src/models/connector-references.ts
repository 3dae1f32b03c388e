/**
 * Which models use a connector, read straight from the store. ConnectorService needs this to refuse
 * deleting a connector in use, and models need ConnectorService: a lookup over the store
 * (not the model service) breaks that cycle, so the dependency can be a constructor argument.
 */
import type { ConnectorReferences } from '../connectors/connector-service.js';
import type { Store } from '../store/store.js';
import { MODEL_INDEX, type ModelRecord } from './model-record.js';

/** The references lookup over the models stored in `store`. */
export function storedConnectorReferences(store: Store): ConnectorReferences {
  return {
    modelsUsing: async (connectorId) =>
      (await store.list<ModelRecord>(MODEL_INDEX)).filter((model) => model.source.connector_id === connectorId).map((model) => model.id),
  };
}
