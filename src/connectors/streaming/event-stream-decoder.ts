/**
 * AWS event stream messages (`application/vnd.amazon.eventstream`, Bedrock's streaming answers)
 * read incrementally: a 12-byte prelude (total length, headers length, prelude CRC32), headers,
 * payload and a message CRC32, both checksums verified. Only the message being read is buffered.
 * https://docs.aws.amazon.com/transcribe/latest/dg/streaming-setting-up.html#streaming-event-stream
 */
import { crc32 } from 'node:zlib';
import { statusException } from '../../errors/opensearch-error.js';

/** One message: its headers (strings, booleans, numbers as AWS types them) and payload. */
export interface EventStreamMessage {
  readonly headers: Readonly<Record<string, string | number | boolean>>;
  readonly payload: Buffer;
}

const PRELUDE = 12;
const CHECKSUM = 4;
/** AWS caps a message at 16 MiB. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export async function* decodeEventStream(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<EventStreamMessage> {
  let buffered = Buffer.alloc(0);
  for await (const chunk of chunks) {
    buffered = buffered.length === 0 ? Buffer.from(chunk) : Buffer.concat([buffered, chunk]);
    while (buffered.length >= PRELUDE) {
      const total = buffered.readUInt32BE(0);
      if (buffered.readUInt32BE(8) !== crc32(buffered.subarray(0, 8))) throw invalid('prelude checksum mismatch');
      if (total < PRELUDE + CHECKSUM || total > MAX_MESSAGE_BYTES) throw invalid(`message length ${total} out of range`);
      if (buffered.length < total) break;
      const message = buffered.subarray(0, total);
      buffered = buffered.subarray(total);
      if (message.readUInt32BE(total - CHECKSUM) !== crc32(message.subarray(0, total - CHECKSUM))) throw invalid('message checksum mismatch');
      const headersLength = message.readUInt32BE(4);
      if (PRELUDE + headersLength > total - CHECKSUM) throw invalid('headers longer than the message');
      yield {
        headers: readHeaders(message.subarray(PRELUDE, PRELUDE + headersLength)),
        payload: Buffer.from(message.subarray(PRELUDE + headersLength, total - CHECKSUM)),
      };
    }
  }
  if (buffered.length > 0) throw invalid('the stream ended in the middle of a message');
}

/** Header values by type byte: 0/1 booleans, 2-5 integers, 6 bytes, 7 string, 8 timestamp, 9 UUID. */
function readHeaders(bytes: Buffer): Record<string, string | number | boolean> {
  const headers: Record<string, string | number | boolean> = {};
  let offset = 0;
  while (offset < bytes.length) {
    const nameLength = bytes.readUInt8(offset);
    const name = bytes.toString('utf8', offset + 1, offset + 1 + nameLength);
    offset += 1 + nameLength;
    const type = bytes.readUInt8(offset++);
    switch (type) {
      case 0:
      case 1:
        headers[name] = type === 0;
        break;
      case 2:
        headers[name] = bytes.readInt8(offset);
        offset += 1;
        break;
      case 3:
        headers[name] = bytes.readInt16BE(offset);
        offset += 2;
        break;
      case 4:
        headers[name] = bytes.readInt32BE(offset);
        offset += 4;
        break;
      case 5:
      case 8:
        headers[name] = Number(bytes.readBigInt64BE(offset));
        offset += 8;
        break;
      case 6:
      case 7: {
        const length = bytes.readUInt16BE(offset);
        headers[name] = bytes.toString(type === 7 ? 'utf8' : 'base64', offset + 2, offset + 2 + length);
        offset += 2 + length;
        break;
      }
      case 9:
        headers[name] = bytes.toString('hex', offset, offset + 16);
        offset += 16;
        break;
      default:
        throw invalid(`unknown header type ${type}`);
    }
  }
  return headers;
}

const invalid = (problem: string) => statusException(502, `Invalid AWS event stream from the remote model: ${problem}`);
