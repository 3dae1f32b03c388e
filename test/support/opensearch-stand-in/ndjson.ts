/**
 * Splitting `_bulk` and `_msearch` bodies into lines the way OpenSearch does: every line must be
 * terminated by `\n` (a trailing `\r` is dropped), and a body whose last line is not is a 400.
 */
import { illegalArgument } from './responses.js';

/** One NDJSON line with its 1-based number. */
export interface NdjsonLine {
  readonly number: number;
  readonly text: string;
}

/** Splits `body`; `request` names the API in the unterminated-body error (`bulk`, `msearch`). */
export function splitNdjson(body: string, request: 'bulk' | 'msearch'): NdjsonLine[] {
  const parts = body.split('\n');
  const tail = parts.pop();
  if (tail !== undefined && tail !== '') {
    throw illegalArgument(`The ${request} request must be terminated by a newline [\\n]`);
  }
  return parts.map((text, i) => ({
    number: i + 1,
    text: text.endsWith('\r') ? text.slice(0, -1) : text,
  }));
}
