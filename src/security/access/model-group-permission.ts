/** The extra rules ML Commons applies when a model group is updated (`TransportUpdateModelGroupAction`). */
import type { CallerIdentity } from '../identity/identity.js';
import { isOwner } from './record-permission.js';
import { sharesRole, type ProtectedRecord } from './protected-record.js';

/** `isUserHasBackendRole`: a public group anyone may update, a private one only its owner, a restricted one its role holders. */
export function holdsGroupRole(caller: CallerIdentity, group: ProtectedRecord): boolean {
  if (group.access === 'public') return true;
  if (group.access === 'private') return false;
  return sharesRole(caller.backendRoles, group.backend_roles ?? []);
}

/** `isOwnerStillHasPermission`: an owner who lost a restricted group's roles may no longer update it. */
export function ownerStillHasPermission(caller: CallerIdentity, group: ProtectedRecord): boolean {
  switch (group.access) {
    case 'public':
      return true;
    case 'private':
      return isOwner(group.owner, caller);
    case 'restricted':
      return sharesRole(caller.backendRoles, group.backend_roles ?? []);
    default:
      return false;
  }
}
