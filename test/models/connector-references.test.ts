/** A ConnectorService knows which models use a connector from its construction, not from later wiring. */
import { describe, expect, it } from 'vitest';
import { ConnectorService } from '../../src/connectors/connector-service.js';
import { painlessScriptFunctions } from '../../src/connectors/invoke/painless-script-functions.js';
import { storedConnectorReferences } from '../../src/models/connector-references.js';
import { MODEL_INDEX, type ModelRecord, type ModelState } from '../../src/models/model-record.js';
import { CredentialCipher } from '../../src/security/credential-cipher.js';
import { SettingsService } from '../../src/settings/settings-service.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { systemClock } from '../../src/util/clock.js';
import { openAiChatConnector } from '../helpers/connector-bodies.js';
import { TEST_MASTER_KEY } from '../helpers/test-app.js';

const model = (connectorId: string, state: ModelState): ModelRecord => ({
  name: 'm',
  model_group_id: 'g',
  algorithm: 'REMOTE',
  model_version: '1',
  model_state: state,
  created_time: 0,
  last_updated_time: 0,
  is_hidden: false,
  connector_id: connectorId,
});

/** A connector service over a fresh store, built the only way it can be: with its references. */
async function connectorService() {
  const store = new SqliteStore(':memory:');
  let next = 0;
  const connectors = new ConnectorService({
    store,
    settings: await SettingsService.load(store),
    cipher: new CredentialCipher(TEST_MASTER_KEY),
    clock: systemClock,
    newId: () => `c${++next}`,
    scripts: painlessScriptFunctions(),
    references: storedConnectorReferences(store),
  });
  const { connector_id: connectorId } = await connectors.create(openAiChatConnector(), undefined);
  const addModel = (id: string, state: ModelState) =>
    store.write([{ op: 'create', collection: MODEL_INDEX, id, source: model(connectorId, state) }]);
  return { connectors, connectorId, addModel };
}

describe('storedConnectorReferences', () => {
  it('should refuse deleting a connector a registered model uses, with no model service built', async () => {
    const { connectors, connectorId, addModel } = await connectorService();
    await addModel('model-1', 'REGISTERED');
    await expect(connectors.delete(connectorId, undefined)).rejects.toMatchObject({
      status: 409,
      reason: `1 models are still using this connector, please delete or update the models first: [model-1]`,
    });
  });

  it('should update a connector a deployed model uses (the model picks it up live, unlike ML Commons)', async () => {
    const { connectors, connectorId, addModel } = await connectorService();
    await addModel('model-1', 'DEPLOYED');
    await expect(connectors.update(connectorId, { description: 'y' }, undefined)).resolves.toMatchObject({ result: 'updated' });
  });

  it('should delete a connector no model uses', async () => {
    const { connectors, connectorId } = await connectorService();
    await expect(connectors.delete(connectorId, undefined)).resolves.toMatchObject({ result: 'deleted' });
  });
});
