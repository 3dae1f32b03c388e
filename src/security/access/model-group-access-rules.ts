/**
 * The access a model group gets when registered (`MLModelGroupManager.validateRequestForAccessControl`)
 * and the checks and changes of an update (`TransportUpdateModelGroupAction`), with ML Commons'
 * messages, in ML Commons' order. Only called while model access control is in force.
 */
import { illegalArgument } from '../../errors/opensearch-error.js';
import type { CallerIdentity } from '../identity/identity.js';
import { holdsGroupRole, ownerStillHasPermission } from './model-group-permission.js';
import { holdsAll, isEmpty, type AccessFieldsInput, type AccessMode, type ProtectedRecord, type ResolvedAccess } from './protected-record.js';
import { isOwner } from './record-permission.js';

const RESTRICTED_NEEDS_ROLES =
  'You must specify one or more backend roles or add all backend roles to register a restricted model group.';
const ROLES_AND_ADD_ALL = 'You cannot specify backend roles and add all backend roles at the same time.';
const ROLES_ONLY_WHEN_RESTRICTED = 'You can specify backend roles only for a model group with the restricted access mode.';
const ADMIN_ADD_ALL = 'Admin users cannot add all backend roles to a model group.';
const ROLES_NOT_HELD = "You don't have the backend roles specified.";

/** The access of a new group: restricted with roles or add-all, else private (ML Commons' defaults). */
export function resolveGroupRegisterAccess(input: AccessFieldsInput, caller: CallerIdentity): ResolvedAccess {
  const addAll = input.add_all_backend_roles === true;
  const roles = input.backend_roles ?? [];
  let mode: AccessMode | undefined = input.access_mode;
  if (mode === undefined) {
    if (!isEmpty(roles) && addAll) throw illegalArgument(ROLES_AND_ADD_ALL);
    mode = addAll || !isEmpty(roles) ? 'restricted' : 'private';
  }
  if (mode !== 'restricted') {
    if (!isEmpty(roles) || addAll) throw illegalArgument(ROLES_ONLY_WHEN_RESTRICTED);
    return { access: mode, backend_roles: [] };
  }
  if (caller.isAdmin && addAll) throw illegalArgument(ADMIN_ADD_ALL);
  if (!caller.isAdmin && isEmpty(caller.backendRoles)) {
    throw illegalArgument('You must have at least one backend role to register a restricted model group.');
  }
  if (isEmpty(roles) && !addAll) throw illegalArgument(RESTRICTED_NEEDS_ROLES);
  if (!isEmpty(roles) && addAll) throw illegalArgument(ROLES_AND_ADD_ALL);
  if (!caller.isAdmin && !addAll && !holdsAll(caller.backendRoles, roles)) throw illegalArgument(ROLES_NOT_HELD);
  return { access: 'restricted', backend_roles: addAll ? [...caller.backendRoles] : [...roles] };
}

/** Whether an update body touches access control (any of the three fields present, even empty or false). */
export const changesAccess = (input: AccessFieldsInput): boolean =>
  input.access_mode !== undefined || input.add_all_backend_roles !== undefined || input.backend_roles !== undefined;

/** Who may update the group at all, and with which access fields. Throws ML Commons' 400s. */
export function assertGroupUpdateAllowed(input: AccessFieldsInput, caller: CallerIdentity, group: ProtectedRecord): void {
  const owner = isOwner(group.owner, caller);
  if (changesAccess(input) && !owner && !caller.isAdmin) {
    throw illegalArgument('Only owner or admin can update access control data.');
  }
  if (!caller.isAdmin && !owner && !holdsGroupRole(caller, group)) {
    throw illegalArgument("You don't have permission to update this model group.");
  }
  if (owner && !caller.isAdmin && !ownerStillHasPermission(caller, group)) {
    throw illegalArgument(
      "You don't have the specified backend role to update this model group. For more information, contact your administrator.",
    );
  }
  assertUpdateFields(input, caller);
}

function assertUpdateFields(input: AccessFieldsInput, caller: CallerIdentity): void {
  const mode = input.access_mode;
  const addAll = input.add_all_backend_roles;
  const roles = input.backend_roles;
  if ((mode === 'public' || mode === 'private') && (!isEmpty(roles) || addAll === true)) {
    throw illegalArgument(ROLES_ONLY_WHEN_RESTRICTED);
  }
  if (mode === 'public' || mode === 'private') return;
  if (caller.isAdmin && addAll === true) throw illegalArgument(ADMIN_ADD_ALL);
  if (addAll === true && isEmpty(caller.backendRoles)) throw illegalArgument("You don't have any backend roles.");
  if (isEmpty(roles) && addAll === false) {
    throw illegalArgument('You have to specify backend roles when add all backend roles is set to false.');
  }
  if (!isEmpty(roles) && addAll === true) throw illegalArgument(ROLES_AND_ADD_ALL);
  // ML Commons checks this only for an explicit `restricted`; `"backend_roles": []` alone would then
  // leave a restricted group without roles (unusable), so it is refused here too.
  const becomesRestricted = mode === 'restricted' || roles !== undefined;
  if (becomesRestricted && isEmpty(roles) && addAll !== true) throw illegalArgument(RESTRICTED_NEEDS_ROLES);
  if (!caller.isAdmin && !isEmpty(roles) && !holdsAll(caller.backendRoles, roles ?? [])) throw illegalArgument(ROLES_NOT_HELD);
}

/** The group's access after an allowed update, applied in ML Commons' order. */
export function updatedGroupAccess(group: ProtectedRecord, input: AccessFieldsInput, caller: CallerIdentity): ResolvedAccess {
  let access: AccessMode = group.access ?? 'public';
  let roles: readonly string[] = group.backend_roles ?? [];
  if (input.access_mode !== undefined) {
    access = input.access_mode;
    if (access !== 'restricted') roles = [];
  } else if (input.backend_roles !== undefined || input.add_all_backend_roles === true) {
    access = 'restricted';
  }
  if (input.backend_roles !== undefined) roles = input.backend_roles;
  if (input.add_all_backend_roles === true) roles = caller.backendRoles;
  return { access, backend_roles: [...roles] };
}
