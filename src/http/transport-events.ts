/**
 * What the provider transport reports as it works: each exchange with a provider, retries, final
 * failures, guard refusals and pacing waits. The telemetry module turns these into metrics and log
 * lines; the transport itself knows nothing of either. Events carry ids, statuses and counts, never
 * a URL's query, a header, a body or an error's reason (a provider may echo a document or a key).
 */

/** Who a provider call is for. */
export interface CallLabels {
  /** The connector id, or `inline` for a model's own connector. */
  readonly connector: string;
  /** The model id, or `unknown` when the caller did not say. */
  readonly model: string;
}

/**
 * How one exchange ended: `success` (2xx), `error` (another status), `throttled` (429 or AWS
 * throttling), `timeout` or `network_error` (no answer), `rejected` (the sidecar's own queue was
 * full or no connection came in time: nothing was sent).
 */
export type AttemptOutcome = 'success' | 'error' | 'throttled' | 'timeout' | 'network_error' | 'rejected';

/** One exchange with a provider. */
export interface AttemptReport {
  readonly outcome: AttemptOutcome;
  /** The provider's status, when it answered. */
  readonly status: number | undefined;
  readonly seconds: number;
  /** Retries made before this attempt (0 for the first). */
  readonly retries: number;
  /** `http_429` or `aws_throttling` when the provider throttled. */
  readonly throttle?: 'http_429' | 'aws_throttling';
  /** A transport error code (`UND_ERR_CONNECT_TIMEOUT`, `ECONNRESET`, ...) or AWS's error type. */
  readonly code?: string;
  /** The provider's `Retry-After` hint in milliseconds, when it gave one. */
  readonly retryAfterMillis?: number;
}

/** A call that ended in an error after all the attempts it was allowed. */
export interface FailureReport {
  readonly status: number | undefined;
  readonly retries: number;
  /** The last error was retryable and retries were allowed: they ran out (count or deadline). */
  readonly exhausted: boolean;
}

/** Which guard refused a call before anything was sent. */
export type GuardName = 'private_ip' | 'private_endpoint' | 'restricted_ip' | 'url' | 'header' | 'trusted_endpoint';

/** Receives the transport's events; every method must be cheap and must not throw. */
export interface TransportEvents {
  attempted(call: CallLabels, attempt: AttemptReport): void;
  /** A failed attempt is retried after `waitMillis`; `retry` counts from 1. */
  retrying(call: CallLabels, retry: number, waitMillis: number): void;
  failed(call: CallLabels, failure: FailureReport): void;
  /** `reason` names the URL with query values redacted, or the header by name only. */
  refused(call: CallLabels, guard: GuardName, reason: string): void;
  /** A call waited its turn in the connector's pacing queue. */
  paced(call: CallLabels, waitedSeconds: number): void;
}

/** Reports nothing (tests and tools that do not care). */
export const NO_TRANSPORT_EVENTS: TransportEvents = {
  attempted: () => {},
  retrying: () => {},
  failed: () => {},
  refused: () => {},
  paced: () => {},
};

/** A pool's state for gauges: read when metrics are scraped, never on the call path. */
export interface PoolSnapshot {
  readonly connector: string;
  /** The in-flight limit now (moved by adaptive concurrency). */
  readonly inFlightLimit: number;
  readonly inFlight: number;
  /** Calls waiting for a connection. */
  readonly waiting: number;
}

/** A connector pacer's queue, for gauges. */
export interface PacerSnapshot {
  readonly connector: string;
  readonly queued: number;
}

/** What the transport holds right now. */
export interface TransportSnapshot {
  readonly pools: readonly PoolSnapshot[];
  readonly pacers: readonly PacerSnapshot[];
}

/** The connector label of a pool key (`connector:<id>`, or `model:<id>` for an inline connector). */
export function connectorLabel(poolKey: string): string {
  return poolKey.startsWith('connector:') ? poolKey.slice('connector:'.length) : 'inline';
}
