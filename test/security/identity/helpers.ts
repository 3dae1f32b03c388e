/** Shared test doubles for the identity tests: headers, a clock, a counting authinfo fake. */
import type { FetchAuthInfo } from '../../../src/security/identity/cluster-authenticator.js';
import type { HeaderReader } from '../../../src/security/identity/identity.js';
import type { ScryptParameters } from '../../../src/security/identity/password-hash.js';
import type { Clock } from '../../../src/util/clock.js';

/** Headers holding only `authorization` (absent when undefined). */
export const withAuthorization = (value: string | undefined): HeaderReader => ({
  get: (name) => (name.toLowerCase() === 'authorization' ? value : undefined),
});

/** `Basic base64(name:password)`. */
export const basic = (name: string, password: string): string =>
  `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}`;

/** A clock that moves only when told to. */
export function fakeClock(start = 1_700_000_000_000): Clock & { advance(milliseconds: number): void } {
  let time = start;
  const advance = (milliseconds: number): void => void (time += milliseconds);
  return { now: () => time, advance, sleep: async (milliseconds) => advance(milliseconds) };
}

/** Cheap scrypt parameters, so tests hash in milliseconds. */
export const FAST_SCRYPT: ScryptParameters = { cost: 1024, blockSize: 8, parallelization: 1 };

/** The authinfo body the security plugin answers for a user. */
export const authInfoBody = (name: string, backendRoles: string[], roles: string[]) => ({
  user: `User [name=${name}, backend_roles=[${backendRoles.join(', ')}], requestedTenant=null]`,
  user_name: name,
  user_requested_tenant: null,
  remote_address: '127.0.0.1:50000',
  backend_roles: backendRoles,
  custom_attribute_names: [],
  roles,
  tenants: { global_tenant: true },
  principal: null,
  peer_certificates: '0',
  sso_logout_url: null,
});

/** A fake cluster: answers by header from `answers` (401 otherwise) and records every call. */
export function countingAuthInfo(
  answers: Record<string, { status: number; body: unknown }>,
): FetchAuthInfo & { calls: string[] } {
  const calls: string[] = [];
  const fetchAuthInfo = async (authorization: string) => {
    calls.push(authorization);
    return answers[authorization] ?? { status: 401, body: 'Unauthorized' };
  };
  return Object.assign(fetchAuthInfo, { calls });
}
