import { isUtf8 } from 'node:buffer';
import { jsonParseError, type OpenSearchError } from '../errors/opensearch-error.js';

const BYTE_ORDER_MARK = [0xef, 0xbb, 0xbf];
const LINE_FEED = 0x0a;

/**
 * Decodes a request body (JSON, or the NDJSON of `_bulk` and `_msearch`) as UTF-8. Bytes that are
 * not UTF-8 are refused as OpenSearch's parser (Jackson) refuses them, a 400 `json_parse_exception`
 * naming the byte (`Invalid UTF-8 start byte 0xff`), instead of becoming U+FFFD and being stored. A
 * leading byte order mark is skipped, as Jackson skips it. The reason says where, never what is around.
 */
export function decodeUtf8Body(bytes: Buffer): string {
  const start = hasByteOrderMark(bytes) ? BYTE_ORDER_MARK.length : 0;
  const body = bytes.subarray(start);
  if (isUtf8(body)) return body.toString('utf8');
  throw invalidUtf8(body);
}

function hasByteOrderMark(bytes: Buffer): boolean {
  return bytes.length >= 3 && BYTE_ORDER_MARK.every((byte, index) => bytes[index] === byte);
}

function invalidUtf8(bytes: Buffer): OpenSearchError {
  const { offset, problem } = firstInvalidSequence(bytes);
  const lineStart = bytes.lastIndexOf(LINE_FEED, offset - 1) + 1;
  let line = 1;
  for (let at = bytes.indexOf(LINE_FEED); at !== -1 && at < lineStart; at = bytes.indexOf(LINE_FEED, at + 1)) line++;
  // Columns count characters, as the other parse errors do; everything before the offset is valid.
  const column = [...bytes.subarray(lineStart, offset).toString('utf8')].length + 1;
  return jsonParseError(`Failed to parse request body at line ${line}, column ${column}: ${problem}`);
}

/**
 * The first character that breaks UTF-8 (RFC 3629, Unicode's table of well-formed sequences) and
 * the byte at fault, named in Jackson's words: a byte that cannot begin a character is an invalid
 * start byte, one that cannot continue the character under way an invalid middle byte. Overlong
 * forms, surrogates and code points past U+10FFFF are refused, where Jackson lets some through.
 */
function firstInvalidSequence(bytes: Buffer): { offset: number; problem: string } {
  for (let offset = 0; offset < bytes.length; ) {
    const lead = bytes[offset]!;
    if (lead < 0x80) {
      offset++;
      continue;
    }
    const sequence = SEQUENCES.find(({ leads }) => lead >= leads[0] && lead <= leads[1]);
    if (sequence === undefined) return { offset, problem: `Invalid UTF-8 start byte ${hex(lead)}` };
    for (const [index, [low, high]] of sequence.continuations.entries()) {
      const at = offset + 1 + index;
      if (at >= bytes.length) return { offset, problem: 'Unexpected end-of-input in the middle of a UTF-8 character' };
      if (bytes[at]! < low || bytes[at]! > high) return { offset, problem: `Invalid UTF-8 middle byte ${hex(bytes[at]!)}` };
    }
    offset += 1 + sequence.continuations.length;
  }
  // Unreachable when `isUtf8` refused the bytes; kept total for safety.
  return { offset: bytes.length, problem: 'Invalid UTF-8' };
}

type ByteRange = readonly [number, number];
const CONTINUATION: ByteRange = [0x80, 0xbf];

/** Unicode 15, table 3-7: the lead byte ranges and the ranges each following byte must fall in. */
const SEQUENCES: ReadonlyArray<{ leads: ByteRange; continuations: readonly ByteRange[] }> = [
  { leads: [0xc2, 0xdf], continuations: [CONTINUATION] },
  { leads: [0xe0, 0xe0], continuations: [[0xa0, 0xbf], CONTINUATION] },
  { leads: [0xe1, 0xec], continuations: [CONTINUATION, CONTINUATION] },
  { leads: [0xed, 0xed], continuations: [[0x80, 0x9f], CONTINUATION] },
  { leads: [0xee, 0xef], continuations: [CONTINUATION, CONTINUATION] },
  { leads: [0xf0, 0xf0], continuations: [[0x90, 0xbf], CONTINUATION, CONTINUATION] },
  { leads: [0xf1, 0xf3], continuations: [CONTINUATION, CONTINUATION, CONTINUATION] },
  { leads: [0xf4, 0xf4], continuations: [[0x80, 0x8f], CONTINUATION, CONTINUATION] },
];

/** Jackson's `"0x" + Integer.toHexString(byte)`. */
const hex = (byte: number): string => `0x${byte.toString(16)}`;
