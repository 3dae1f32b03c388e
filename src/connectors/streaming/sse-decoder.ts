/**
 * Server-sent events read incrementally from a byte stream (WHATWG HTML "event stream
 * interpretation"): lines end in LF, CRLF or CR; `data:` lines of one event are joined with LF; a
 * blank line dispatches; comments and unknown fields are skipped. Only the current line and event
 * are held, so a long answer never accumulates.
 */
import { statusException } from '../../errors/opensearch-error.js';

/** One dispatched event. */
export interface ServerSentEvent {
  readonly event: string | undefined;
  readonly data: string;
}

const LINE_BREAK = /\r\n?|\n/g;

/** Largest event accepted: a provider that never ends an event must not grow memory without bound. */
export const MAX_EVENT_CHARS = 8 * 1024 * 1024;

export async function* decodeServerSentEvents(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  let event: string | undefined;
  let data: string[] = [];
  let size = 0;
  let skipLeadingLf = false;
  const takeLine = function* (line: string): Generator<ServerSentEvent> {
    if (line === '') {
      if (data.length > 0) yield { event, data: data.join('\n') };
      event = undefined;
      data = [];
      size = 0;
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + (line[colon + 1] === ' ' ? 2 : 1));
    if (field === 'data') {
      size += value.length;
      if (size > MAX_EVENT_CHARS) throw tooLarge();
      data.push(value);
    } else if (field === 'event') {
      event = value;
    }
  };
  for await (const chunk of chunks) {
    // The text kept from earlier chunks holds no line break: only the new text is scanned.
    const scanFrom = pending.length;
    pending += decoder.decode(chunk, { stream: true });
    if (skipLeadingLf && pending.startsWith('\n')) pending = pending.slice(1);
    skipLeadingLf = false;
    LINE_BREAK.lastIndex = scanFrom;
    let start = 0;
    for (let found = LINE_BREAK.exec(pending); found !== null; found = LINE_BREAK.exec(pending)) {
      yield* takeLine(pending.slice(start, found.index));
      // A CR ending the chunk may be the first half of a CRLF split across chunks.
      if (found[0] === '\r' && found.index + 1 === pending.length) skipLeadingLf = true;
      start = found.index + found[0].length;
    }
    pending = pending.slice(start);
    if (pending.length > MAX_EVENT_CHARS) throw tooLarge();
  }
  pending += decoder.decode();
  if (pending !== '') yield* takeLine(pending);
  // A stream that ends without a blank line drops its unfinished event, as browsers do.
}

const tooLarge = () => statusException(502, `The remote model sent a stream event larger than ${MAX_EVENT_CHARS} characters`);
