import { describe, expect, it } from 'vitest';
import { countLines, readLines } from '../../src/cli/ingest/ndjson-lines.js';

async function* chunks(...parts: string[]): AsyncGenerator<Buffer> {
  for (const part of parts) yield Buffer.from(part);
}

async function all(parts: string[], from?: { line: number; offset: number }) {
  const lines = [];
  for await (const line of readLines(chunks(...parts), from)) lines.push(line);
  return lines;
}

describe('NDJSON lines', () => {
  it('numbers lines and counts bytes across chunk boundaries, multi-byte characters included', async () => {
    expect(await all(['{"a":1}\n{"b":', '"é"}\n', '{"c":3}'])).toEqual([
      { text: '{"a":1}', number: 1, end: 8 },
      { text: '{"b":"é"}', number: 2, end: 19 },
      { text: '{"c":3}', number: 3, end: 26 },
    ]);
  });

  it('skips blank lines (they still count) and drops \\r of CRLF endings', async () => {
    expect(await all(['{"a":1}\r\n\r\n  \n{"b":2}\n'])).toEqual([
      { text: '{"a":1}', number: 1, end: 9 },
      { text: '{"b":2}', number: 4, end: 22 },
    ]);
  });

  it('continues a resumed input from its line and offset', async () => {
    expect(await all(['{"z":26}\n'], { line: 41, offset: 1000 })).toEqual([{ text: '{"z":26}', number: 42, end: 1009 }]);
  });

  it.each([
    [['a\nb\n'], 2],
    [['a\nb'], 2],
    [['a\n', 'b\nc'], 3],
    [[''], 0],
  ])('counts the lines of %j', async (parts, count) => {
    expect(await countLines(chunks(...parts))).toBe(count);
  });
});
