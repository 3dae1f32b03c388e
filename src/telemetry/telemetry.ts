/**
 * The service's telemetry: one prom-client registry per app (never the global default registry,
 * so tests and several apps in one process never collide) and the event listeners that feed it
 * and write the operator's log lines. The only module that imports prom-client; every layer below
 * reports through its own small events interface and never learns of metrics.
 */
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { ClusterCallEvents } from '../cluster/cluster-call-events.js';
import type { TransportEvents, TransportSnapshot } from '../http/transport-events.js';
import type { PredictEvents } from '../models/predict-events.js';
import type { PipelineEvents } from '../pipeline/pipeline-events.js';
import type { RequestEvents } from '../routes/request-metrics.js';
import type { Logger } from '../util/logger.js';
import { clusterMetrics, clusterTelemetry } from './cluster-telemetry.js';
import { pipelineMetrics, pipelineTelemetry } from './pipeline-telemetry.js';
import { predictMetrics, predictTelemetry } from './predict-telemetry.js';
import { providerMetrics, providerTelemetry, transportGauges } from './provider-telemetry.js';
import { requestTelemetry } from './request-telemetry.js';

/** Metrics in Prometheus' text format. */
export interface MetricsText {
  readonly contentType: string;
  readonly text: string;
}

/** What the rest of the service is handed. */
export interface Telemetry {
  readonly requests: RequestEvents;
  readonly transport: TransportEvents;
  readonly predict: PredictEvents;
  readonly pipelines: PipelineEvents;
  readonly cluster: ClusterCallEvents;
  /** Where the pool and pacing gauges read from (the provider transport, once it exists). */
  watchTransport(snapshot: () => TransportSnapshot | undefined): void;
  /** Every metric now. */
  render(): Promise<MetricsText>;
}

export interface TelemetryOptions {
  readonly logger: Logger;
  /**
   * Node's process metrics (CPU, memory, event loop lag, GC): prom-client's default collectors on
   * this registry. On in production; tests leave them off (they start timers and observers).
   */
  readonly processMetrics?: boolean;
}

/** Creates the registry, its metrics and the listeners. */
export function createTelemetry(options: TelemetryOptions): Telemetry {
  const registry = new Registry();
  if (options.processMetrics === true) collectDefaultMetrics({ register: registry });
  const provider = providerMetrics(registry);
  let transportSnapshot: () => TransportSnapshot | undefined = () => undefined;
  transportGauges(registry, () => transportSnapshot());
  return {
    requests: requestTelemetry(registry),
    transport: providerTelemetry(provider, options.logger),
    predict: predictTelemetry(predictMetrics(registry), provider.refusals, options.logger),
    pipelines: pipelineTelemetry(pipelineMetrics(registry), options.logger),
    cluster: clusterTelemetry(clusterMetrics(registry), options.logger),
    watchTransport(snapshot) {
      transportSnapshot = snapshot;
    },
    async render() {
      return { contentType: registry.contentType, text: await registry.metrics() };
    },
  };
}
