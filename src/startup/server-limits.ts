import type { Server } from 'node:net';
import type { ServerLimits } from '../config.js';

/** How often node looks for requests past their headers or request timeout, at most. */
const MAX_CHECK_INTERVAL_MS = 5_000;

/**
 * The options `http.createServer` / `https.createServer` take for the limits. Node checks its
 * timeouts on an interval (30 s by default), so a timeout would fire up to that much late; the
 * interval here is a quarter of the shortest timeout, within 100 ms and 5 s.
 */
export function serverTimeoutOptions(limits: ServerLimits): {
  headersTimeout: number;
  requestTimeout: number;
  connectionsCheckingInterval: number;
} {
  const shortest = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionsCheckingInterval: Math.min(MAX_CHECK_INTERVAL_MS, Math.max(100, Math.floor(shortest / 4))),
  };
}

/**
 * Applies the limits set on the server object: the keep-alive timeout (an option of
 * `createServer` only in recent node versions), and the connection limit past which node closes
 * new connections as they arrive.
 */
export function applyServerLimits(server: Server & { keepAliveTimeout?: number }, limits: ServerLimits): void {
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
}
