/**
 * The predict path as metrics: requests and their latency, tokens, embedding cache lookups and
 * coalesced calls, by model id (bounded by the registered models; a predict for an unknown model
 * fails before any event, so callers cannot mint label values). Trusted-endpoint refusals are
 * counted with the transport's guard refusals and logged the same way.
 */
import { Counter, Histogram, type Registry } from 'prom-client';
import type { PredictEvents } from '../models/predict-events.js';
import type { Logger } from '../util/logger.js';
import { BATCH_SIZE_BUCKETS, LATENCY_BUCKETS } from './buckets.js';

/** The predict metrics, registered on `registry`. */
export function predictMetrics(registry: Registry) {
  const registers = [registry];
  return {
    requests: new Counter({
      name: 'sidecar_predict_requests_total',
      help: 'Predict requests (REST predict and every model call of a pipeline), by model and outcome.',
      labelNames: ['model', 'outcome'] as const,
      registers,
    }),
    latency: new Histogram({
      name: 'sidecar_predict_duration_seconds',
      help: 'Duration of a predict request, from the model found ready to the answer, in seconds.',
      labelNames: ['model'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    tokens: new Counter({
      name: 'sidecar_model_tokens_total',
      help: 'Tokens the providers reported, by model and direction (input, output).',
      labelNames: ['model', 'direction'] as const,
      registers,
    }),
    cache: new Counter({
      name: 'sidecar_embedding_cache_lookups_total',
      help: 'Embedding cache lookups (client_config.embedding_cache_size), by model and result (hit, miss).',
      labelNames: ['model', 'result'] as const,
      registers,
    }),
    batchTexts: new Histogram({
      name: 'sidecar_coalesced_batch_texts',
      help: 'Texts per coalesced text_docs provider call.',
      labelNames: ['model'] as const,
      buckets: BATCH_SIZE_BUCKETS,
      registers,
    }),
    batchCallers: new Histogram({
      name: 'sidecar_coalesced_batch_callers',
      help: 'Callers (predicts, documents) sharing one coalesced text_docs provider call.',
      labelNames: ['model'] as const,
      buckets: BATCH_SIZE_BUCKETS,
      registers,
    }),
  };
}

/** The predict path's events, counted (and guard refusals logged). */
export function predictTelemetry(metrics: ReturnType<typeof predictMetrics>, refusals: Counter<'connector' | 'model' | 'guard'>, logger: Logger): PredictEvents {
  return {
    began: () => {},
    ended(modelId, millis, failed) {
      metrics.requests.inc({ model: modelId, outcome: failed ? 'failure' : 'success' });
      metrics.latency.observe({ model: modelId }, millis / 1000);
    },
    inferred: () => {},
    consumed(modelId, usage) {
      if (usage.input > 0) metrics.tokens.inc({ model: modelId, direction: 'input' }, usage.input);
      if (usage.output > 0) metrics.tokens.inc({ model: modelId, direction: 'output' }, usage.output);
    },
    looked(modelId, hits, misses) {
      if (hits > 0) metrics.cache.inc({ model: modelId, result: 'hit' }, hits);
      if (misses > 0) metrics.cache.inc({ model: modelId, result: 'miss' }, misses);
    },
    coalesced(modelId, texts, callers) {
      metrics.batchTexts.observe({ model: modelId }, texts);
      metrics.batchCallers.observe({ model: modelId }, callers);
    },
    refused(modelId, connector, reason) {
      refusals.inc({ connector, model: modelId, guard: 'trusted_endpoint' });
      logger.warn({ event: 'guard_refused', model_id: modelId, connector_id: connector, guard: 'trusted_endpoint', reason }, 'provider call refused by a guard');
    },
  };
}
