/**
 * The access a standalone connector gets when created (`TransportCreateConnectorAction.validateRequest4AccessControl`,
 * ML Commons' messages and order) and when an update changes it. Only called while connector
 * access control is in force.
 */
import { illegalArgument } from '../../errors/opensearch-error.js';
import type { CallerIdentity } from '../identity/identity.js';
import { holdsAll, isEmpty, type AccessFieldsInput, type AccessMode, type ProtectedRecord, type ResolvedAccess } from './protected-record.js';
import { changesAccess } from './model-group-access-rules.js';
import { isOwner } from './record-permission.js';

/**
 * The access of a new connector. As the 2.9 connector page says, one of `backend_roles`,
 * `add_all_backend_roles` or `access_mode` is required (ML Commons' code would default to private).
 */
export function resolveConnectorCreateAccess(input: AccessFieldsInput, caller: CallerIdentity): ResolvedAccess {
  if (!changesAccess(input)) {
    throw illegalArgument(
      'You must specify backend_roles, add_all_backend_roles or access_mode to create a connector while connector access control is enabled.',
    );
  }
  if (caller.isAdmin && input.add_all_backend_roles === true) throw illegalArgument("Admin can't add all backend roles");
  return checkedAccess(defaultMode(input) ?? 'private', input, caller);
}

/**
 * The access after an update that changes it, or `undefined` when it does not. ML Commons lets
 * anyone who may use the connector replace its access fields unchecked; here only the owner or an
 * admin may, and the result must pass the create checks.
 */
export function resolveConnectorUpdateAccess(
  current: ProtectedRecord,
  input: AccessFieldsInput,
  caller: CallerIdentity,
): ResolvedAccess | undefined {
  if (!changesAccess(input)) return undefined;
  if (!caller.isAdmin && !isOwner(current.owner, caller)) {
    throw illegalArgument('Only owner or admin can update access control data.');
  }
  if (caller.isAdmin && input.add_all_backend_roles === true) throw illegalArgument("Admin can't add all backend roles");
  const mode = defaultMode(input) ?? current.access ?? 'private';
  if (mode === 'restricted' && isEmpty(input.backend_roles) && input.add_all_backend_roles !== true) {
    // Re-stating `restricted` without roles keeps the connector's current roles.
    return checkedAccess(mode, { ...input, backend_roles: current.backend_roles }, caller);
  }
  return checkedAccess(mode, input, caller);
}

/** `restricted` when roles or add-all are given without a mode; the explicit mode otherwise. */
function defaultMode(input: AccessFieldsInput): AccessMode | undefined {
  if (input.access_mode !== undefined) return input.access_mode;
  return !isEmpty(input.backend_roles) || input.add_all_backend_roles === true ? 'restricted' : undefined;
}

function checkedAccess(mode: AccessMode, input: AccessFieldsInput, caller: CallerIdentity): ResolvedAccess {
  const addAll = input.add_all_backend_roles === true;
  const roles = input.backend_roles ?? [];
  if (mode !== 'restricted') {
    if (!isEmpty(roles) || addAll) {
      throw illegalArgument('You can specify backend roles only for a connector with the restricted access mode.');
    }
    return { access: mode, backend_roles: [] };
  }
  if (addAll) {
    if (!isEmpty(roles)) throw illegalArgument("You can't specify backend roles and add all backend roles to true at same time.");
    if (isEmpty(caller.backendRoles)) throw illegalArgument('You must have at least one backend role to create a connector.');
    return { access: 'restricted', backend_roles: [...caller.backendRoles] };
  }
  if (isEmpty(roles)) {
    throw illegalArgument('You must specify at least one backend role or make the connector public/private for registering it.');
  }
  if (!caller.isAdmin && !holdsAll(caller.backendRoles, roles)) throw illegalArgument("You don't have the backend roles specified.");
  return { access: 'restricted', backend_roles: [...roles] };
}
