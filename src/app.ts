import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { defaultBufferedBodyBytes } from './config.js';
import { OpenSearchError } from './errors/opensearch-error.js';
import { renderError } from './errors/render-error.js';
import { accessLog } from './routes/access-log.js';
import { authenticateRequests } from './routes/authenticate.js';
import { BodyBudget } from './routes/body-budget.js';
import { limitBodySize } from './routes/body-limit.js';
import { createNoAuthenticator, type Authenticator } from './security/identity/index.js';
import { connectorRoutes } from './routes/connectors.js';
import { infoRoutes } from './routes/info.js';
import { ingestPipelineRoutes } from './routes/ingest-pipelines.js';
import { memoryRoutes } from './routes/memory.js';
import { modelGroupRoutes } from './routes/model-groups.js';
import { searchPipelineRoutes } from './routes/search-pipelines.js';
import { modelRoutes } from './routes/models.js';
import { predictRoutes } from './routes/predict.js';
import { notReady, probeRoutes } from './routes/probes.js';
import { proxyOverrideRoutes, proxyRoutes } from './routes/proxy.js';
import { taskRoutes } from './routes/tasks.js';
import { mlStatsRoutes } from './routes/ml-stats.js';
import { countRequests, type RequestEvents } from './routes/request-metrics.js';
import { sidecarTelemetryRoutes, type MetricsSource } from './routes/sidecar-telemetry.js';
import { settingsRoutes } from './routes/settings.js';
import type { ServiceProbes } from './lifecycle/service-probes.js';
import type { Services } from './services.js';
import type { Logger } from './util/logger.js';

export interface AppOptions {
  readonly services: Services;
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  /** The bytes of bodies held at once across requests (`MAX_BUFFERED_BODY_BYTES`; by default its default). */
  readonly bodyBudget?: BodyBudget;
  /** Who is calling; without one, security is off (as OpenSearch without its security plugin). */
  readonly authenticator?: Authenticator;
  /** What `/_sidecar/health` and `/_sidecar/ready` answer from. */
  readonly probes: ServiceProbes;
  /** Request metrics and `GET /_sidecar/metrics` (the telemetry module); without it, neither. */
  readonly telemetry?: { readonly requests: RequestEvents } & MetricsSource;
}

/** Mounts every route module; one error handler renders OpenSearch's envelope for all of them. */
export function createApp({ services, logger, maxBodyBytes, bodyBudget, authenticator = createNoAuthenticator(), probes, telemetry }: AppOptions): Hono {
  const app = new Hono({ strict: false });
  if (telemetry) app.use(countRequests(telemetry.requests));
  app.use(accessLog(logger));
  app.use(authenticateRequests(authenticator));
  app.use(limitBodySize({ maxBodyBytes, budget: bodyBudget ?? new BodyBudget(defaultBufferedBodyBytes(maxBodyBytes)) }));
  app.route('/_sidecar', probeRoutes(probes));
  // With a cluster, `GET /` and the settings split answer before the sidecar's own routes.
  if (services.proxy) app.route('/', proxyOverrideRoutes(services.proxy));
  app.route('/', infoRoutes(services.clusterInfo));
  app.route('/_cluster/settings', settingsRoutes(services.settings));
  app.route('/_plugins/_ml/connectors', connectorRoutes(services.connectors));
  app.route('/_plugins/_ml/model_groups', modelGroupRoutes(services.modelGroups));
  app.route('/_plugins/_ml', predictRoutes(services.predict));
  app.route('/_plugins/_ml/models', modelRoutes(services.models));
  app.route('/_plugins/_ml/tasks', taskRoutes(services.tasks));
  app.route('/_plugins/_ml', mlStatsRoutes(services.stats, services.profile));
  app.route('/_sidecar', sidecarTelemetryRoutes(telemetry, services.usage.report));
  app.route('/_plugins/_ml/memory', memoryRoutes(services.memories, services.messages));
  app.route('/_ingest/pipeline', ingestPipelineRoutes(services.ingestPipelines));
  app.route('/_search/pipeline', searchPipelineRoutes(services.searchPipelines));
  // Everything else goes to the cluster: writes and searches through the pipelines, the rest unchanged.
  if (services.proxy) app.route('/', proxyRoutes(services.proxy));

  app.notFound((c) =>
    respond(
      c,
      new OpenSearchError({
        status: 400,
        type: 'illegal_argument_exception',
        reason: `no handler found for uri [${c.req.path}] and method [${c.req.method}]`,
      }),
    ),
  );
  app.onError((error, c) => {
    if (!(error instanceof OpenSearchError)) logger.error({ err: error, route: c.req.routePath }, 'request failed');
    return respond(c, error);
  });
  return app;
}

/**
 * What answers while the service starts (the cluster may still be unreachable): the probes (alive,
 * not ready), and a 503 in OpenSearch's envelope saying why for every other request, so clients
 * and load balancers retry elsewhere.
 */
export function createStartingApp(probes: ServiceProbes): Hono {
  const app = new Hono();
  app.route('/_sidecar', probeRoutes(probes));
  app.all('*', (c) => respond(c, notReady(probes.notReadyReason)));
  app.onError((error, c) => respond(c, error));
  return app;
}

function respond(c: Context, error: unknown): Response {
  const rendered = renderError(error);
  for (const [name, value] of Object.entries(rendered.headers)) c.header(name, value);
  return c.json(rendered.body, rendered.status as ContentfulStatusCode);
}
