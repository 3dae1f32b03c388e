import { describe, expect, it } from 'vitest';
import { decodeServerSentEvents, MAX_EVENT_CHARS } from '../../../src/connectors/streaming/sse-decoder.js';

async function* chunks(...parts: Array<string | Uint8Array>): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield typeof part === 'string' ? new TextEncoder().encode(part) : part;
}

const decodeAll = async (...parts: Array<string | Uint8Array>) => {
  const events = [];
  for await (const event of decodeServerSentEvents(chunks(...parts))) events.push(event);
  return events;
};

describe('decodeServerSentEvents', () => {
  it.each([
    ['LF', 'data: a\n\ndata: b\n\n'],
    ['CRLF', 'data: a\r\n\r\ndata: b\r\n\r\n'],
    ['CR', 'data: a\r\rdata: b\r\r'],
  ])('should split events on %s line ends', async (_name, text) => {
    expect(await decodeAll(text)).toEqual([{ event: undefined, data: 'a' }, { event: undefined, data: 'b' }]);
  });

  it('should join data lines, keep event names, skip comments and unknown fields, and drop an unfinished event', async () => {
    const text = ': keep-alive\nevent: content-delta\ndata: {"a":\ndata:1}\nid: 7\nretry: 10\n\nevent: ignored-without-data\n\ndata: unfinished';
    expect(await decodeAll(text)).toEqual([{ event: 'content-delta', data: '{"a":\n1}' }]);
  });

  it('should decode events split anywhere, a multi-byte character and a CRLF included', async () => {
    const bytes = new TextEncoder().encode('data: héllo 😀\r\n\r\ndata: [DONE]\r\n\r\n');
    for (let split = 1; split < bytes.length; split++) {
      expect(await decodeAll(bytes.subarray(0, split), bytes.subarray(split))).toEqual([
        { event: undefined, data: 'héllo 😀' },
        { event: undefined, data: '[DONE]' },
      ]);
    }
  });

  it('should refuse an event larger than the limit instead of buffering it', async () => {
    const line = 'x'.repeat(1024 * 1024);
    const endless = async function* () {
      yield new TextEncoder().encode('data: ');
      for (let index = 0; index <= MAX_EVENT_CHARS / line.length; index++) yield new TextEncoder().encode(line);
    };
    const reading = (async () => {
      for await (const event of decodeServerSentEvents(endless())) void event;
    })();
    await expect(reading).rejects.toMatchObject({ status: 502 });
  });
});
