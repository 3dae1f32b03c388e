import { describe, expect, it } from 'vitest';
import {
  canUse,
  resolveConnectorUpdateAccess,
  updatedGroupAccess,
  type ProtectedRecord,
} from '../../../src/security/access/index.js';
import type { CallerIdentity } from '../../../src/security/identity/index.js';
import { ownerFromIdentity } from '../../../src/security/identity/owner.js';

const user = (name: string, backendRoles: string[] = [], isAdmin = false): CallerIdentity => ({
  name,
  backendRoles,
  roles: isAdmin ? ['all_access'] : [],
  isAdmin,
});
const alice = user('alice', ['ml-team']);
const owned = (fields: Omit<ProtectedRecord, 'owner'>): ProtectedRecord => ({ owner: ownerFromIdentity(alice), ...fields });

describe('canUse', () => {
  it.each([
    ['an ownerless record, whatever its access', { access: 'private' }, user('x'), true],
    ['an owned record without access mode', owned({}), user('x', ['ml-team']), false],
    ['a restricted record without roles, even to its owner', owned({ access: 'restricted' }), alice, false],
    ['a restricted record to its owner without the role', owned({ access: 'restricted', backend_roles: ['finance'] }), alice, false],
    ['a restricted record to a holder of one role', owned({ access: 'restricted', backend_roles: ['a', 'finance'] }), user('x', ['finance']), true],
    ['a private record to another user with the same name casing changed', owned({ access: 'private' }), user('Alice', ['ml-team']), false],
    ['anything to an admin', owned({ access: 'private' }), user('root', [], true), true],
  ] as Array<[string, ProtectedRecord, CallerIdentity, boolean]>)('%s → %s', (_case, record, caller, expected) => {
    expect(canUse(caller, record)).toBe(expected);
  });
});

describe('updatedGroupAccess', () => {
  it.each([
    ['a mode other than restricted clears the roles', { access_mode: 'public' }, { access: 'public', backend_roles: [] }],
    ['roles alone make it restricted', { backend_roles: ['b'] }, { access: 'restricted', backend_roles: ['b'] }],
    ['add-all takes the caller roles', { add_all_backend_roles: true }, { access: 'restricted', backend_roles: ['ml-team'] }],
    ['no access field keeps everything', {}, { access: 'restricted', backend_roles: ['ml-team'] }],
  ] as const)('%s', (_case, input, expected) => {
    expect(updatedGroupAccess(owned({ access: 'restricted', backend_roles: ['ml-team'] }), input, alice)).toEqual(expected);
  });
});

describe('resolveConnectorUpdateAccess', () => {
  it('should keep the current roles when restricted is restated without roles, and ignore a body without access fields', () => {
    const connector = owned({ access: 'restricted', backend_roles: ['ml-team'] });
    expect(resolveConnectorUpdateAccess(connector, { access_mode: 'restricted' }, alice)).toEqual({ access: 'restricted', backend_roles: ['ml-team'] });
    expect(resolveConnectorUpdateAccess(connector, {}, user('x'))).toBeUndefined();
    expect(() => resolveConnectorUpdateAccess(connector, { access_mode: 'public' }, user('x', ['ml-team']))).toThrow(
      'Only owner or admin can update access control data.',
    );
  });
});
