/**
 * Request-header hygiene (ML Commons 3.7): no control characters (header injection through a
 * substituted `${parameters.x}`), bounded sizes. Messages name the header, never its value.
 */
import { illegalArgument } from '../errors/opensearch-error.js';

/** ML Commons' limits: one header's name plus value, and all headers together, in UTF-8 bytes. */
export const MAX_HEADER_BYTES = 8192;
export const MAX_TOTAL_HEADER_BYTES = 65536;

/** RFC 9110 token characters. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Everything below 0x20 except horizontal tab, and DEL. */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** Throws a 400 for an invalid header name, a control character in a value, or an oversized header set. */
export function checkHeaders(headers: Readonly<Record<string, string>>): void {
  let total = 0;
  for (const name in headers) {
    const value = headers[name] ?? '';
    if (!TOKEN.test(name)) throw illegalArgument('Header name is not a valid HTTP token');
    if (CONTROL.test(value)) throw illegalArgument('Header value contains invalid control character');
    const size = Buffer.byteLength(name) + Buffer.byteLength(value);
    if (size > MAX_HEADER_BYTES) {
      throw illegalArgument(`Header ${name} is too large: ${size} bytes for name and value, the limit is ${MAX_HEADER_BYTES}`);
    }
    total += size;
  }
  if (total > MAX_TOTAL_HEADER_BYTES) {
    throw illegalArgument(`Request headers are too large: ${total} bytes in total, the limit is ${MAX_TOTAL_HEADER_BYTES}`);
  }
}
