/**
 * Provider calls as metrics and log lines. Labels are the connector id and the model id (both
 * bounded by what is registered), an outcome from a fixed set and the HTTP status; never a URL,
 * a header, a body or an error's reason. Every failed attempt, throttle, exhausted retry budget
 * and guard refusal writes one line, so an operator sees what the callers' 429s and 5xx hid.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { AttemptReport, CallLabels, FailureReport, GuardName, TransportEvents, TransportSnapshot } from '../http/transport-events.js';
import type { Logger } from '../util/logger.js';
import { LATENCY_BUCKETS, WAIT_BUCKETS } from './buckets.js';

/** The provider metrics, registered on `registry`. */
export function providerMetrics(registry: Registry) {
  const registers = [registry];
  return {
    calls: new Counter({
      name: 'sidecar_provider_requests_total',
      help: 'HTTP exchanges with model providers (each attempt, retries included), by outcome and remote status.',
      labelNames: ['connector', 'model', 'outcome', 'status'] as const,
      registers,
    }),
    latency: new Histogram({
      name: 'sidecar_provider_request_duration_seconds',
      help: 'Duration of one exchange with a provider (one attempt), in seconds.',
      labelNames: ['connector', 'model'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    retries: new Counter({
      name: 'sidecar_provider_retries_total',
      help: 'Provider calls retried (each retry counts once).',
      labelNames: ['connector', 'model'] as const,
      registers,
    }),
    throttles: new Counter({
      name: 'sidecar_provider_throttles_total',
      help: 'Provider answers that throttled the call: HTTP 429, or AWS ThrottlingException on any status.',
      labelNames: ['connector', 'model', 'kind'] as const,
      registers,
    }),
    exhausted: new Counter({
      name: 'sidecar_provider_retries_exhausted_total',
      help: 'Provider calls that failed after their retries ran out (count or retry_timeout_seconds).',
      labelNames: ['connector', 'model'] as const,
      registers,
    }),
    refusals: new Counter({
      name: 'sidecar_provider_guard_refusals_total',
      help: 'Provider calls refused before sending: trusted endpoint regex, private or restricted address, URL, header.',
      labelNames: ['connector', 'model', 'guard'] as const,
      registers,
    }),
    pacingWait: new Histogram({
      name: 'sidecar_pacing_wait_seconds',
      help: 'How long calls waited for their turn under a connector requests_per_minute / tokens_per_minute pace.',
      labelNames: ['connector'] as const,
      buckets: WAIT_BUCKETS,
      registers,
    }),
  };
}

type ProviderMetrics = ReturnType<typeof providerMetrics>;

const STATUS_NONE = 'none';

/** The transport's events, counted and logged. */
export function providerTelemetry(metrics: ProviderMetrics, logger: Logger): TransportEvents {
  return {
    attempted(call: CallLabels, attempt: AttemptReport) {
      const status = attempt.status === undefined ? STATUS_NONE : String(attempt.status);
      metrics.calls.inc({ connector: call.connector, model: call.model, outcome: attempt.outcome, status });
      // A rejected call sent nothing: it has no provider latency.
      if (attempt.outcome !== 'rejected') metrics.latency.observe({ connector: call.connector, model: call.model }, attempt.seconds);
      if (attempt.outcome === 'success') return;
      const fields = {
        model_id: call.model,
        connector_id: call.connector,
        remote_status: attempt.status ?? null,
        retries: attempt.retries,
        ...(attempt.code === undefined ? {} : { code: attempt.code }),
      };
      if (attempt.throttle !== undefined) {
        metrics.throttles.inc({ connector: call.connector, model: call.model, kind: attempt.throttle });
        logger.warn({ event: 'provider_throttled', ...fields, throttle: attempt.throttle, retry_after_ms: attempt.retryAfterMillis ?? null }, 'provider throttled a call');
        return;
      }
      logger.warn({ event: 'provider_call_failed', ...fields, outcome: attempt.outcome, duration_ms: Math.round(attempt.seconds * 1000) }, 'provider call failed');
    },
    retrying(call: CallLabels, retry: number, waitMillis: number) {
      metrics.retries.inc({ connector: call.connector, model: call.model });
      logger.info({ event: 'provider_retry', model_id: call.model, connector_id: call.connector, retry, wait_ms: waitMillis }, 'retrying provider call');
    },
    failed(call: CallLabels, failure: FailureReport) {
      if (!failure.exhausted) return; // a call that was not to be retried: its attempt line says it all
      metrics.exhausted.inc({ connector: call.connector, model: call.model });
      logger.error(
        { event: 'provider_retries_exhausted', model_id: call.model, connector_id: call.connector, remote_status: failure.status ?? null, retries: failure.retries },
        'provider call failed after its retries',
      );
    },
    refused(call: CallLabels, guard: GuardName, reason: string) {
      metrics.refusals.inc({ connector: call.connector, model: call.model, guard });
      logger.warn({ event: 'guard_refused', model_id: call.model, connector_id: call.connector, guard, reason }, 'provider call refused by a guard');
    },
    paced(call: CallLabels, waitedSeconds: number) {
      metrics.pacingWait.observe({ connector: call.connector }, waitedSeconds);
    },
  };
}

/**
 * Gauges of the transport's pools and pacing queues, read from `snapshot` when metrics are
 * scraped (nothing on the call path). A connector with several origins reports its lowest
 * in-flight limit and its summed load.
 */
export function transportGauges(registry: Registry, snapshot: () => TransportSnapshot | undefined): void {
  const byConnector = <T>(items: readonly T[] | undefined, connector: (item: T) => string, value: (item: T) => number, merge: (a: number, b: number) => number) => {
    const values = new Map<string, number>();
    for (const item of items ?? []) {
      const key = connector(item);
      const seen = values.get(key);
      values.set(key, seen === undefined ? value(item) : merge(seen, value(item)));
    }
    return values;
  };
  const sum = (left: number, right: number) => left + right;
  const gauge = (name: string, help: string, values: () => Map<string, number>) =>
    new Gauge({
      name,
      help,
      labelNames: ['connector'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const [connector, value] of values()) this.set({ connector }, value);
      },
    });
  gauge('sidecar_adaptive_concurrency_limit', 'Calls a connector may have in flight now (max_connection, halved on throttling, regained on success).', () =>
    byConnector(snapshot()?.pools, (pool) => pool.connector, (pool) => pool.inFlightLimit, Math.min),
  );
  gauge('sidecar_provider_in_flight', 'Provider calls in flight per connector.', () =>
    byConnector(snapshot()?.pools, (pool) => pool.connector, (pool) => pool.inFlight, sum),
  );
  gauge('sidecar_connection_queue_depth', 'Calls waiting for a connection to a provider (all max_connection in flight).', () =>
    byConnector(snapshot()?.pools, (pool) => pool.connector, (pool) => pool.waiting, sum),
  );
  gauge('sidecar_pacing_queue_depth', 'Calls waiting in a connector pacing queue (requests_per_minute / tokens_per_minute).', () =>
    byConnector(snapshot()?.pacers, (pacer) => pacer.connector, (pacer) => pacer.queued, sum),
  );
}
