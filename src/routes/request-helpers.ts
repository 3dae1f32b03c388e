import type { Context } from 'hono';
import type { IncomingMessage } from 'node:http';
import { illegalArgument } from '../errors/opensearch-error.js';
import { parseJsonBody } from '../util/json.js';
import { decodeUtf8Body } from '../util/utf8-body.js';
import { readBody } from './read-body.js';

const MAX_ID_BYTES = 512;

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

/** The body as text: read whole within the body limits (`readBody`), and strictly UTF-8 (a 400 otherwise). */
export async function readBodyText(c: Context): Promise<string> {
  return decodeUtf8Body(await readBody(c));
}

/**
 * A request header (`name` lower-case). On a listening server it is read from node's parsed
 * headers: asking hono would build a web `Request` and its `Headers` for every request.
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming === undefined) return c.req.header(name);
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
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
