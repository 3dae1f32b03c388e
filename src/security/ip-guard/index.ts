/** IP literal parsing, address classification and the connector address policy, for the transport and the settings layer. */
export { parseIpLiteral, formatIp, formatIpLikeJava, type IpAddress } from './ip-literal.js';
export { classifyAddress, embeddedIpv4, isPrivateAddress } from './ip-ranges.js';
export {
  addressRefusalKind,
  assertAddressesAllowed,
  compileRestrictedPatterns,
  privateAddressError,
  restrictedAddressError,
  untrustedPrivateEndpointError,
  withRefusedUrl,
  type AddressPolicy,
} from './address-guard.js';
