/**
 * Per-call URL checks, before any pool or socket is touched: scheme, port, and the address check
 * for IP-literal hosts (undici connects to those directly, without the guarded lookup).
 */
import { illegalArgument } from '../errors/opensearch-error.js';
import { assertAddressesAllowed, formatIp, parseIpLiteral, type AddressPolicy } from '../security/ip-guard/index.js';

/** Where a call goes, split the way a pool needs it. */
export interface OutboundTarget {
  /** `scheme://host:port`, normalised by WHATWG (so `http://2130706433` has origin `http://127.0.0.1`). */
  readonly origin: string;
  /** Path and query. */
  readonly path: string;
  readonly hostname: string;
}

const EXPLICIT_PORT = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(?:\[[^\]]*\]|[^:/?#]*):(\d+)(?:[/?#]|$)/i;

/** Parses and checks `url`; throws a 400 naming what is wrong, never echoing the URL (its query may hold a key). */
export function checkOutboundUrl(url: string, policy: AddressPolicy): OutboundTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    const port = EXPLICIT_PORT.exec(url)?.[1];
    if (port !== undefined && Number(port) > 65535) throw illegalArgument(`Port out of range: ${port}`);
    throw illegalArgument('Invalid connector URL', error);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw illegalArgument(`Protocol is not http or https: ${parsed.protocol.slice(0, -1)}`);
  }
  if (parsed.port === '0') throw illegalArgument('Port out of range: 0');
  const hostname = parsed.hostname;
  const literal = parseIpLiteral(hostname);
  if (literal !== undefined) assertAddressesAllowed(hostname, [formatIp(literal)], policy);
  return { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}`, hostname };
}
