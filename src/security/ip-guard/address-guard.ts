/**
 * The connector address policy, ML Commons' `MLValidatableAsyncHttpClient.validateIp`: restricted
 * patterns first (always enforced), then the private-address check unless private IPs are enabled.
 * Every resolved address is checked; one bad address refuses the host.
 */
import { illegalArgument, type OpenSearchError } from '../../errors/opensearch-error.js';
import { formatIp, formatIpLikeJava, parseIpLiteral, type IpAddress } from './ip-literal.js';
import { embeddedIpv4, isPrivateAddress } from './ip-ranges.js';

/** What a caller may reach, compiled once per settings change. */
export interface AddressPolicy {
  readonly allowPrivateIps: boolean;
  /** Full-match regexes (Java `Pattern.matches`) on the resolved address text. */
  readonly restrictedIpPatterns: readonly RegExp[];
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

/** 400: the host resolves to a private address. */
export const privateAddressError = (host: string): OpenSearchError =>
  illegalArgument(`Remote inference host name has private ip address: ${host}`);

/** 400: the host resolves to an address matching `restricted_ip_patterns`. */
export const restrictedAddressError = (host: string): OpenSearchError =>
  illegalArgument(`Remote inference host name has restricted ip address: ${host}`);

/** Throws unless every address of `host` is allowed by `policy`. Unparseable addresses are refused (fail closed). */
export function assertAddressesAllowed(host: string, addresses: readonly string[], policy: AddressPolicy): void {
  const parsed = addresses.map((address) => parseIpLiteral(address));
  if (policy.restrictedIpPatterns.length > 0) {
    const restricted = addresses.some((address, index) => isRestricted(address, parsed[index], policy.restrictedIpPatterns));
    if (restricted) throw restrictedAddressError(host);
  }
  if (policy.allowPrivateIps) return;
  if (parsed.some((address) => address === undefined || isPrivateAddress(address))) throw privateAddressError(host);
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
