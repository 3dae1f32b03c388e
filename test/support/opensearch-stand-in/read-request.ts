/**
 * Reading an incoming HTTP request into a `StandInRequest` (body decompressed when the client
 * gzipped or deflated it, as OpenSearch's HTTP layer does), and the Content-Type check OpenSearch
 * applies to every request with a body.
 */
import type { IncomingMessage } from 'node:http';
import { gunzipSync, inflateSync } from 'node:zlib';
import type { StandInRequest } from './handler.js';
import { unsupportedContentType, type Reply } from './responses.js';

const ACCEPTED_MEDIA_TYPES = new Set([
  'application/json',
  'application/x-ndjson',
  'application/vnd.opensearch+json',
  'application/vnd.opensearch+x-ndjson',
  'application/vnd.elasticsearch+json',
  'application/vnd.elasticsearch+x-ndjson',
]);

function readBody(message: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    message.on('data', (chunk: Buffer) => chunks.push(chunk));
    message.on('end', () => resolve(Buffer.concat(chunks)));
    message.on('error', reject);
  });
}

function decode(raw: Buffer, encoding: string | undefined): Buffer {
  if (encoding === 'gzip') return gunzipSync(raw);
  if (encoding === 'deflate') return inflateSync(raw);
  return raw;
}

/** Reads the whole request; throws when a compressed body does not decompress. */
export async function readRequest(message: IncomingMessage): Promise<StandInRequest> {
  const raw = await readBody(message);
  const uri = message.url ?? '/';
  const url = new URL(uri, 'http://stand-in.invalid');
  return {
    method: (message.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    uri,
    query: url.searchParams,
    headers: message.headers,
    body: decode(raw, message.headers['content-encoding']).toString('utf8'),
    remoteAddress: `${message.socket.remoteAddress ?? '127.0.0.1'}:${message.socket.remotePort ?? 0}`,
  };
}

/** OpenSearch's 406 when a request has a body but no usable Content-Type; null when fine. */
export function checkContentType(request: StandInRequest): Reply | null {
  if (request.body === '') return null;
  const header = request.headers['content-type'];
  if (header === undefined) return unsupportedContentType(undefined);
  const mediaType = header.split(';')[0]?.trim().toLowerCase() ?? '';
  return ACCEPTED_MEDIA_TYPES.has(mediaType) ? null : unsupportedContentType(header);
}
