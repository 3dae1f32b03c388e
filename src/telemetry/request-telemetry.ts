/**
 * Requests served, by method, route pattern (hono's matched path, e.g. `/_plugins/_ml/models/:id`,
 * so ids never become label values) and status.
 */
import { Counter, Histogram, type Registry } from 'prom-client';
import type { RequestEvents } from '../routes/request-metrics.js';
import { LATENCY_BUCKETS } from './buckets.js';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);

/** The method as a label: any other token a client sends is `OTHER`, so it cannot mint label values. */
export const methodLabel = (method: string): string => (METHODS.has(method) ? method : 'OTHER');

/** The request metrics, registered on `registry`, and the events that feed them. */
export function requestTelemetry(registry: Registry): RequestEvents {
  const registers = [registry];
  const requests = new Counter({
    name: 'sidecar_http_requests_total',
    help: 'Requests served, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  });
  const latency = new Histogram({
    name: 'sidecar_http_request_duration_seconds',
    help: 'Time to answer a request (a streamed answer: until its headers), by method and route pattern, in seconds.',
    labelNames: ['method', 'route'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  return {
    served(method, route, status, seconds) {
      const label = methodLabel(method);
      requests.inc({ method: label, route, status: String(status) });
      latency.observe({ method: label, route }, seconds);
    },
  };
}
