import { describe, expect, it } from 'vitest';
import { buildTestApp, errorReason } from '../helpers/test-app.js';
import { openAiChatConnector } from '../helpers/connector-bodies.js';

const GROUPS = '/_plugins/_ml/model_groups';

describe('/_plugins/_ml/model_groups', () => {
  it('should register, get, update, search and delete a group', async () => {
    const { call } = await buildTestApp({ now: () => 1_000 });
    const registered = await call('POST', `${GROUPS}/_register`, { name: 'g1', description: 'first' });
    expect(registered.status).toBe(200);
    expect(registered.body).toEqual({ model_group_id: expect.any(String), status: 'CREATED' });
    const id = registered.body.model_group_id;
    expect((await call('GET', `${GROUPS}/${id}`)).body).toEqual({
      name: 'g1', latest_version: 0, description: 'first', access: 'public', created_time: 1_000, last_updated_time: 1_000,
    });
    expect((await call('PUT', `${GROUPS}/${id}`, { name: 'g2', description: 'second' })).body).toEqual({ status: 'Updated' });
    expect((await call('GET', `${GROUPS}/${id}`)).body).toMatchObject({ name: 'g2', description: 'second' });
    const found = await call('POST', `${GROUPS}/_search`, { query: { term: { 'name.keyword': 'g2' } } });
    expect(found.body.hits.hits.map((hit: any) => hit._id)).toEqual([id]);
    const deleted = await call('DELETE', `${GROUPS}/${id}`);
    expect(deleted.body).toMatchObject({ _index: '.plugins-ml-model-group', _id: id, result: 'deleted' });
    expect((await call('GET', `${GROUPS}/${id}`)).status).toBe(404);
  });

  it('should keep names unique, also after a rename, and free a name on delete', async () => {
    const { call } = await buildTestApp();
    const a = (await call('POST', `${GROUPS}/_register`, { name: 'a' })).body.model_group_id;
    const duplicate = await call('POST', `${GROUPS}/_register`, { name: 'a' });
    expect(duplicate.status).toBe(400);
    expect(errorReason(duplicate.body)).toBe(`The name you provided is already being used by a model group with ID: ${a}.`);
    const b = (await call('POST', `${GROUPS}/_register`, { name: 'b' })).body.model_group_id;
    const clash = await call('PUT', `${GROUPS}/${b}`, { name: 'a' });
    expect(clash.status).toBe(400);
    expect(errorReason(clash.body)).toBe(
      `The name you provided is already being used by another model with ID: ${a}. Please provide a different name`,
    );
    await call('PUT', `${GROUPS}/${a}`, { name: 'renamed' });
    expect((await call('POST', `${GROUPS}/_register`, { name: 'a' })).status).toBe(200);
    await call('DELETE', `${GROUPS}/${b}`);
    expect((await call('POST', `${GROUPS}/_register`, { name: 'b' })).status).toBe(200);
  });

  it('should give one of two concurrent registrations of a name the name', async () => {
    const { call } = await buildTestApp();
    const results = await Promise.all([1, 2, 3].map(() => call('POST', `${GROUPS}/_register`, { name: 'race' })));
    expect(results.map((result) => result.status).sort()).toEqual([200, 400, 400]);
  });

  it('should refuse to delete a group with models (409) and answer not_found for an unknown id', async () => {
    const { call } = await buildTestApp();
    const connector = (await call('POST', '/_plugins/_ml/connectors/_create', openAiChatConnector())).body.connector_id;
    const group = (await call('POST', `${GROUPS}/_register`, { name: 'has-models' })).body.model_group_id;
    await call('POST', '/_plugins/_ml/models/_register', {
      name: 'm', function_name: 'remote', model_group_id: group, connector_id: connector,
    });
    const refused = await call('DELETE', `${GROUPS}/${group}`);
    expect(refused.status).toBe(409);
    expect(errorReason(refused.body)).toBe('Cannot delete the model group when it has associated model versions');
    const unknown = await call('DELETE', `${GROUPS}/does-not-exist`);
    expect(unknown.status).toBe(200);
    expect(unknown.body).toMatchObject({ _id: 'does-not-exist', result: 'not_found' });
  });

  it.each([
    [{}, 'model group name must not be null'],
    [{ name: '' }, 'must NOT have fewer than 1 characters'],
    [{ name: 'x', access_mode: 'public' }, 'You cannot specify model access control parameters because the Security plugin or model access control is disabled on your cluster.'],
    [{ name: 'x', backend_roles: ['r'] }, 'You cannot specify model access control parameters'],
    [{ name: 'x', add_all_backend_roles: false }, 'You cannot specify model access control parameters'],
    [{ name: 'x', colour: 1 }, '[model_group] unknown field [colour]'],
    [{ name: 7 }, '[model_group] field [name] must be of type string'],
  ])('should refuse %j', async (body, reason) => {
    const { call } = await buildTestApp();
    const response = await call('POST', `${GROUPS}/_register`, body);
    expect(response.status).toBe(400);
    expect(errorReason(response.body)).toContain(reason);
    expect((await call('POST', `${GROUPS}/_search`, {})).body.hits.total.value).toBe(0);
  });

  it.each([
    ['GET', 404, 'Failed to find model group with the provided model group id: nope'],
    ['PUT', 404, 'Failed to find model group with the provided model group id: nope'],
  ])('should answer %s of an unknown id with %i', async (method, status, reason) => {
    const { call } = await buildTestApp();
    const response = await call(method, `${GROUPS}/nope`, method === 'PUT' ? { name: 'x' } : undefined);
    expect(response.status).toBe(status);
    expect(errorReason(response.body)).toBe(reason);
  });

  it('should answer an empty register body with ML Commons message', async () => {
    const { call } = await buildTestApp();
    const response = await call('POST', `${GROUPS}/_register`, '');
    expect(response.status).toBe(400);
    expect(errorReason(response.body)).toBe('Model group request has empty body');
  });
});
