import { Hono } from 'hono';
import type { ClusterInfo } from '../settings/cluster-info.js';

/** `GET /` and `HEAD /`: OpenSearch's root endpoint, also the readiness check. */
export function infoRoutes(info: ClusterInfo): Hono {
  const app = new Hono();
  // Hono answers HEAD from the GET handler without a body.
  app.get('/', (c) => c.json(info));
  return app;
}
