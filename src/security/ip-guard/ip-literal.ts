/**
 * IP literal parsing. Hosts reach the transport already normalised by WHATWG `new URL()`, but the
 * settings layer and the resolver hand over raw strings, so every spelling a URL parser or
 * `inet_aton` accepts is understood here too: decimal `2130706433`, hex `0x7f000001`, octal
 * `0177.0.0.1`, short forms `127.1`, mixed `0x7f.1`, bracketed IPv6 with an IPv4 tail or a zone.
 */

/** A parsed address: 4 bytes for IPv4, 16 for IPv6, network order. */
export interface IpAddress {
  readonly family: 4 | 6;
  readonly bytes: Uint8Array;
}

const DECIMAL = /^[0-9]+$/;
const OCTAL = /^0[0-7]*$/;
const HEX = /^0x[0-9a-f]*$/i;
const HEX_GROUP = /^[0-9a-f]{1,4}$/i;

/** Parses `host` as an IP literal in any spelling; `undefined` means it is a name to resolve. */
export function parseIpLiteral(host: string): IpAddress | undefined {
  if (host.startsWith('[')) return host.endsWith(']') ? parseIpv6(host.slice(1, -1)) : undefined;
  if (host.includes(':')) return parseIpv6(host);
  return parseIpv4(host);
}

/** WHATWG's IPv4 parser (also glibc's `inet_aton`): 1–4 parts, the last one fills the remaining bytes. */
function parseIpv4(host: string): IpAddress | undefined {
  const text = host.endsWith('.') ? host.slice(0, -1) : host;
  if (text === '') return undefined;
  const parts = text.split('.');
  if (parts.length > 4) return undefined;
  const numbers: number[] = [];
  for (const part of parts) {
    const value = parseIpv4Number(part);
    if (value === undefined) return undefined;
    numbers.push(value);
  }
  const last = numbers.pop() as number;
  if (numbers.some((value) => value > 255)) return undefined;
  if (last >= 256 ** (4 - numbers.length)) return undefined;
  let value = last;
  numbers.forEach((part, index) => (value += part * 256 ** (3 - index)));
  const bytes = new Uint8Array([value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255]);
  return { family: 4, bytes };
}

function parseIpv4Number(part: string): number | undefined {
  if (part === '') return undefined;
  // "0x" alone is 0 for WHATWG; parseInt('', 16) would be NaN.
  if (HEX.test(part)) return part.length === 2 ? 0 : Number.parseInt(part.slice(2), 16);
  if (part.length > 1 && OCTAL.test(part)) return Number.parseInt(part.slice(1), 8);
  if (DECIMAL.test(part) && !(part.length > 1 && part.startsWith('0'))) return Number.parseInt(part, 10);
  return undefined;
}

function parseIpv6(text: string): IpAddress | undefined {
  // A zone id (`fe80::1%eth0`) names an interface, not part of the address.
  const zone = text.indexOf('%');
  const address = zone >= 0 ? text.slice(0, zone) : text;
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0] ?? '', halves.length === 1);
  const tail = halves.length === 2 ? parseGroups(halves[1] ?? '', true) : [];
  if (head === undefined || tail === undefined) return undefined;
  const total = head.length + tail.length;
  if (halves.length === 1 ? total !== 8 : total > 7) return undefined;
  const groups = [...head, ...new Array<number>(8 - total).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  groups.forEach((group, index) => {
    bytes[index * 2] = group >>> 8;
    bytes[index * 2 + 1] = group & 255;
  });
  return { family: 6, bytes };
}

/** Hex groups of one side of `::`; a dotted IPv4 is allowed as the very last part of the address. */
function parseGroups(text: string, mayEndWithIpv4: boolean): number[] | undefined {
  if (text === '') return [];
  const parts = text.split(':');
  const groups: number[] = [];
  for (const [index, part] of parts.entries()) {
    if (mayEndWithIpv4 && index === parts.length - 1 && part.includes('.')) {
      const ipv4 = parseDottedQuad(part);
      if (ipv4 === undefined) return undefined;
      groups.push(((ipv4[0] ?? 0) << 8) | (ipv4[1] ?? 0), ((ipv4[2] ?? 0) << 8) | (ipv4[3] ?? 0));
    } else if (HEX_GROUP.test(part)) {
      groups.push(Number.parseInt(part, 16));
    } else {
      return undefined;
    }
  }
  return groups;
}

/** Inside IPv6 only the strict four-part decimal form is valid (RFC 4291, WHATWG). */
function parseDottedQuad(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const values = parts.map((part) => (DECIMAL.test(part) && part.length <= 3 ? Number(part) : 256));
  return values.every((value) => value <= 255) ? values : undefined;
}

/** The canonical text: dotted quad, or RFC 5952 compressed lower-case IPv6. */
export function formatIp(address: IpAddress): string {
  if (address.family === 4) return address.bytes.join('.');
  const groups = ipv6Groups(address);
  let bestStart = -1;
  let bestLength = 1; // a single zero group is never compressed (RFC 5952 §4.2.2)
  for (let start = 0; start < 8; ) {
    let end = start;
    while (end < 8 && groups[end] === 0) end++;
    if (end - start > bestLength) [bestStart, bestLength] = [start, end - start];
    start = end === start ? start + 1 : end;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** Java's `InetAddress.getHostAddress()` text (uncompressed IPv6), which ML Commons' patterns were written against. */
export function formatIpLikeJava(address: IpAddress): string {
  return address.family === 4 ? formatIp(address) : ipv6Groups(address).map((group) => group.toString(16)).join(':');
}

function ipv6Groups(address: IpAddress): number[] {
  const groups: number[] = [];
  for (let index = 0; index < 16; index += 2) groups.push(((address.bytes[index] ?? 0) << 8) | (address.bytes[index + 1] ?? 0));
  return groups;
}
