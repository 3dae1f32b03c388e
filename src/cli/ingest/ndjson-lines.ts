/**
 * The lines of an NDJSON stream, read as the stream delivers them (so memory stays flat whatever
 * the input's size), each with its number and the input bytes consumed up to its end: a resumed
 * run reopens a file at that offset instead of reading it again. `\r\n` endings are accepted;
 * blank lines are skipped (they still count).
 */

/** One line of the input. */
export interface InputLine {
  readonly text: string;
  /** 1-based line number in the whole input. */
  readonly number: number;
  /** Bytes of the whole input up to the end of this line (its newline included). */
  readonly end: number;
}

const NEWLINE = 0x0a;

/** Lines of `chunks`, numbered from `from.line + 1` and counted from byte `from.offset`. */
export async function* readLines(
  chunks: AsyncIterable<Buffer | string>,
  from: { readonly line: number; readonly offset: number } = { line: 0, offset: 0 },
): AsyncGenerator<InputLine> {
  let pending: Buffer = Buffer.alloc(0);
  let number = from.line;
  let consumed = from.offset;
  for await (const chunk of chunks) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const buffer = pending.length === 0 ? bytes : Buffer.concat([pending, bytes]);
    let start = 0;
    for (let newline = buffer.indexOf(NEWLINE); newline !== -1; newline = buffer.indexOf(NEWLINE, start)) {
      number++;
      consumed += newline + 1 - start;
      const text = decode(buffer, start, newline);
      start = newline + 1;
      if (text.trim() !== '') yield { text, number, end: consumed };
    }
    pending = buffer.subarray(start);
  }
  if (pending.length > 0) {
    const text = decode(pending, 0, pending.length);
    if (text.trim() !== '') yield { text, number: number + 1, end: consumed + pending.length };
  }
}

function decode(buffer: Buffer, start: number, end: number): string {
  const last = end > start && buffer[end - 1] === 0x0d ? end - 1 : end;
  return buffer.toString('utf8', start, last);
}

/** Counts the lines of a stream (for a progress total), reading it through once. */
export async function countLines(chunks: AsyncIterable<Buffer>): Promise<number> {
  let count = 0;
  let lastByte = NEWLINE;
  for await (const chunk of chunks) {
    for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, at + 1)) count++;
    if (chunk.length > 0) lastByte = chunk[chunk.length - 1]!;
  }
  return lastByte === NEWLINE ? count : count + 1;
}
