/**
 * The DNS step of every new connection. The pool's connector calls this instead of `dns.lookup`:
 * it resolves once, checks every address, and hands net/tls exactly the checked addresses, so a
 * second (rebinding) lookup can never pick a different one. TLS still gets the host name for SNI
 * and certificate checks because only the lookup is replaced.
 */
import { promises as dns, type LookupAddress, type LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { assertAddressesAllowed, type AddressPolicy } from '../security/ip-guard/index.js';

/** A resolved address. */
export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Resolves a host name to all its addresses. */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** The system resolver (`/etc/hosts`, then DNS), every address, in resolver order. */
export const systemResolver: Resolver = async (hostname) => {
  const addresses = await dns.lookup(hostname, { all: true, verbatim: true });
  return addresses.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
};

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `net.connect` lookup that only ever yields addresses `policy` allows. */
export function createGuardedLookup(resolve: Resolver, policy: AddressPolicy): LookupFunction {
  return (hostname: string, options: LookupOptions, callback: LookupCallback) => {
    const onResolved = (resolved: readonly ResolvedAddress[]): void => {
      let usable: readonly ResolvedAddress[];
      try {
        usable = checkedAddresses(hostname, resolved, options.family, policy);
      } catch (error) {
        callback(error as NodeJS.ErrnoException, '');
        return;
      }
      if (options.all === true) {
        callback(null, usable.map(({ address, family }) => ({ address, family })));
      } else {
        const first = usable[0] as ResolvedAddress;
        callback(null, first.address, first.family);
      }
    };
    resolve(hostname).then(onResolved, (error: NodeJS.ErrnoException) => callback(error, ''));
  };
}

/** All addresses are checked, not just those a family hint keeps: one bad address refuses the host. */
function checkedAddresses(
  hostname: string,
  resolved: readonly ResolvedAddress[],
  family: LookupOptions['family'],
  policy: AddressPolicy,
): readonly ResolvedAddress[] {
  assertAddressesAllowed(hostname, resolved.map(({ address }) => address), policy);
  const wanted = family === 4 || family === 6 ? resolved.filter((entry) => entry.family === family) : resolved;
  if (wanted.length === 0) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
  return wanted;
}
