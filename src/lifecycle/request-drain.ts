/**
 * Graceful stop of the HTTP server: stop accepting connections, let the requests in flight finish
 * within a deadline, then cut the rest. Requests are counted where node sees them (a response ends
 * when its last byte is written or its connection dies, streamed bodies included). From the start
 * of the drain every answer carries `Connection: close`, so keep-alive clients reconnect elsewhere
 * instead of sending more requests down a connection that is about to go.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../util/clock.js';
import { TIMED_OUT, withinTime } from '../util/within-time.js';

/** What the drain needs of node's http and https servers. */
export interface DrainableServer {
  on(event: 'request', listener: (request: IncomingMessage, response: ServerResponse) => void): unknown;
  close(callback?: (error?: Error) => void): unknown;
  closeIdleConnections(): void;
  closeAllConnections(): void;
}

export interface DrainOutcome {
  /** Requests still unanswered at the deadline, whose connections were closed. */
  readonly cut: number;
}

export class RequestDrain {
  private readonly inFlight = new Set<ServerResponse>();
  private draining = false;
  private settled: (() => void) | undefined;

  constructor(private readonly server: DrainableServer, private readonly clock: Clock) {
    server.on('request', (_request, response) => {
      this.inFlight.add(response);
      if (this.draining) closeAfter(response);
      response.once('close', () => {
        this.inFlight.delete(response);
        if (this.draining) this.server.closeIdleConnections();
        if (this.inFlight.size === 0) this.settled?.();
      });
    });
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Stops accepting, waits up to `timeoutMs` for the requests in flight, closes what remains. */
  async drain(timeoutMs: number): Promise<DrainOutcome> {
    this.draining = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const response of this.inFlight) closeAfter(response);
    const answered = new Promise<void>((resolve) => {
      this.settled = resolve;
      if (this.inFlight.size === 0) resolve();
    });
    const cut = (await withinTime(answered, timeoutMs, this.clock)) === TIMED_OUT ? this.inFlight.size : 0;
    // Idle keep-alive connections, and at the deadline the ones still busy, go now.
    this.server.closeAllConnections();
    await closed;
    return { cut };
  }
}

/** Asks the client to close the connection after this answer (if its headers are not out yet). */
function closeAfter(response: ServerResponse): void {
  if (!response.headersSent) response.setHeader('Connection', 'close');
}
