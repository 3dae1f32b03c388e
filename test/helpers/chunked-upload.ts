import { request, type ClientRequest } from 'node:http';

/** What a raw upload got back. */
export interface UploadAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  /** Body bytes written before the answer arrived. */
  sentBeforeAnswer: number;
}

/**
 * Uploads a body chunked (no Content-Length), as fast as the server reads it: `prefix`, then
 * `fillBytes` of `a`, then `suffix`. Stops sending once the answer arrives, as clients do.
 * `request` is the client request, so a test can wait until the server has read what was sent.
 */
export function chunkedUpload(
  url: string,
  options: {
    method?: string;
    prefix: string;
    fillBytes: number;
    suffix: string;
    chunkBytes?: number;
    headers?: Record<string, string>;
    /** Held back after the fill until this settles (a client that pauses mid-body). */
    beforeEnd?: Promise<unknown>;
  },
): { answer: Promise<UploadAnswer>; request: ClientRequest } {
  const chunk = Buffer.alloc(options.chunkBytes ?? 64 * 1024, 'a');
  let sent = 0;
  let answered = false;
  const outgoing = request(url, {
    method: options.method ?? 'POST',
    headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', ...options.headers },
  });
  const answer = new Promise<UploadAnswer>((resolve, reject) => {
    outgoing.on('response', (response) => {
      answered = true;
      const sentBeforeAnswer = sent;
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (part: string) => (text += part));
      response.on('end', () => {
        outgoing.destroy();
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON
        }
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body, sentBeforeAnswer });
      });
    });
    outgoing.on('error', (error) => {
      if (!answered) reject(error);
    });
  });
  outgoing.write(options.prefix);
  const pump = (): void => {
    while (sent < options.fillBytes && !answered) {
      const part = chunk.subarray(0, Math.min(chunk.length, options.fillBytes - sent));
      sent += part.length;
      if (!outgoing.write(part)) return void outgoing.once('drain', pump);
    }
    if (answered) return;
    if (options.beforeEnd === undefined) outgoing.end(options.suffix);
    else void options.beforeEnd.then(() => outgoing.end(options.suffix));
  };
  pump();
  return { answer, request: outgoing };
}

/** Sends `body` with its Content-Length and reads the JSON answer. */
export async function postJson(url: string, body: string): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}
