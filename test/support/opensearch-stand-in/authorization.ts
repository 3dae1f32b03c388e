/**
 * The security plugin's authorisation, as far as the stand-in plays it: a user with a
 * `permissions` list may call only what it grants. Cluster actions (and the composite `_bulk`,
 * `_mget`, `_msearch`, which the plugin treats as cluster actions) need a cluster permission;
 * index actions need every listed action on every target index. A denial is the plugin's 403
 * `security_exception` naming the missing actions and the user. Users without a list may do
 * anything, as before authorisation existed.
 */
import { expandActions, wildcardMatches } from './action-groups.js';
import { OpenSearchFailure } from './responses.js';
import type { StandInUser } from './security.js';

/** Checks a request's actions; each method throws the plugin's 403 when denied. */
export interface AccessCheck {
  requireCluster(action: string): void;
  requireIndex(actions: readonly string[], indices: readonly string[]): void;
}

const ALLOW_ALL: AccessCheck = { requireCluster: () => undefined, requireIndex: () => undefined };

/** `User [name=…, backend_roles=[…], requestedTenant=null]`: the plugin's `User.toString`. */
export const describeUser = (user: StandInUser): string =>
  `User [name=${user.name}, backend_roles=[${user.backendRoles.join(', ')}], requestedTenant=null]`;

/** The plugin's 403 for `missing` actions. */
export function forbidden(missing: readonly string[], user: StandInUser): OpenSearchFailure {
  return new OpenSearchFailure(403, {
    type: 'security_exception',
    reason: `no permissions for [${missing.join(', ')}] and ${describeUser(user)}`,
  });
}

const allows = (patterns: readonly string[], action: string): boolean =>
  patterns.some((pattern) => wildcardMatches(pattern, action));

/** The access check of `user` (allow-all without security or without a permission list). */
export function accessFor(user: StandInUser | null): AccessCheck {
  const permissions = user?.permissions;
  if (user === null || permissions === undefined) return ALLOW_ALL;
  const cluster = expandActions(permissions.cluster ?? []);
  const indices = (permissions.indices ?? []).map((entry) => ({
    patterns: entry.patterns,
    actions: expandActions(entry.actions),
  }));
  const allowedOn = (action: string, index: string): boolean =>
    indices.some(
      (entry) =>
        entry.patterns.some((pattern) => wildcardMatches(pattern, index)) &&
        allows(entry.actions, action),
    );
  return {
    requireCluster(action) {
      if (!allows(cluster, action)) throw forbidden([action], user);
    },
    requireIndex(actions, targets) {
      const missing = actions.filter((action) => !targets.every((i) => allowedOn(action, i)));
      if (missing.length > 0) throw forbidden(missing, user);
    },
  };
}
