/** How the access fields are written into a record, in ML Commons' field order and omissions. */
import type { CallerIdentity } from '../identity/identity.js';
import { ownerFromIdentity, type StoredOwner } from '../identity/owner.js';
import type { AccessMode, ResolvedAccess } from './protected-record.js';

/** The stored fields: `backend_roles` only when non-empty (ML Commons omits an empty list), then `owner`, then `access`. */
export function storedAccessFields(
  access: ResolvedAccess,
  owner: CallerIdentity,
): { backend_roles?: string[]; owner: StoredOwner; access: AccessMode } {
  return {
    ...(access.backend_roles.length > 0 ? { backend_roles: [...access.backend_roles] } : {}),
    owner: ownerFromIdentity(owner),
    access: access.access,
  };
}
