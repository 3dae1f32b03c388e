/**
 * A minimal OpenSearch on a real socket, playing the security plugin's authinfo endpoint: Basic
 * users, the plugin's plain-text 401 with its challenge, and OpenSearch's "no handler" 400 when
 * security is off. It records what each request carried.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authInfoBody, basic } from './helpers.js';

/** A running fake cluster. */
export interface FakeCluster {
  readonly url: string;
  readonly requests: Array<{ path: string; headers: IncomingHttpHeaders }>;
  close(): Promise<void>;
}

/** Starts a fake cluster on loopback; `delayMillis` holds every answer back (for timeouts). */
export async function startFakeCluster(options: {
  security: boolean;
  delayMillis?: number;
}): Promise<FakeCluster> {
  const users = new Map([
    [basic('alice', 'alice-password'), authInfoBody('alice', ['analyst'], ['ml_full_access'])],
  ]);
  const requests: FakeCluster['requests'] = [];
  const server = createServer((request, response) => {
    requests.push({ path: request.url ?? '', headers: request.headers });
    const answer = () => {
      const authinfo = /\/_plugins\/_security\/authinfo$/.test(
        new URL(request.url ?? '/', 'http://x').pathname,
      );
      if (!options.security || !authinfo) {
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            error: `no handler found for uri [${request.url}] and method [GET]`,
            status: 400,
          }),
        );
        return;
      }
      const body = users.get(request.headers.authorization ?? '');
      if (body === undefined) {
        response.writeHead(401, {
          'WWW-Authenticate': 'Basic realm="OpenSearch Security"',
          'content-type': 'text/plain',
        });
        response.end('Unauthorized');
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (options.delayMillis === undefined) answer();
    else setTimeout(answer, options.delayMillis).unref();
  });
  const address = await new Promise<AddressInfo>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(server.address() as AddressInfo)),
  );
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
