/**
 * ML Commons' model group access validations, message by message, on register and on update, with
 * model access control on; and the refusal of access fields while it is off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { MODEL_GROUP_INDEX } from '../../src/models/model-group-record.js';
import { ownerFromIdentity } from '../../src/security/identity/owner.js';
import { buildTestApp } from '../helpers/test-app.js';
import { ok, startAccessApp, type AccessApp, type Caller } from './access-app.js';

let emulator: Emulator;
let app: AccessApp;
beforeAll(async () => {
  emulator = await startEmulator();
  app = await startAccessApp(emulator, { model: true });
});
afterAll(async () => {
  await app?.close();
  await emulator?.close();
});

const register = (caller: Caller, fields: Record<string, unknown>) =>
  app.as(caller)('POST', '/_plugins/_ml/model_groups/_register', { name: app.unique('group'), ...fields });

const storedGroup = async (id: string) => (await app.test.store.get(MODEL_GROUP_INDEX, id))!.source;

describe('model group register with access control on', () => {
  it.each([
    ['owner', { backend_roles: ['ml-team'], add_all_backend_roles: true }, 'You cannot specify backend roles and add all backend roles at the same time.'],
    ['owner', { access_mode: 'restricted', backend_roles: ['ml-team'], add_all_backend_roles: true }, 'You cannot specify backend roles and add all backend roles at the same time.'],
    ['owner', { access_mode: 'public', backend_roles: ['ml-team'] }, 'You can specify backend roles only for a model group with the restricted access mode.'],
    ['owner', { access_mode: 'private', add_all_backend_roles: true }, 'You can specify backend roles only for a model group with the restricted access mode.'],
    ['admin', { access_mode: 'restricted', add_all_backend_roles: true }, 'Admin users cannot add all backend roles to a model group.'],
    ['noRole', { access_mode: 'restricted', backend_roles: ['ml-team'] }, 'You must have at least one backend role to register a restricted model group.'],
    ['owner', { access_mode: 'restricted' }, 'You must specify one or more backend roles or add all backend roles to register a restricted model group.'],
    ['admin', { access_mode: 'restricted' }, 'You must specify one or more backend roles or add all backend roles to register a restricted model group.'],
    ['owner', { backend_roles: ['finance'] }, "You don't have the backend roles specified."],
    ['sameRole', { backend_roles: ['ml-team', 'finance'] }, "You don't have the backend roles specified."],
  ] as Array<[Caller, Record<string, unknown>, string]>)('as %s, %j → 400 %s', async (caller, fields, message) => {
    const before = await app.snapshot();
    const answer = await register(caller, fields);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ type: 'illegal_argument_exception', reason: message });
    expect(await app.snapshot()).toEqual(before);
  });

  it.each([
    ['owner', {}, 'private', undefined],
    ['owner', { access_mode: 'public' }, 'public', undefined],
    ['owner', { backend_roles: ['ml-team'] }, 'restricted', ['ml-team']],
    ['owner', { add_all_backend_roles: true }, 'restricted', ['ml-team']],
    ['sameRole', { add_all_backend_roles: true }, 'restricted', ['ml-team', 'search']],
    ['owner', { access_mode: 'private', add_all_backend_roles: false }, 'private', undefined],
    // An admin may name roles they do not hold.
    ['admin', { backend_roles: ['finance'] }, 'restricted', ['finance']],
  ] as Array<[Caller, Record<string, unknown>, string, string[] | undefined]>)(
    'as %s, %j → stored access %s with backend roles %j, owned by the caller',
    async (caller, fields, access, roles) => {
      const id = ok(await register(caller, fields)).model_group_id;
      const group = await storedGroup(id);
      expect(group['access']).toBe(access);
      expect(group['backend_roles']).toEqual(roles);
      const name = { owner: 'alice', sameRole: 'bob', admin: 'root' }[caller as 'owner' | 'sameRole' | 'admin'];
      expect(group['owner']).toMatchObject({ name });
      // GET answers the stored fields in ML Commons' order.
      const answer = ok(await app.as(caller)('GET', `/_plugins/_ml/model_groups/${id}`));
      expect(Object.keys(answer)).toEqual(
        ['name', 'latest_version', ...(roles ? ['backend_roles'] : []), 'owner', 'access', 'created_time', 'last_updated_time'],
      );
    },
  );
});

describe('model group update with access control on', () => {
  const update = (caller: Caller, id: string, body: Record<string, unknown>) => app.as(caller)('PUT', `/_plugins/_ml/model_groups/${id}`, body);
  const restrictedGroup = async () => ok(await register('owner', { backend_roles: ['ml-team'] })).model_group_id as string;

  it.each([
    ['sameRole', { access_mode: 'public' }, 'Only owner or admin can update access control data.'],
    ['sameRole', { backend_roles: [] }, 'Only owner or admin can update access control data.'],
    ['sameRole', { add_all_backend_roles: false }, 'Only owner or admin can update access control data.'],
    ['otherRole', { description: 'mine now' }, "You don't have permission to update this model group."],
    ['owner', { access_mode: 'public', backend_roles: ['ml-team'] }, 'You can specify backend roles only for a model group with the restricted access mode.'],
    ['owner', { access_mode: 'private', add_all_backend_roles: true }, 'You can specify backend roles only for a model group with the restricted access mode.'],
    ['admin', { add_all_backend_roles: true }, 'Admin users cannot add all backend roles to a model group.'],
    ['owner', { add_all_backend_roles: false }, 'You have to specify backend roles when add all backend roles is set to false.'],
    ['owner', { backend_roles: ['ml-team'], add_all_backend_roles: true }, 'You cannot specify backend roles and add all backend roles at the same time.'],
    ['owner', { access_mode: 'restricted', backend_roles: [] }, 'You must specify one or more backend roles or add all backend roles to register a restricted model group.'],
    // Not refused by ML Commons (it would leave a restricted group without roles): refused here.
    ['owner', { backend_roles: [] }, 'You must specify one or more backend roles or add all backend roles to register a restricted model group.'],
    ['owner', { backend_roles: ['finance'] }, "You don't have the backend roles specified."],
  ] as Array<[Caller, Record<string, unknown>, string]>)('as %s, %j → 400 %s', async (caller, body, message) => {
    const id = await restrictedGroup();
    const before = await app.snapshot();
    const answer = await update(caller, id, body);
    expect(answer.status).toBe(400);
    expect(answer.body.error.reason).toBe(message);
    expect(await app.snapshot()).toEqual(before);
  });

  it("should refuse add-all to an owner without backend roles: You don't have any backend roles.", async () => {
    const id = ok(await register('noRole', {})).model_group_id;
    const answer = await update('noRole', id, { add_all_backend_roles: true });
    expect(answer.status).toBe(400);
    expect(answer.body.error.reason).toBe("You don't have any backend roles.");
  });

  it('should refuse an owner who no longer holds a backend role of the restricted group', async () => {
    // carol owns a group restricted to a role she lost (her roles come from the users file).
    const carol = { name: 'carol', backendRoles: ['ml-team'], roles: [], isAdmin: false };
    const now = Date.now();
    await app.test.store.write([
      {
        op: 'create',
        collection: MODEL_GROUP_INDEX,
        id: 'carols-group',
        source: { name: 'carols', latest_version: 0, backend_roles: ['ml-team'], owner: ownerFromIdentity(carol), access: 'restricted', created_time: now, last_updated_time: now },
      },
    ]);
    const answer = await update('otherRole', 'carols-group', { description: 'still mine?' });
    expect(answer.status).toBe(400);
    expect(answer.body.error.reason).toBe(
      "You don't have the specified backend role to update this model group. For more information, contact your administrator.",
    );
    // The admin may, and so may a holder of the role.
    expect((await update('admin', 'carols-group', { description: 'by admin' })).status).toBe(200);
    expect((await update('sameRole', 'carols-group', { description: 'by a member' })).status).toBe(200);
  });

  it('should apply access changes as ML Commons does (mode change clears roles, roles imply restricted)', async () => {
    const id = await restrictedGroup();
    ok(await update('owner', id, { access_mode: 'public' }));
    let group = await storedGroup(id);
    expect(group).toMatchObject({ access: 'public', owner: { name: 'alice' } });
    expect(group).not.toHaveProperty('backend_roles');
    ok(await update('owner', id, { backend_roles: ['ml-team'] }));
    group = await storedGroup(id);
    expect(group).toMatchObject({ access: 'restricted', backend_roles: ['ml-team'] });
    ok(await update('owner', id, { add_all_backend_roles: true, name: app.unique('renamed') }));
    expect(await storedGroup(id)).toMatchObject({ access: 'restricted', backend_roles: ['ml-team'] });
    ok(await update('admin', id, { access_mode: 'private' }));
    expect(await storedGroup(id)).toMatchObject({ access: 'private', owner: { name: 'alice' } });
    expect((await app.as('sameRole')('GET', `/_plugins/_ml/model_groups/${id}`)).status).toBe(403);
  });

  it('should treat a group created while access control was off as open, until an admin gives it a mode', async () => {
    await app.as('admin')('PUT', '/_cluster/settings', { persistent: { 'plugins.ml_commons.model_access_control_enabled': false } });
    const id = ok(await register('owner', {})).model_group_id;
    await app.as('admin')('PUT', '/_cluster/settings', { persistent: { 'plugins.ml_commons.model_access_control_enabled': true } });
    expect(await storedGroup(id)).not.toHaveProperty('owner');
    expect((await app.as('otherRole')('GET', `/_plugins/_ml/model_groups/${id}`)).status).toBe(200);
    // Nobody owns it, so only an admin may change its access; the admin then owns it.
    expect((await update('owner', id, { access_mode: 'private' })).body.error.reason).toBe('Only owner or admin can update access control data.');
    ok(await update('admin', id, { access_mode: 'private' }));
    expect(await storedGroup(id)).toMatchObject({ access: 'private', owner: { name: 'root' } });
    expect((await app.as('otherRole')('GET', `/_plugins/_ml/model_groups/${id}`)).status).toBe(403);
  });
});

describe('model access fields with access control off', () => {
  it.each([
    ['the setting off', true],
    ['security off (no caller), the setting on', false],
  ])('should refuse them with ML Commons message: %s', async (_case, withSecurity) => {
    const message =
      'You cannot specify model access control parameters because the Security plugin or model access control is disabled on your cluster.';
    if (withSecurity) {
      await app.as('admin')('PUT', '/_cluster/settings', { persistent: { 'plugins.ml_commons.model_access_control_enabled': false } });
      try {
        const answer = await register('owner', { access_mode: 'private' });
        expect(answer.body.error.reason).toBe(message);
      } finally {
        await app.as('admin')('PUT', '/_cluster/settings', { persistent: { 'plugins.ml_commons.model_access_control_enabled': true } });
      }
      return;
    }
    const test = await buildTestApp();
    await test.call('PUT', '/_cluster/settings', { persistent: { 'plugins.ml_commons.model_access_control_enabled': true } });
    for (const body of [{ name: 'g', access_mode: 'public' }, { name: 'g', add_all_backend_roles: false }, { name: 'g', backend_roles: ['r'] }]) {
      const answer = await test.call('POST', '/_plugins/_ml/model_groups/_register', body);
      expect(answer.status).toBe(400);
      expect(answer.body.error.reason).toBe(message);
    }
    // A group made without them is public and ownerless, as ML Commons makes it.
    const id = (await test.call('POST', '/_plugins/_ml/model_groups/_register', { name: 'open' })).body.model_group_id;
    expect((await test.call('GET', `/_plugins/_ml/model_groups/${id}`)).body).not.toHaveProperty('owner');
  });
});
