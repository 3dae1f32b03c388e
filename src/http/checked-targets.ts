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
  private readonly policies = new WeakMap<readonly string[], Map<string, CheckedPolicy>>();

  /**
   * The policy for these settings values (compiled once per patterns array); `privateEndpointUntrusted`:
   * the URL matches none of `trusted_connector_private_endpoints_regex` while that is set.
   */
  policy(allowPrivateIps: boolean, restrictedIpPatterns: readonly string[], privateEndpointUntrusted = false): CheckedPolicy {
    let bySlot = this.policies.get(restrictedIpPatterns);
    if (bySlot === undefined) this.policies.set(restrictedIpPatterns, (bySlot = new Map()));
    const slot = `${allowPrivateIps}|${privateEndpointUntrusted}`;
    let policy = bySlot.get(slot);
    if (policy === undefined) {
      policy = {
        addressPolicy: { allowPrivateIps, restrictedIpPatterns: compileRestrictedPatterns(restrictedIpPatterns), privateEndpointUntrusted },
        // The pool's lookup enforces the address policy it was made with: calls under another policy get another pool.
        fingerprint: `${slot}|${restrictedIpPatterns.join('\u0000')}`,
        targets: new Map(),
      };
      bySlot.set(slot, policy);
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
