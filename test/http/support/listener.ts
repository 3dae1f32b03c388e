/** Loopback listeners for transport tests: they record what reached them and how many calls overlapped. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a listener saw of one request. */
export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
}

/** How a listener answers its n-th request (0-based). */
export type Behaviour = (request: IncomingMessage, response: ServerResponse, index: number) => void | Promise<void>;

/** A running listener. */
export interface TestListener {
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** TCP connections accepted (a refused call must leave this at 0). */
  readonly connections: number;
  readonly maxInFlight: number;
  close(): Promise<void>;
}

/** Listens on `::` (dual stack, so `::1` and IPv4-mapped targets reach it too) unless `host` is given. */
export async function startListener(behaviour: Behaviour = answer(200, '{"ok":true}'), host = '::'): Promise<TestListener> {
  const requests: ReceivedRequest[] = [];
  let connections = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((request, response) => {
    const index = requests.length;
    requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let counted = true;
    const done = (): void => {
      if (counted) inFlight--;
      counted = false;
    };
    response.on('close', done);
    request.resume();
    request.on('end', () => void behaviour(request, response, index));
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    requests,
    get connections() {
      return connections;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Always answers `status` with `body` and `headers`. */
export const answer =
  (status: number, body = '', headers: Record<string, string> = {}): Behaviour =>
  (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(body);
  };

/** Answers the n-th request with the n-th behaviour, repeating the last one. */
export const sequence =
  (...behaviours: Behaviour[]): Behaviour =>
  (request, response, index) =>
    (behaviours[Math.min(index, behaviours.length - 1)] as Behaviour)(request, response, index);

/** Never answers (the socket stays open until the listener closes). */
export const hang: Behaviour = () => undefined;

/** Destroys the socket without an answer: a transport error for the client. */
export const drop: Behaviour = (request) => void request.socket.destroy();

/** Answers after `milliseconds` of real time. */
export const delayed =
  (milliseconds: number, then: Behaviour = answer(200, '{"ok":true}')): Behaviour =>
  (request, response, index) =>
    void setTimeout(() => void then(request, response, index), milliseconds);

/** A port nothing listens on. */
export async function closedPort(): Promise<number> {
  const listener = await startListener(undefined, '127.0.0.1');
  await listener.close();
  return listener.port;
}
