import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../helpers/test-app.js';
import { testStoreKind } from '../helpers/test-store.js';

describe('the store the route suites run on', () => {
  it('should be the backend of the project running them (the cluster-store project runs them again on the cluster store)', async () => {
    const test = await buildTestApp();
    expect(test.store.kind).toBe(process.env['SIDECAR_TEST_STORE'] === 'cluster' ? 'cluster' : 'sqlite');
    expect(test.store.kind).toBe(testStoreKind);
    const created = await test.call('POST', '/_plugins/_ml/model_groups/_register', { name: 'on-either-store' });
    expect(created.status).toBe(200);
    expect((await test.store.list('.plugins-ml-model-group')).map((record) => record.source['name'])).toEqual(['on-either-store']);
  });
});
