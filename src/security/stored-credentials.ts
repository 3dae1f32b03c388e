/**
 * How many stored records hold encrypted credentials: connectors, and models with an inline
 * connector. A master key may be replaced only while this is zero (nothing would be lost).
 */
import { ML_CONNECTOR_INDEX, ML_MODEL_INDEX } from '../query/ml-mappings.js';
import type { Store } from '../store/store.js';
import { isJsonObject } from '../util/json.js';

export async function countRecordsWithCredentials(store: Store): Promise<number> {
  const connectors = await store.list(ML_CONNECTOR_INDEX);
  const models = await store.list(ML_MODEL_INDEX);
  return (
    connectors.filter((record) => holdsValues(record.source['credential'])).length +
    models.filter((record) => isJsonObject(record.source['connector']) && holdsValues(record.source['connector']['credential'])).length
  );
}

const holdsValues = (credential: unknown): boolean =>
  isJsonObject(credential) && Object.values(credential).some((value) => typeof value === 'string' && value !== '');
