import { describe, expect, it } from 'vitest';
import { encodeEventStreamMessage } from '../../../fixtures/emulator/streaming/event-stream-encoder.js';
import { decodeEventStream } from '../../../src/connectors/streaming/event-stream-decoder.js';

/** AWS's published event stream test vectors (aws-sdk-js-v3 eventstream-marshaller TestVectors). */
const VECTORS = {
  empty_message: [0, 0, 0, 16, 0, 0, 0, 0, 5, 194, 72, 235, 125, 152, 200, 255],
  int32_header: [
    0, 0, 0, 45, 0, 0, 0, 16, 65, 196, 36, 184, 10, 101, 118, 101, 110, 116, 45, 116, 121, 112, 101, 4, 0, 0, 160, 12, 123, 39, 102, 111, 111, 39, 58, 39,
    98, 97, 114, 39, 125, 54, 244, 128, 160,
  ],
  payload_one_str_header: [
    0, 0, 0, 61, 0, 0, 0, 32, 7, 253, 131, 150, 12, 99, 111, 110, 116, 101, 110, 116, 45, 116, 121, 112, 101, 7, 0, 16, 97, 112, 112, 108, 105, 99, 97,
    116, 105, 111, 110, 47, 106, 115, 111, 110, 123, 39, 102, 111, 111, 39, 58, 39, 98, 97, 114, 39, 125, 141, 156, 8, 177,
  ],
};

async function* chunks(...parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* parts;
}

const decodeAll = async (...parts: Uint8Array[]) => {
  const messages = [];
  for await (const message of decodeEventStream(chunks(...parts))) messages.push({ headers: message.headers, payload: message.payload.toString('utf8') });
  return messages;
};

describe('decodeEventStream', () => {
  it('should decode AWS\'s test vectors', async () => {
    expect(await decodeAll(Uint8Array.from(VECTORS.empty_message))).toEqual([{ headers: {}, payload: '' }]);
    expect(await decodeAll(Uint8Array.from(VECTORS.int32_header))).toEqual([{ headers: { 'event-type': 40972 }, payload: "{'foo':'bar'}" }]);
    expect(await decodeAll(Uint8Array.from(VECTORS.payload_one_str_header))).toEqual([{ headers: { 'content-type': 'application/json' }, payload: "{'foo':'bar'}" }]);
  });

  it('should encode like AWS in the emulator (string headers)', () => {
    expect([...encodeEventStreamMessage({ 'content-type': 'application/json' }, Buffer.from("{'foo':'bar'}"))]).toEqual(VECTORS.payload_one_str_header);
  });

  it('should decode messages however the bytes are split', async () => {
    const stream = Buffer.concat([
      encodeEventStreamMessage({ ':event-type': 'contentBlockDelta' }, Buffer.from('{"delta":{"text":"Hé"}}')),
      encodeEventStreamMessage({ ':event-type': 'messageStop' }, Buffer.from('{}')),
    ]);
    const expected = [
      { headers: { ':event-type': 'contentBlockDelta' }, payload: '{"delta":{"text":"Hé"}}' },
      { headers: { ':event-type': 'messageStop' }, payload: '{}' },
    ];
    for (let split = 1; split < stream.length; split++) {
      expect(await decodeAll(stream.subarray(0, split), stream.subarray(split))).toEqual(expected);
    }
    expect(await decodeAll(...[...stream].map((byte) => Uint8Array.of(byte)))).toEqual(expected);
  });

  it.each([
    ['a corrupt prelude', (bytes: Buffer) => bytes.writeUInt8(bytes.readUInt8(9) ^ 1, 9), 'prelude checksum mismatch'],
    ['a corrupt payload', (bytes: Buffer) => bytes.writeUInt8(bytes.readUInt8(bytes.length - 6) ^ 1, bytes.length - 6), 'message checksum mismatch'],
  ])('should refuse %s with a 502', async (_name, corrupt, problem) => {
    const bytes = Buffer.from(VECTORS.payload_one_str_header);
    corrupt(bytes);
    await expect(decodeAll(bytes)).rejects.toMatchObject({ status: 502, reason: `Invalid AWS event stream from the remote model: ${problem}` });
  });

  it('should refuse a stream that ends inside a message', async () => {
    await expect(decodeAll(Uint8Array.from(VECTORS.int32_header.slice(0, 20)))).rejects.toMatchObject({
      status: 502,
      reason: 'Invalid AWS event stream from the remote model: the stream ended in the middle of a message',
    });
  });
});
