/**
 * The one rule that keeps "security off" safe: without authentication the service only listens on
 * loopback, unless the operator says in so many words that the network in front of it is trusted.
 */
import { OpenSearchError } from '../../errors/opensearch-error.js';
import { parseIpLiteral } from '../ip-guard/index.js';
import type { AuthenticatorKind } from './identity.js';

/** Whether `host` only ever accepts connections from this machine (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const name = host.trim().toLowerCase().replace(/\.$/, '');
  if (name === 'localhost') return true;
  const address = parseIpLiteral(name);
  if (address === undefined) return false;
  const bytes = address.bytes;
  if (address.family === 4) return bytes[0] === 127;
  const allZeroUntil = (end: number) => bytes.subarray(0, end).every((byte) => byte === 0);
  if (allZeroUntil(15) && bytes[15] === 1) return true;
  // ::ffff:127.x.x.x, the IPv4-mapped spelling of a loopback address.
  return allZeroUntil(10) && bytes[10] === 0xff && bytes[11] === 0xff && bytes[12] === 127;
}

/** Refuses to start without authentication on anything but loopback, unless `ALLOW_INSECURE_BIND=true`. */
export function assertBindAllowed(options: {
  host: string;
  authenticatorKind: AuthenticatorKind;
  allowInsecureBind: boolean;
}): void {
  if (
    options.authenticatorKind !== 'none' ||
    options.allowInsecureBind ||
    isLoopbackHost(options.host)
  )
    return;
  throw new OpenSearchError({
    status: 500,
    type: 'settings_exception',
    reason:
      `refusing to listen on HOST [${options.host}] with security off: anyone who can reach it could use and change ` +
      'every connector, model and credential. Set USERS_FILE (add users with `npm run users -- add <name>`) or ' +
      'OPENSEARCH_URL to a cluster with the security plugin; or listen on loopback (HOST=127.0.0.1); or, if a trusted ' +
      'network or proxy already guards this port, set ALLOW_INSECURE_BIND=true.',
  });
}
