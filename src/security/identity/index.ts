/** Who is calling (cluster, users file or none), the loopback-only rule, the owner record, and TLS. */
export {
  ADMIN_ROLE,
  hasAdminRole,
  type Authenticator,
  type AuthenticatorKind,
  type CallerIdentity,
  type HeaderReader,
} from './identity.js';
export { BASIC_CHALLENGE, missingCredentials, unauthorized } from './auth-errors.js';
export {
  MAX_AUTHORIZATION_LENGTH,
  readCredentials,
  type Credentials,
} from './authorization-header.js';
export {
  createClusterAuthenticator,
  type ClusterAuthenticatorOptions,
  type FetchAuthInfo,
} from './cluster-authenticator.js';
export { createAuthInfoFetcher } from './auth-info-fetcher.js';
export { detectClusterSecurity } from './cluster-security-probe.js';
export { createUsersFileAuthenticator, fromDocument } from './users-file-authenticator.js';
export {
  parseUsersDocument,
  readUsersFile,
  serializeUsersDocument,
  type UserEntry,
  type UsersDocument,
} from './users-document.js';
export { hashPassword, DEFAULT_SCRYPT_PARAMETERS } from './password-hash.js';
export { hashApiKey } from './api-key-hash.js';
export { createNoAuthenticator } from './no-authenticator.js';
export { assertBindAllowed, isLoopbackHost } from './bind-policy.js';
export { startupNotice } from './startup-notice.js';
export { selectAuthenticator } from './select-authenticator.js';
export { ownerFromIdentity, type StoredOwner } from './owner.js';
export { currentCaller, runAsCaller } from './caller-scope.js';
export { loadTlsOptions, summarizeCertificate, type TlsServerOptions } from './tls.js';
