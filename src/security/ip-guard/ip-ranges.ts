/**
 * Which addresses a connector may not reach unless private IPs are enabled. Wider than ML Commons
 * (which relies on Java's `isSiteLocal`/`isLoopback`/`isAnyLocal` and so misses IPv6 ULA, link-local
 * and CGNAT): every range that leads back into the host, the cluster network or the cloud metadata
 * service counts, and IPv6 forms that embed an IPv4 address are judged by that address.
 */
import { parseIpLiteral, type IpAddress } from './ip-literal.js';

interface Range {
  readonly bytes: Uint8Array;
  readonly prefix: number;
  readonly label: string;
}

function range(cidr: string, label: string): Range {
  const [text = '', prefix = ''] = cidr.split('/');
  const parsed = parseIpLiteral(text);
  if (parsed === undefined) throw new Error(`bad range ${cidr}`);
  return { bytes: parsed.bytes, prefix: Number(prefix), label };
}

const IPV4_RANGES: readonly Range[] = [
  range('0.0.0.0/8', 'unspecified'),
  range('10.0.0.0/8', 'private'),
  range('100.64.0.0/10', 'carrier-grade NAT'),
  range('127.0.0.0/8', 'loopback'),
  range('169.254.0.0/16', 'link-local'),
  range('172.16.0.0/12', 'private'),
  range('192.168.0.0/16', 'private'),
  range('224.0.0.0/4', 'multicast'),
  range('240.0.0.0/4', 'reserved or broadcast'),
];

const IPV6_RANGES: readonly Range[] = [
  range('::/128', 'unspecified'),
  range('::1/128', 'loopback'),
  range('64:ff9b:1::/48', 'local-use NAT64'),
  range('100::/64', 'discard-only'),
  range('fc00::/7', 'unique-local'),
  range('fe80::/10', 'link-local'),
  range('fec0::/10', 'site-local'),
  range('ff00::/8', 'multicast'),
];

/** IPv6 prefixes whose IPv4 address sits in the last 32 bits. */
const EMBEDDING_LAST_32_BITS: readonly Range[] = [
  range('::ffff:0:0/96', 'IPv4-mapped'),
  range('::ffff:0:0:0/96', 'IPv4-translated'),
  range('64:ff9b::/96', 'NAT64'),
  range('::/96', 'IPv4-compatible'),
];
const SIX_TO_FOUR = range('2002::/16', '6to4');

function inRange(bytes: Uint8Array, candidate: Range): boolean {
  const fullBytes = candidate.prefix >>> 3;
  for (let index = 0; index < fullBytes; index++) if (bytes[index] !== candidate.bytes[index]) return false;
  const remainingBits = candidate.prefix & 7;
  if (remainingBits === 0) return true;
  const mask = (0xff << (8 - remainingBits)) & 0xff;
  return ((bytes[fullBytes] ?? 0) & mask) === ((candidate.bytes[fullBytes] ?? 0) & mask);
}

/** The IPv4 address an IPv6 address carries (mapped, translated, NAT64, compatible, 6to4), if any. */
export function embeddedIpv4(address: IpAddress): IpAddress | undefined {
  if (address.family === 4) return undefined;
  // :: and ::1 are inside ::/96 but are IPv6 addresses in their own right.
  if (IPV6_RANGES.slice(0, 2).some((candidate) => inRange(address.bytes, candidate))) return undefined;
  if (EMBEDDING_LAST_32_BITS.some((candidate) => inRange(address.bytes, candidate))) {
    return { family: 4, bytes: address.bytes.slice(12, 16) };
  }
  if (inRange(address.bytes, SIX_TO_FOUR)) return { family: 4, bytes: address.bytes.slice(2, 6) };
  return undefined;
}

/** Why `address` is non-public (`loopback`, `IPv4-mapped loopback`, ...), or `undefined` when it is public. */
export function classifyAddress(address: IpAddress): string | undefined {
  const ranges = address.family === 4 ? IPV4_RANGES : IPV6_RANGES;
  const direct = ranges.find((candidate) => inRange(address.bytes, candidate));
  if (direct) return direct.label;
  const embedded = embeddedIpv4(address);
  if (embedded === undefined) return undefined;
  const inner = classifyAddress(embedded);
  if (inner === undefined) return undefined;
  const carrier = [...EMBEDDING_LAST_32_BITS, SIX_TO_FOUR].find((candidate) => inRange(address.bytes, candidate));
  return `${carrier?.label ?? 'embedded'} ${inner}`;
}

/** True for loopback, private, CGNAT, link-local, unique/site-local, unspecified, multicast and broadcast addresses in any spelling. */
export function isPrivateAddress(address: string | IpAddress): boolean {
  const parsed = typeof address === 'string' ? parseIpLiteral(address) : address;
  return parsed !== undefined && classifyAddress(parsed) !== undefined;
}
