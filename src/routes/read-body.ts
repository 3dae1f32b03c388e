import type { Context } from 'hono';
import type { IncomingMessage } from 'node:http';
import { bodyTooLarge, type BodyLimits } from './body-limit.js';

/** For an app mounted without `limitBodySize` (never in `createApp`): the default limit, no budget. */
const DEFAULT_LIMITS: BodyLimits = { maxBodyBytes: 100 * 1024 * 1024, reservation: { growTo: () => {}, release: () => {} } };

/**
 * The request body, whole. It is counted while it arrives, chunked bodies included: past
 * `MAX_BODY_BYTES` reading stops with a 413, and a body the budget of all requests cannot hold
 * stops with a 429 (a declared `Content-Length` is held at once, before anything is read). Either
 * way what was read is dropped at once. On a listening server it is read from node's request
 * stream directly: that also serves GET bodies (which OpenSearch clients send to `_search` and the
 * Fetch API cannot carry) and skips a web-stream conversion per request.
 */
export async function readBody(c: Context): Promise<Buffer> {
  const { maxBodyBytes, reservation } = c.get('bodyLimits') ?? DEFAULT_LIMITS;
  // From node's parsed headers when there are some: `c.req.header` would build web `Headers` per request.
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const declared = Number(incoming === undefined ? c.req.header('content-length') : incoming.headers['content-length']);
  if (Number.isSafeInteger(declared) && declared > 0) reservation.growTo(declared);
  const chunks: Buffer[] = [];
  let size = 0;
  await eachChunk(c, (chunk) => {
    size += chunk.byteLength;
    if (size > maxBodyBytes) throw bodyTooLarge(maxBodyBytes);
    reservation.growTo(size);
    chunks.push(chunk);
  });
  return Buffer.concat(chunks, size);
}

/** Hands each chunk of the body to `accept`; when it throws, reading stops and that error is thrown. */
async function eachChunk(c: Context, accept: (chunk: Buffer) => void): Promise<void> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming && !incoming.readableEnded && !incoming.readableDidRead) return eachNodeChunk(incoming, accept);
  const body = c.req.raw.body;
  if (body === null) return;
  // Leaving the loop early cancels the stream.
  for await (const chunk of body) accept(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
}

/**
 * Node's request stream, read without `for await`: leaving such a loop early destroys the request,
 * and node then stops reading its socket for good, so the next request on that keep-alive
 * connection would hang. Here the rest of an abandoned body flows on and is dropped unread, the
 * way node drops a body nobody reads (the server closes a connection that keeps sending).
 */
function eachNodeChunk(incoming: IncomingMessage, accept: (chunk: Buffer) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const stop = (error?: unknown): void => {
      incoming.off('data', onData).off('end', onEnd).off('error', stop).off('close', onClose);
      if (error === undefined) return resolve();
      incoming.resume();
      reject(error);
    };
    const onData = (chunk: Buffer): void => {
      try {
        accept(chunk);
      } catch (error) {
        stop(error);
      }
    };
    const onEnd = (): void => stop();
    const onClose = (): void => stop(new Error('the client closed the connection before the end of the request body'));
    incoming.on('data', onData).on('end', onEnd).on('error', stop).on('close', onClose);
  });
}
