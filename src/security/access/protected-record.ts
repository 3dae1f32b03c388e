/**
 * The access fields ML Commons keeps on model groups and standalone connectors, and the body fields
 * that set them (the input says `access_mode`, the stored record says `access`).
 */
import type { StoredOwner } from '../identity/owner.js';

/** ML Commons' `AccessMode` values. */
export type AccessMode = 'public' | 'private' | 'restricted';

/** The stored access fields; all absent on a record created while access control was off. */
export interface ProtectedRecord {
  readonly owner?: StoredOwner | undefined;
  readonly access?: AccessMode | undefined;
  readonly backend_roles?: readonly string[] | undefined;
}

/** The access fields of a create, register or update body. */
export interface AccessFieldsInput {
  readonly access_mode?: AccessMode | undefined;
  readonly backend_roles?: readonly string[] | undefined;
  readonly add_all_backend_roles?: boolean | undefined;
}

/** The access a new or updated record gets; `backend_roles` is stored only when non-empty. */
export interface ResolvedAccess {
  readonly access: AccessMode;
  readonly backend_roles: readonly string[];
}

/** Whether two role lists share a role. */
export const sharesRole = (left: readonly string[], right: readonly string[]): boolean =>
  left.some((role) => right.includes(role));

/** Whether `held` contains every role of `named`. */
export const holdsAll = (held: readonly string[], named: readonly string[]): boolean =>
  named.every((role) => held.includes(role));

/** Whether the list is missing or empty (ML Commons' `CollectionUtils.isEmpty`). */
export const isEmpty = (roles: readonly string[] | undefined): boolean => roles === undefined || roles.length === 0;
