/**
 * The security plugin's slice the stand-in plays: HTTP Basic authentication against a fixed
 * user list (a failure is the plugin's 401 `Unauthorized` with its Basic challenge) and
 * `GET|POST /_plugins/_security/authinfo`. A user given `permissions` is authorised as the
 * plugin's roles would (authorization.ts); one without may call any endpoint.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Handler } from './handler.js';
import { jsonReply, noHandler, type Reply } from './responses.js';

/** What roles grant: cluster actions, and actions on index patterns (names, patterns or groups). */
export interface StandInPermissions {
  /** e.g. `['cluster_composite_ops', 'cluster:monitor/health']`. */
  readonly cluster?: readonly string[];
  /** e.g. `[{ patterns: ['.ml-sidecar-*'], actions: ['crud', 'create_index'] }]`. */
  readonly indices?: ReadonlyArray<{
    readonly patterns: readonly string[];
    readonly actions: readonly string[];
  }>;
}

/** A user the stand-in's security plugin knows. */
export interface StandInUser {
  readonly name: string;
  readonly password: string;
  readonly backendRoles: readonly string[];
  readonly roles: readonly string[];
  /** The union of the user's roles; absent, the user may do anything. */
  readonly permissions?: StandInPermissions;
}

/** The challenge OpenSearch security sends with every 401. */
export const BASIC_CHALLENGE = 'Basic realm="OpenSearch Security"';

/** The security plugin's 401. */
export const unauthorized = (): Reply => ({
  status: 401,
  headers: { 'WWW-Authenticate': BASIC_CHALLENGE },
  text: 'Unauthorized',
});

function sameText(left: string, right: string): boolean {
  const a = Buffer.from(left);
  const b = Buffer.from(right);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The user whose HTTP Basic credentials `headers` carry, or null. */
export function authenticate(
  headers: IncomingHttpHeaders,
  users: readonly StandInUser[],
): StandInUser | null {
  const header = headers.authorization;
  if (header === undefined) return null;
  const match = /^Basic\s+(\S+)\s*$/i.exec(header);
  if (match === null || match[1] === undefined) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return null;
  const name = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  return users.find((user) => user.name === name && sameText(user.password, password)) ?? null;
}

/** `GET|POST /_plugins/_security/authinfo`: absent (no handler) when security is off. */
export const authInfo: Handler = ({ request, user }) => {
  if (user === null) return noHandler(request.uri, request.method);
  return jsonReply(200, {
    user: `User [name=${user.name}, backend_roles=[${user.backendRoles.join(', ')}], requestedTenant=null]`,
    user_name: user.name,
    user_requested_tenant: null,
    remote_address: request.remoteAddress,
    backend_roles: [...user.backendRoles],
    custom_attribute_names: [],
    roles: [...user.roles],
    tenants: { global_tenant: true, [user.name]: true },
    principal: null,
    peer_certificates: '0',
    sso_logout_url: null,
  });
};
