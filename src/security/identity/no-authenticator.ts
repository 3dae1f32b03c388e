import type { Authenticator } from './identity.js';

/** Security off, as OpenSearch without its security plugin: every caller is anonymous and allowed. */
export function createNoAuthenticator(): Authenticator {
  return { kind: 'none', authenticate: () => Promise.resolve(undefined) };
}
