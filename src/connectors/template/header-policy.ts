import { illegalArgument } from '../../errors/opensearch-error.js';

/**
 * Headers that must never take a value from request parameters (ML Commons 3.7): a caller who can
 * set parameters must not be able to swap the credential, spoof client addresses or retarget the
 * host. These may only use `${credential.*}`.
 */
export const SENSITIVE_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'x-api-key',
  'x-auth-token',
  'x-auth-header',
  'x-forwarded-for',
  'x-real-ip',
  'x-client-ip',
  'cf-connecting-ip',
  'true-client-ip',
  'x-originating-ip',
  'host',
  'x-forwarded-host',
  'x-forwarded-server',
  'forwarded',
]);

const PARAMETER_PLACEHOLDER = '${parameters.';

/** Rejects `${parameters.*}` in a security-sensitive header, with ML Commons' message. */
export function assertHeaderTemplatesAllowed(headers: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(headers)) {
    if (SENSITIVE_HEADERS.has(name.toLowerCase()) && value.includes(PARAMETER_PLACEHOLDER)) {
      throw illegalArgument(
        `Header '${name}' cannot use \${parameters.*} placeholders for security reasons. Use \${credential.*} instead.`,
      );
    }
  }
}
