/**
 * URL checks remembered per address policy. `checkOutboundUrl` is a pure function of the URL and
 * the policy (hosts that need DNS are checked when the pool connects), and a connector calls the
 * same few URLs over and over, so each URL is parsed and checked once per policy. The policy is
 * known by the identity of its settings values (`restricted_ip_patterns` is one array until the
 * setting changes); URLs that fail are never remembered, so their 400 comes every time.
 */
import { compileRestrictedPatterns, type AddressPolicy } from '../security/ip-guard/index.js';
import { checkOutboundUrl, type OutboundTarget } from './url-checks.js';

/** Most URLs remembered per policy; past that the memory starts over. */
const MAX_TARGETS = 256;

/** One address policy, compiled, with the URLs it has passed. */
export interface CheckedPolicy {
  readonly addressPolicy: AddressPolicy;
  /** Distinguishes pools built under different policies. */
  readonly fingerprint: string;
  readonly targets: Map<string, OutboundTarget>;
}

/** The compiled policies, by the settings values they come from. */
export class CheckedTargets {
  private readonly policies = new WeakMap<readonly string[], { allowed?: CheckedPolicy; refused?: CheckedPolicy }>();

  /** The policy for these settings values (compiled once per patterns array). */
  policy(allowPrivateIps: boolean, restrictedIpPatterns: readonly string[]): CheckedPolicy {
    let byPrivate = this.policies.get(restrictedIpPatterns);
    if (byPrivate === undefined) this.policies.set(restrictedIpPatterns, (byPrivate = {}));
    const slot = allowPrivateIps ? 'allowed' : 'refused';
    let policy = byPrivate[slot];
    if (policy === undefined) {
      policy = {
        addressPolicy: { allowPrivateIps, restrictedIpPatterns: compileRestrictedPatterns(restrictedIpPatterns) },
        fingerprint: `${allowPrivateIps}|${restrictedIpPatterns.join('\u0000')}`,
        targets: new Map(),
      };
      byPrivate[slot] = policy;
    }
    return policy;
  }

  /** `url` checked under `policy` (throws the check's 400 when it fails). */
  target(policy: CheckedPolicy, url: string): OutboundTarget {
    let target = policy.targets.get(url);
    if (target === undefined) {
      target = checkOutboundUrl(url, policy.addressPolicy);
      if (policy.targets.size >= MAX_TARGETS) policy.targets.clear();
      policy.targets.set(url, target);
    }
    return target;
  }
}
