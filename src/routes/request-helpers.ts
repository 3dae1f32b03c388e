import type { Context } from 'hono';
import type { IncomingMessage } from 'node:http';
import { illegalArgument } from '../errors/opensearch-error.js';
import { parseJsonBody } from '../util/json.js';
import { bodyTooLarge } from './body-limit.js';

const MAX_ID_BYTES = 512;
const DEFAULT_MAX_BODY_BYTES = 100 * 1024 * 1024;

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
 * The body as text, at most `MAX_BODY_BYTES` (413 beyond). On a listening server it is read from
 * node's request stream directly: that also serves GET bodies (which OpenSearch clients send to
 * `_search` and the Fetch API cannot carry) and skips a web-stream conversion per request.
 */
export async function readBodyText(c: Context): Promise<string> {
  const maxBodyBytes = c.get('maxBodyBytes') ?? DEFAULT_MAX_BODY_BYTES;
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming && !incoming.readableEnded && !incoming.readableDidRead) {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of incoming as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBodyBytes) throw bodyTooLarge(maxBodyBytes);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }
  const text = await c.req.text();
  if (Buffer.byteLength(text, 'utf8') > maxBodyBytes) throw bodyTooLarge(maxBodyBytes);
  return text;
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
