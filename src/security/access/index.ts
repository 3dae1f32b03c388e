/**
 * Access control as ML Commons applies it, as pure functions over records and identities: who may
 * use a model group or a connector, the access a new record gets, what an update may change, and
 * ML Commons' messages for every refusal.
 */
export {
  holdsAll,
  isEmpty,
  sharesRole,
  type AccessFieldsInput,
  type AccessMode,
  type ProtectedRecord,
  type ResolvedAccess,
} from './protected-record.js';
export { canUse, isOwner } from './record-permission.js';
export { holdsGroupRole, ownerStillHasPermission } from './model-group-permission.js';
export {
  assertGroupUpdateAllowed,
  changesAccess,
  resolveGroupRegisterAccess,
  updatedGroupAccess,
} from './model-group-access-rules.js';
export { resolveConnectorCreateAccess, resolveConnectorUpdateAccess } from './connector-access-rules.js';
export { assertNoConnectorAccessFields, assertNoModelAccessFields, enforcedCaller } from './access-control-off.js';
export * as denials from './access-denials.js';
export { storedAccessFields } from './stored-access.js';
