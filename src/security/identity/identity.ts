/**
 * Who is calling: the identity every request carries once authenticated, and the contract of the
 * three identity sources (the cluster's security plugin, a users file, none).
 */

/** The authenticated caller, as ML Commons' security checks see it. */
export interface CallerIdentity {
  readonly name: string;
  readonly backendRoles: readonly string[];
  readonly roles: readonly string[];
  /** ML Commons treats a user with the `all_access` role as admin. */
  readonly isAdmin: boolean;
}

/** Anything headers can be read from (`Headers`, a Hono request, a test double). */
export interface HeaderReader {
  get(name: string): string | null | undefined;
}

/** Which identity source is in force. */
export type AuthenticatorKind = 'cluster' | 'users_file' | 'none';

/** Turns a request's headers into a caller. */
export interface Authenticator {
  readonly kind: AuthenticatorKind;
  /**
   * The caller, or `undefined` only when security is off (kind `none`). Missing or wrong
   * credentials throw a 401 `security_exception` carrying the Basic challenge.
   */
  authenticate(headers: HeaderReader): Promise<CallerIdentity | undefined>;
}

/** The role that makes a user admin for ML Commons. */
export const ADMIN_ROLE = 'all_access';

/** Whether a role list grants ML Commons admin. */
export const hasAdminRole = (roles: readonly string[]): boolean => roles.includes(ADMIN_ROLE);
