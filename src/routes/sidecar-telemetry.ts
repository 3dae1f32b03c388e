import { Hono } from 'hono';
import type { UsageReport } from '../usage/usage-report.js';

/** Where the metrics text comes from (the telemetry module's registry). */
export interface MetricsSource {
  render(): Promise<{ readonly contentType: string; readonly text: string }>;
}

/**
 * The service's own observability endpoints under `/_sidecar/` (authenticated like the rest of
 * the API when security is on): `metrics`, Prometheus' text format; `usage`, billable usage.
 */
export function sidecarTelemetryRoutes(metrics: MetricsSource | undefined, usage: UsageReport): Hono {
  const app = new Hono({ strict: false });
  if (metrics !== undefined) {
    app.get('/metrics', async (c) => {
      const rendered = await metrics.render();
      return c.body(rendered.text, 200, { 'content-type': rendered.contentType });
    });
  }
  app.get('/usage', async (c) => {
    const modelIds = c.req.query('model_id')?.split(',').map((id) => id.trim()).filter((id) => id !== '');
    return c.json(await usage.read({ from: c.req.query('from'), to: c.req.query('to'), modelIds }, c.get('identity')));
  });
  return app;
}
