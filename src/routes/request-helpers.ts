import type { Context } from 'hono';
import type { IncomingMessage } from 'node:http';
import { illegalArgument } from '../errors/opensearch-error.js';
import { parseJsonBody } from '../util/json.js';

const MAX_ID_BYTES = 512;
const MAX_GET_BODY_BYTES = 10 * 1024 * 1024;

/**
 * The request body as JSON. An empty body is `undefined`, or a 400 with `emptyMessage` when the
 * endpoint requires one (ML Commons words this per endpoint).
 */
export async function readJson(c: Context, emptyMessage?: string): Promise<unknown> {
  const text = await readBodyText(c);
  if (text.trim() === '') {
    if (emptyMessage !== undefined) throw illegalArgument(emptyMessage);
    return undefined;
  }
  return parseJsonBody(text);
}

/**
 * The body as text. The Fetch API cannot carry a body on GET, so for GET (which OpenSearch
 * clients use for `_search` with a body) it is read from node's request stream directly.
 */
export async function readBodyText(c: Context): Promise<string> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if ((c.req.method === 'GET' || c.req.method === 'DELETE') && incoming && !incoming.readableEnded) {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of incoming as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_GET_BODY_BYTES) throw illegalArgument(`A ${c.req.method} body may not exceed ${MAX_GET_BODY_BYTES} bytes`);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }
  return c.req.text();
}

/** A path id, checked the way OpenSearch checks document ids (length) plus control characters. */
export function pathId(c: Context, name = 'id'): string {
  const id = c.req.param(name) ?? '';
  if (Buffer.byteLength(id, 'utf8') > MAX_ID_BYTES) {
    throw illegalArgument(`id [${id.slice(0, 32)}...] is too long, must be no longer than ${MAX_ID_BYTES} bytes`);
  }
  // eslint-disable-next-line no-control-regex
  if (id === '' || /[\u0000-\u001f\u007f]/.test(id)) throw illegalArgument(`Invalid id [${JSON.stringify(id)}]`);
  return id;
}

/** OpenSearch's boolean query parameters: present without a value, `true` or `false`. */
export function queryFlag(c: Context, name: string, fallback = false): boolean {
  const value = c.req.query(name);
  if (value === undefined) return fallback;
  if (value === '' || value === 'true') return true;
  if (value === 'false') return false;
  throw illegalArgument(`Failed to parse value [${value}] as only [true] or [false] are allowed.`);
}
