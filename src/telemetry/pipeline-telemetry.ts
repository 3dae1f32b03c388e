/**
 * Pipeline runs as metrics and log lines, by pipeline id (bounded by the stored pipelines and
 * files; `_simulate` of an inline pipeline counts as `_simulate_pipeline`). A run with failed
 * documents logs one line with the counts by error type and processor type, never a reason
 * (OpenSearch's ingest errors quote field values).
 */
import { Counter, type Registry } from 'prom-client';
import { renderError } from '../errors/render-error.js';
import type { PipelineEvents } from '../pipeline/pipeline-events.js';
import type { Logger } from '../util/logger.js';

/** The pipeline metrics, registered on `registry`. */
export function pipelineMetrics(registry: Registry) {
  return {
    documents: new Counter({
      name: 'sidecar_pipeline_documents_total',
      help:
        'Documents through ingest pipelines (outcome processed, dropped, failed) and searches through search pipelines ' +
        '(kind search_request or search_response, outcome processed or failed), by pipeline id.',
      labelNames: ['kind', 'pipeline', 'outcome'] as const,
      registers: [registry],
    }),
  };
}

/** The pipelines' events, counted and logged. */
export function pipelineTelemetry(metrics: ReturnType<typeof pipelineMetrics>, logger: Logger): PipelineEvents {
  return {
    ingested(pipelineId, results) {
      let processed = 0;
      let dropped = 0;
      const failures = new Map<string, number>();
      for (const result of results) {
        if (result.status === 'ok') processed++;
        else if (result.status === 'dropped') dropped++;
        else {
          const key = `${result.errorBody.type} (${result.httpStatus}) in ${result.processorType ?? 'pipeline'}`;
          failures.set(key, (failures.get(key) ?? 0) + 1);
        }
      }
      const failed = results.length - processed - dropped;
      if (processed > 0) metrics.documents.inc({ kind: 'ingest', pipeline: pipelineId, outcome: 'processed' }, processed);
      if (dropped > 0) metrics.documents.inc({ kind: 'ingest', pipeline: pipelineId, outcome: 'dropped' }, dropped);
      if (failed === 0) return;
      metrics.documents.inc({ kind: 'ingest', pipeline: pipelineId, outcome: 'failed' }, failed);
      logger.warn(
        { event: 'pipeline_documents_failed', pipeline: pipelineId, documents: results.length, failed, errors: Object.fromEntries(failures) },
        'ingest pipeline failed documents',
      );
    },
    searched(pipelineId, phase, failed, failures) {
      metrics.documents.inc({ kind: `search_${phase}`, pipeline: pipelineId, outcome: failed ? 'failed' : 'processed' });
      for (const failure of failures) {
        const rendered = renderError(failure.error);
        logger.warn(
          {
            event: 'search_processor_failed',
            pipeline: pipelineId,
            phase,
            processor_type: failure.processorType,
            tag: failure.tag ?? null,
            error_type: rendered.body.error.type,
            status: rendered.status,
            ignored: failure.ignored,
          },
          'search pipeline processor failed',
        );
      }
    },
  };
}
