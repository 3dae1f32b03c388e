import { describe, expect, it } from 'vitest';
import { ownerFromIdentity } from '../../../src/security/identity/owner.js';

describe('ownerFromIdentity', () => {
  it('should give the owner ML Commons stores', () => {
    const identity = {
      name: 'alice',
      backendRoles: ['analyst'],
      roles: ['all_access'],
      isAdmin: true,
    };
    expect(ownerFromIdentity(identity)).toEqual({
      name: 'alice',
      backend_roles: ['analyst'],
      roles: ['all_access'],
      custom_attribute_names: [],
      user_requested_tenant: null,
    });
    // A copy: changing the stored owner must not change the cached identity.
    ownerFromIdentity(identity).backend_roles.push('x');
    expect(identity.backendRoles).toEqual(['analyst']);
  });

  it('should give no owner with security off', () => {
    expect(ownerFromIdentity(undefined)).toBeUndefined();
  });
});
