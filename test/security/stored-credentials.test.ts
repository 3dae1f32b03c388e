import { describe, expect, it } from 'vitest';
import { countRecordsWithCredentials } from '../../src/security/stored-credentials.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';

const CONNECTORS = '.plugins-ml-connector';
const MODELS = '.plugins-ml-model';

describe('countRecordsWithCredentials', () => {
  it('should be 0 for an empty store and for records without credentials', async () => {
    const store = new SqliteStore(':memory:');
    expect(await countRecordsWithCredentials(store)).toBe(0);
    await store.write([
      { op: 'create', collection: 'settings', id: 'persistent', source: { 'plugins.ml_commons.only_run_on_ml_node': false } },
      { op: 'create', collection: CONNECTORS, id: 'bare', source: { name: 'no key', credential: {} } },
      { op: 'create', collection: MODELS, id: 'by-reference', source: { name: 'm', connector_id: 'bare' } },
    ]);
    expect(await countRecordsWithCredentials(store)).toBe(0);
  });

  it('should count connectors and models with inline connectors that hold credentials', async () => {
    const store = new SqliteStore(':memory:');
    await store.write([
      { op: 'create', collection: CONNECTORS, id: 'c1', source: { name: 'openai', credential: { openAI_key: 'v2:abcd:AAAA' } } },
      { op: 'create', collection: MODELS, id: 'm1', source: { name: 'inline', connector: { name: 'x', credential: { key: 'v2:abcd:BBBB' } } } },
      { op: 'create', collection: MODELS, id: 'm2', source: { name: 'by-reference', connector_id: 'c1' } },
    ]);
    expect(await countRecordsWithCredentials(store)).toBe(2);
  });
});
