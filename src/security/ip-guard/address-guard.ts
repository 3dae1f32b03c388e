/**
 * The connector address policy, ML Commons' `MLValidatableAsyncHttpClient.validateIp`: restricted
 * patterns first (always enforced), then the private-address check unless private IPs are enabled,
 * then (3.7) a private host's URL against `trusted_connector_private_endpoints_regex` when set.
 * Every resolved address is checked; one bad address refuses the host.
 */
import { illegalArgument, OpenSearchError } from '../../errors/opensearch-error.js';
import { redactUrl } from '../../util/redact-url.js';
import { formatIp, formatIpLikeJava, parseIpLiteral, type IpAddress } from './ip-literal.js';
import { embeddedIpv4, isPrivateAddress } from './ip-ranges.js';

/** What a caller may reach, compiled once per settings change. */
export interface AddressPolicy {
  readonly allowPrivateIps: boolean;
  /** Full-match regexes (Java `Pattern.matches`) on the resolved address text. */
  readonly restrictedIpPatterns: readonly RegExp[];
  /**
   * `trusted_connector_private_endpoints_regex` is set and the call's URL matches none of it: a
   * private address is refused even when private IPs are allowed.
   */
  readonly privateEndpointUntrusted?: boolean;
}

const compiled = new Map<string, RegExp>();
const MAX_CACHED_PATTERNS = 1000;

/** Compiles `connector.restricted_ip_patterns` as Java full matches; cached across calls. */
export function compileRestrictedPatterns(patterns: readonly string[]): RegExp[] {
  return patterns.map((pattern) => {
    let regex = compiled.get(pattern);
    if (regex === undefined) {
      try {
        regex = new RegExp(`^(?:${pattern})$`);
      } catch (error) {
        throw illegalArgument(`Invalid restricted ip pattern: ${pattern}`, error);
      }
      if (compiled.size >= MAX_CACHED_PATTERNS) compiled.clear();
      compiled.set(pattern, regex);
    }
    return regex;
  });
}

/** What each refusal says about the setting behind it, once the URL it was for is known. */
const REFUSAL_HINTS = {
  private: 'To let connectors reach private addresses, set plugins.ml_commons.connector.private_ip_enabled to true.',
  restricted: 'The address matches plugins.ml_commons.connector.restricted_ip_patterns, which nothing overrides.',
  private_endpoint:
    'The host has a private address: to let connectors reach it, add a regex that fully matches the URL to plugins.ml_commons.trusted_connector_private_endpoints_regex.',
} as const;

/** Refusals made here; the lookup that makes them knows the host, not the URL. */
const refusals = new WeakMap<OpenSearchError, keyof typeof REFUSAL_HINTS>();

const refusal = (kind: keyof typeof REFUSAL_HINTS, reason: string): OpenSearchError => {
  const error = illegalArgument(reason);
  refusals.set(error, kind);
  return error;
};

/** 400: the host resolves to a private address. */
export const privateAddressError = (host: string): OpenSearchError =>
  refusal('private', `Remote inference host name has private ip address: ${host}`);

/** 400: the host resolves to an address matching `restricted_ip_patterns`. */
export const restrictedAddressError = (host: string): OpenSearchError =>
  refusal('restricted', `Remote inference host name has restricted ip address: ${host}`);

/** 400: the host is private and the URL matches no `trusted_connector_private_endpoints_regex` (ML Commons 3.7's message). */
export const untrustedPrivateEndpointError = (): OpenSearchError =>
  refusal('private_endpoint', 'Connector URL is not matching the trusted connector private endpoint regex');

/** Which address rule refused a call, or undefined for any other error. */
export const addressRefusalKind = (error: unknown): keyof typeof REFUSAL_HINTS | undefined =>
  error instanceof OpenSearchError ? refusals.get(error) : undefined;

/**
 * An address refusal reworded to name the URL it was for (query values redacted) and the setting
 * behind it; any other error is returned as it is.
 */
export function withRefusedUrl(error: unknown, url: string): unknown {
  const kind = error instanceof OpenSearchError ? refusals.get(error) : undefined;
  if (kind === undefined) return error;
  return illegalArgument(`${(error as OpenSearchError).reason}, URL is: ${redactUrl(url)}. ${REFUSAL_HINTS[kind]}`);
}

/** Throws unless every address of `host` is allowed by `policy`. Unparseable addresses are refused (fail closed). */
export function assertAddressesAllowed(host: string, addresses: readonly string[], policy: AddressPolicy): void {
  const parsed = addresses.map((address) => parseIpLiteral(address));
  if (policy.restrictedIpPatterns.length > 0) {
    const restricted = addresses.some((address, index) => isRestricted(address, parsed[index], policy.restrictedIpPatterns));
    if (restricted) throw restrictedAddressError(host);
  }
  if (!parsed.some((address) => address === undefined || isPrivateAddress(address))) return;
  if (!policy.allowPrivateIps) throw privateAddressError(host);
  if (policy.privateEndpointUntrusted === true) throw untrustedPrivateEndpointError();
}

/** Patterns written for Java see `0:0:0:0:0:0:0:1` and mapped addresses as IPv4; ours may use either form. */
function isRestricted(raw: string, address: IpAddress | undefined, patterns: readonly RegExp[]): boolean {
  const forms = new Set([raw]);
  if (address !== undefined) {
    forms.add(formatIp(address));
    forms.add(formatIpLikeJava(address));
    const embedded = embeddedIpv4(address);
    if (embedded !== undefined) forms.add(formatIp(embedded));
  }
  for (const form of forms) if (patterns.some((pattern) => pattern.test(form))) return true;
  return false;
}
