/**
 * The service's own probes, under `/_sidecar/` (no OpenSearch index or API can take that path) and
 * open without credentials: `GET /_sidecar/health` (liveness) and `GET /_sidecar/ready`
 * (readiness). Neither says anything a caller could misuse: no URL, account or key.
 */
import { Hono } from 'hono';
import { OpenSearchError } from '../errors/opensearch-error.js';
import type { ServiceProbes } from '../lifecycle/service-probes.js';

/** The paths `authenticateRequests` lets through without credentials. */
export const PROBE_PATHS: readonly string[] = ['/_sidecar/health', '/_sidecar/ready'];

/** 503 in OpenSearch's envelope: what every request gets while the service is not serving. */
export const notReady = (reason: string): OpenSearchError =>
  new OpenSearchError({
    status: 503,
    type: 'status_exception',
    reason: `The sidecar is not ready: ${reason}`,
    headers: { 'Retry-After': '1' },
  });

export function probeRoutes(probes: ServiceProbes): Hono {
  const app = new Hono();
  // Hono answers HEAD from these GET handlers without a body.
  app.get('/health', async (c) => c.json(await probes.health()));
  app.get('/ready', async (c) => {
    const readiness = await probes.readiness();
    if (!readiness.ready) throw notReady(readiness.reason);
    return c.json({ status: 'ready', checks: readiness.checks });
  });
  return app;
}
