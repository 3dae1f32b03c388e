/**
 * Who may use a model group (and so its models) or a standalone connector. ML Commons has one
 * helper for each (`ModelAccessControlHelper.validateModelGroupAccess`,
 * `ConnectorAccessControlHelper.hasPermission`); their rules are the same.
 */
import type { CallerIdentity } from '../identity/identity.js';
import type { StoredOwner } from '../identity/owner.js';
import { sharesRole, type ProtectedRecord } from './protected-record.js';

/** Whether the caller is the record's owner (by name, as ML Commons compares). */
export const isOwner = (owner: StoredOwner | undefined, caller: CallerIdentity): boolean =>
  owner !== undefined && owner.name === caller.name;

/**
 * Admin; a record without owner (created while access control was off: "previously public");
 * public; private to its owner; restricted to holders of one of its backend roles (the owner
 * included only through a role).
 */
export function canUse(caller: CallerIdentity, record: ProtectedRecord): boolean {
  if (caller.isAdmin || record.owner === undefined) return true;
  switch (record.access) {
    case 'public':
      return true;
    case 'private':
      return isOwner(record.owner, caller);
    case 'restricted':
      return sharesRole(caller.backendRoles, record.backend_roles ?? []);
    default:
      // ML Commons never answers for an owned record without an access mode; refusing is the safe reading.
      return false;
  }
}
