import type { CallerIdentity } from './identity.js';

/** The `owner` ML Commons stores on connectors, model groups and models (its `User` as XContent). */
export interface StoredOwner {
  name: string;
  backend_roles: string[];
  roles: string[];
  custom_attribute_names: string[];
  user_requested_tenant: string | null;
}

/** The owner record for a caller; with security off there is no caller and ML Commons stores no owner. */
export function ownerFromIdentity(identity: CallerIdentity): StoredOwner;
export function ownerFromIdentity(identity: CallerIdentity | undefined): StoredOwner | undefined;
export function ownerFromIdentity(identity: CallerIdentity | undefined): StoredOwner | undefined {
  if (identity === undefined) return undefined;
  return {
    name: identity.name,
    backend_roles: [...identity.backendRoles],
    roles: [...identity.roles],
    custom_attribute_names: [],
    user_requested_tenant: null,
  };
}
