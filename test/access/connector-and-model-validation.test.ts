/**
 * Connector access validations (create and update) and the model-side rules that join the two:
 * register into a group or under a name the caller may not use, access fields of a group created
 * by a register, re-linking, a new `connector_id`, undeploy with access control on, inline connectors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { CONNECTOR_INDEX } from '../../src/connectors/connector-record.js';
import { MODEL_GROUP_INDEX } from '../../src/models/model-group-record.js';
import { embeddingConnector, ok, startAccessApp, type AccessApp, type Caller } from './access-app.js';

let emulator: Emulator;
let app: AccessApp;
beforeAll(async () => {
  emulator = await startEmulator();
  app = await startAccessApp(emulator, { model: true, connector: true });
});
afterAll(async () => {
  await app?.close();
  await emulator?.close();
});

const createConnector = (caller: Caller, fields: Record<string, unknown>) =>
  app.as(caller)('POST', '/_plugins/_ml/connectors/_create', embeddingConnector(emulator, { name: app.unique('connector'), ...fields }));

describe('connector create with access control on', () => {
  it.each([
    ['owner', {}, 'You must specify backend_roles, add_all_backend_roles or access_mode to create a connector while connector access control is enabled.'],
    ['admin', { add_all_backend_roles: true }, "Admin can't add all backend roles"],
    ['owner', { access_mode: 'public', backend_roles: ['ml-team'] }, 'You can specify backend roles only for a connector with the restricted access mode.'],
    ['owner', { access_mode: 'private', add_all_backend_roles: true }, 'You can specify backend roles only for a connector with the restricted access mode.'],
    ['owner', { access_mode: 'restricted', add_all_backend_roles: true, backend_roles: ['ml-team'] }, "You can't specify backend roles and add all backend roles to true at same time."],
    ['noRole', { add_all_backend_roles: true }, 'You must have at least one backend role to create a connector.'],
    ['owner', { access_mode: 'restricted' }, 'You must specify at least one backend role or make the connector public/private for registering it.'],
    ['owner', { backend_roles: ['finance'] }, "You don't have the backend roles specified."],
  ] as Array<[Caller, Record<string, unknown>, string]>)('as %s, %j → 400 %s', async (caller, fields, message) => {
    const before = await app.snapshot();
    const answer = await createConnector(caller, fields);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ type: 'illegal_argument_exception', reason: message });
    expect(await app.snapshot()).toEqual(before);
  });

  it.each([
    ['owner', { access_mode: 'private' }, 'private', undefined],
    ['owner', { add_all_backend_roles: false }, 'private', undefined],
    ['owner', { access_mode: 'public' }, 'public', undefined],
    ['owner', { add_all_backend_roles: true }, 'restricted', ['ml-team']],
    ['sameRole', { backend_roles: ['search'] }, 'restricted', ['search']],
    ['admin', { backend_roles: ['finance'] }, 'restricted', ['finance']],
  ] as Array<[Caller, Record<string, unknown>, string, string[] | undefined]>)(
    'as %s, %j → stored access %s with backend roles %j and the caller as owner',
    async (caller, fields, access, roles) => {
      const id = ok(await createConnector(caller, fields)).connector_id;
      const stored = (await app.test.store.get(CONNECTOR_INDEX, id))!.source;
      expect(stored['access']).toBe(access);
      expect(stored['backend_roles']).toEqual(roles);
      expect(stored['owner']).toEqual({
        name: { owner: 'alice', sameRole: 'bob', admin: 'root' }[caller as 'owner' | 'sameRole' | 'admin'],
        backend_roles: { owner: ['ml-team'], sameRole: ['ml-team', 'search'], admin: [] }[caller as 'owner' | 'sameRole' | 'admin'],
        roles: caller === 'admin' ? ['all_access'] : [],
        custom_attribute_names: [],
        user_requested_tenant: null,
      });
    },
  );
});

describe('connector update of access fields', () => {
  const update = (caller: Caller, id: string, body: Record<string, unknown>) => app.as(caller)('PUT', `/_plugins/_ml/connectors/${id}`, body);

  it('should let the owner restrict and open a connector, with the create checks', async () => {
    const id = ok(await createConnector('owner', { access_mode: 'private' })).connector_id;
    expect((await update('owner', id, { backend_roles: ['finance'] })).body.error.reason).toBe("You don't have the backend roles specified.");
    ok(await update('owner', id, { backend_roles: ['ml-team'] }));
    expect((await app.test.store.get(CONNECTOR_INDEX, id))!.source).toMatchObject({ access: 'restricted', backend_roles: ['ml-team'] });
    expect((await app.as('sameRole')('GET', `/_plugins/_ml/connectors/${id}`)).status).toBe(200);
    // A member may use it but not change who else may.
    expect((await update('sameRole', id, { access_mode: 'public' })).body.error.reason).toBe('Only owner or admin can update access control data.');
    ok(await update('owner', id, { access_mode: 'public' }));
    const stored = (await app.test.store.get(CONNECTOR_INDEX, id))!.source;
    expect(stored).toMatchObject({ access: 'public', owner: { name: 'alice' } });
    expect(stored).not.toHaveProperty('backend_roles');
    expect((await app.as('noRole')('GET', `/_plugins/_ml/connectors/${id}`)).status).toBe(200);
  });

  it('should refuse access fields with access control off, with ML Commons message', async () => {
    const id = ok(await createConnector('owner', { access_mode: 'public' })).connector_id;
    await app.as('admin')('PUT', '/_cluster/settings', { persistent: { 'plugins.ml_commons.connector_access_control_enabled': false } });
    try {
      for (const body of [{ access_mode: 'private' }, { backend_roles: [] }, { add_all_backend_roles: false }]) {
        const answer = await update('owner', id, body);
        expect(answer.status).toBe(400);
        expect(answer.body.error.reason).toBe(
          'You cannot specify connector access control parameters because the Security plugin or connector access control is disabled on your cluster.',
        );
      }
      // Without access control every connector is open, owned or not.
      expect((await app.as('otherRole')('GET', `/_plugins/_ml/connectors/${id}`)).status).toBe(200);
    } finally {
      await app.as('admin')('PUT', '/_cluster/settings', { persistent: { 'plugins.ml_commons.connector_access_control_enabled': true } });
    }
  });
});

describe('models against groups and connectors the caller may not use', () => {
  let openConnector: string;
  let privateGroup: string;
  let privateGroupName: string;
  beforeAll(async () => {
    openConnector = ok(await createConnector('admin', { access_mode: 'public' })).connector_id;
    privateGroupName = app.unique('alices');
    privateGroup = ok(await app.as('owner')('POST', '/_plugins/_ml/model_groups/_register', { name: privateGroupName })).model_group_id;
  });
  const registerAs = (caller: Caller, fields: Record<string, unknown>) =>
    app.as(caller)('POST', '/_plugins/_ml/models/_register', { name: app.unique('model'), function_name: 'remote', connector_id: openConnector, ...fields });

  it.each([
    ['a group id', (): Record<string, unknown> => ({ model_group_id: privateGroup }), (): string => "You don't have permissions to perform this operation on this model."],
    [
      "a name taken by the caller's inaccessible group",
      (): Record<string, unknown> => ({ name: privateGroupName }),
      (): string => `The name {${privateGroupName}} you provided is unavailable because it is used by another model group with id {${privateGroup}} to which you do not have access. Please provide a different name.`,
    ],
  ])('should refuse a register into %s with ML Commons message, writing nothing', async (_case, fields, message) => {
    const before = await app.snapshot();
    const answer = await registerAs('sameRole', fields());
    expect(answer.status).toBe(400);
    expect(answer.body.error.reason).toBe(message());
    expect(await app.snapshot()).toEqual(before);
  });

  it('should check the group before the connector, as ML Commons does', async () => {
    const privateConnector = ok(await createConnector('owner', { access_mode: 'private' })).connector_id;
    const answer = await registerAs('sameRole', { model_group_id: privateGroup, connector_id: privateConnector });
    expect(answer.body.error.reason).toBe("You don't have permissions to perform this operation on this model.");
    const own = ok(await app.as('sameRole')('POST', '/_plugins/_ml/model_groups/_register', { name: app.unique('bobs') })).model_group_id;
    expect((await registerAs('sameRole', { model_group_id: own, connector_id: privateConnector })).body.error.reason).toBe(
      `You don't have permission to use the connector provided, connector id: ${privateConnector}`,
    );
  });

  it("should give a group created by a register the body's access fields, validated", async () => {
    const refused = await registerAs('owner', { access_mode: 'restricted' });
    expect(refused.body.error.reason).toBe(
      'You must specify one or more backend roles or add all backend roles to register a restricted model group.',
    );
    const model = ok(await registerAs('owner', { backend_roles: ['ml-team'] }));
    const stored = await app.test.store.get(MODEL_GROUP_INDEX, (ok(await app.as('owner')('GET', `/_plugins/_ml/models/${model.model_id}`))).model_group_id);
    expect(stored!.source).toMatchObject({ access: 'restricted', backend_roles: ['ml-team'], owner: { name: 'alice' } });
    // Without any, the new group is private to its owner.
    const privateModel = ok(await registerAs('owner', {})).model_id;
    expect((await app.as('sameRole')('GET', `/_plugins/_ml/models/${privateModel}`)).status).toBe(403);
  });

  it('should refuse moving a model into a group the caller may not use, and a connector the caller may not use', async () => {
    const model = ok(await registerAs('sameRole', { access_mode: 'public' })).model_id;
    const privateConnector = ok(await createConnector('owner', { access_mode: 'private' })).connector_id;
    const before = await app.snapshot();
    const moved = await app.as('sameRole')('PUT', `/_plugins/_ml/models/${model}`, { model_group_id: privateGroup });
    expect(moved.status).toBe(403);
    expect(moved.body.error.reason).toBe(
      `User Doesn't have privilege to re-link this model to the target model group due to no access to the target model group with model group ID ${privateGroup}`,
    );
    const swapped = await app.as('sameRole')('PUT', `/_plugins/_ml/models/${model}`, { connector_id: privateConnector });
    expect(swapped.status).toBe(403);
    expect(swapped.body.error.reason).toBe(`You don't have permission to update the connector, connector id: ${privateConnector}`);
    expect(await app.snapshot()).toEqual(before);
    // The connector's owner may use it (the model's group is public).
    expect((await app.as('owner')('PUT', `/_plugins/_ml/models/${model}`, { connector_id: privateConnector })).status).toBe(200);
  });

  it('should undeploy one model per request with model access control on, and only models the caller may use', async () => {
    const first = ok(await registerAs('owner', { access_mode: 'public' })).model_id;
    const second = ok(await registerAs('owner', { access_mode: 'public' })).model_id;
    const many = await app.as('admin')('POST', '/_plugins/_ml/models/_undeploy', { model_ids: [first, second] });
    expect(many.status).toBe(400);
    expect(many.body.error.reason).toBe('only support undeploy one model');
    expect(ok(await app.as('noRole')('POST', '/_plugins/_ml/models/_undeploy', { model_ids: [first] }))).toBeTypeOf('object');
    // Body ids replace the path id, and are checked.
    const privateModel = ok(await registerAs('owner', {})).model_id;
    const denied = await app.as('noRole')('POST', `/_plugins/_ml/models/${first}/_undeploy`, { model_ids: [privateModel] });
    expect(denied.status).toBe(400);
    expect(denied.body.error.reason).toBe(`No permission to undeploy model ${privateModel}`);
  });

  it("should refuse access fields on an inline connector: its model's group decides", async () => {
    const answer = await registerAs('owner', { connector_id: undefined, connector: embeddingConnector(emulator, { access_mode: 'public' }) });
    expect(answer.status).toBe(400);
    expect(answer.body.error.reason).toMatch(/^An inline connector takes no access control parameters/);
  });
});
