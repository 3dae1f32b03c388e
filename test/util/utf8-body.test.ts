import { describe, expect, it } from 'vitest';
import { decodeUtf8Body } from '../../src/util/utf8-body.js';

const bytes = (...parts: Array<string | number[]>): Buffer =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part))));

function reasonOf(body: Buffer): string {
  try {
    decodeUtf8Body(body);
  } catch (error) {
    expect(error).toMatchObject({ status: 400, type: 'json_parse_exception' });
    return (error as { reason: string }).reason;
  }
  throw new Error('the body was accepted');
}

describe('decodeUtf8Body', () => {
  it.each([
    ['ASCII', bytes('{"name": "x"}'), '{"name": "x"}'],
    ['two-, three- and four-byte characters', bytes('{"name": "é€😀"}'), '{"name": "é€😀"}'],
    ['the largest code point', bytes('"', [0xf4, 0x8f, 0xbf, 0xbf], '"'), '"\u{10ffff}"'],
    ['a byte order mark, skipped as Jackson skips it', bytes([0xef, 0xbb, 0xbf], '{}'), '{}'],
    ['an empty body', bytes(''), ''],
  ])('should decode %s', (_case, body, text) => {
    expect(decodeUtf8Body(body)).toBe(text);
  });

  it.each([
    ['a byte that cannot start a character', bytes('{"name": "ab', [0xff], 'c"}'), 1, 13, 'Invalid UTF-8 start byte 0xff'],
    ['a lone continuation byte', bytes('{"name": "', [0x80], '"}'), 1, 11, 'Invalid UTF-8 start byte 0x80'],
    ['a Latin-1 é', bytes('{"name": "caf', [0xe9], '"}'), 1, 14, 'Invalid UTF-8 middle byte 0x22'],
    ['an overlong slash', bytes('{"a": "', [0xc0, 0xaf], '"}'), 1, 8, 'Invalid UTF-8 start byte 0xc0'],
    ['an encoded surrogate', bytes('{"a": "', [0xed, 0xa0, 0x80], '"}'), 1, 8, 'Invalid UTF-8 middle byte 0xa0'],
    ['a code point past U+10FFFF', bytes('["', [0xf4, 0x90, 0x80, 0x80], '"]'), 1, 3, 'Invalid UTF-8 middle byte 0x90'],
    ['a character cut short by the end', bytes('{"a": "', [0xe2, 0x82]), 1, 8, 'Unexpected end-of-input in the middle of a UTF-8 character'],
    ['a bad byte on line 3 after emoji', bytes('{\n"a": "😀",\n"b": "😀', [0xfe], '"}'), 3, 8, 'Invalid UTF-8 start byte 0xfe'],
    ['a bad byte in a key', bytes('{"k', [0xc3, 0x28], '": 1}'), 1, 4, 'Invalid UTF-8 middle byte 0x28'],
  ])('should refuse %s with a 400 saying where', (_case, body, line, column, problem) => {
    expect(reasonOf(body)).toBe(`Failed to parse request body at line ${line}, column ${column}: ${problem}`);
    expect(Buffer.from(body.toString('utf8'), 'utf8').equals(body)).toBe(false);
  });

  it('should not quote the body, which can carry a credential', () => {
    const reason = reasonOf(bytes('{"credential": {"openAI_key": "sk-proj-Zq81x', [0xff], '"}}'));
    expect(reason).not.toContain('Zq81x');
  });
});
