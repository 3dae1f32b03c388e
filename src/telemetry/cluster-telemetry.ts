/**
 * The sidecar's calls to the cluster as metrics and log lines: by client (proxy, pass_through,
 * state_store), method and outcome (the status, or `unavailable` / `timeout` when none came). A
 * call that got no answer logs an error line, a 5xx answer a warning; 4xx answers are the
 * caller's business (a 404 on GET is normal) and are only counted. Paths are logged without
 * their query string.
 */
import { Counter, Histogram, type Registry } from 'prom-client';
import type { ClusterCallEvents } from '../cluster/cluster-call-events.js';
import type { Logger } from '../util/logger.js';
import { LATENCY_BUCKETS } from './buckets.js';
import { methodLabel } from './request-telemetry.js';

/** The cluster call metrics, registered on `registry`. */
export function clusterMetrics(registry: Registry) {
  const registers = [registry];
  return {
    calls: new Counter({
      name: 'sidecar_cluster_requests_total',
      help: 'Calls to the cluster, by client (proxy, pass_through, state_store), method and status (or unavailable, timeout).',
      labelNames: ['client', 'method', 'status'] as const,
      registers,
    }),
    latency: new Histogram({
      name: 'sidecar_cluster_request_duration_seconds',
      help: 'Duration of a call to the cluster until its answer (the status line, for streamed answers), in seconds.',
      labelNames: ['client', 'method'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
  };
}

/** The cluster clients' events, counted and logged. */
export function clusterTelemetry(metrics: ReturnType<typeof clusterMetrics>, logger: Logger): ClusterCallEvents {
  return {
    called(client, call) {
      const method = methodLabel(call.method);
      metrics.calls.inc({ client, method, status: call.failure ?? String(call.status) });
      metrics.latency.observe({ client, method }, call.seconds);
      const fields = { client, method: call.method, path: call.path, duration_ms: Math.round(call.seconds * 1000) };
      if (call.failure !== undefined) logger.error({ event: 'cluster_call_failed', ...fields, failure: call.failure }, 'cluster call got no answer');
      else if (call.status !== undefined && call.status >= 500) logger.warn({ event: 'cluster_error_status', ...fields, status: call.status }, 'cluster answered an error');
    },
  };
}
