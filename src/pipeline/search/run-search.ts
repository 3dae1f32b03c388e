import { renderError } from '../../errors/render-error.js';
import type {
  DeferredAnswer,
  ModelPredictor,
  SearchRequestContext,
  SearchRequestProcessor,
  SearchResponseContext,
  SearchResponseProcessor,
} from '../../processors/processor-definition.js';
import {
  neuralDefaultsFrom,
  pushDownHybridFilters,
  rewriteNeuralQueries,
  rewriteNeuralSparseQueries,
  twoPhaseSettingsFrom,
} from '../../processors/search/index.js';
import type { Clock } from '../../util/clock.js';
import type { SearchProcessorFailure } from '../pipeline-events.js';
import type { CompiledSearchPipeline, CompiledSearchStep } from './compiled-search-pipeline.js';

/** One entry of `processor_results` (OpenSearch's `verbose_pipeline` output). */
export interface SearchProcessorResult {
  processor_name: string;
  tag?: string;
  duration_millis: number;
  status: 'success' | 'fail';
  input_data: unknown;
  output_data?: unknown;
  error?: string;
}

export interface SearchRunOptions {
  readonly predictor: ModelPredictor;
  readonly clock: Clock;
  readonly verbose?: boolean;
  /** Collects every processor failure, also those `ignore_failure` lets pass. */
  readonly failures?: SearchProcessorFailure[];
  /** The caller can take an answer streamed after the response (see `DeferredAnswer`). */
  readonly streaming?: boolean;
}

/**
 * Runs a search body through the request processors, then rewrites what only neural-search runs
 * into what any cluster runs (the cluster may not have the plugin): a `hybrid` clause's `filter`
 * goes into its sub-queries, every `neural` clause becomes a `knn` clause and every
 * `neural_sparse` clause a `bool` of `rank_feature` clauses, with the defaults an enricher set.
 */
export async function runSearchRequest(
  pipeline: CompiledSearchPipeline | undefined,
  body: Record<string, unknown>,
  options: SearchRunOptions,
): Promise<{ context: SearchRequestContext; results: SearchProcessorResult[] }> {
  const context: SearchRequestContext = { body: structuredClone(body), attributes: new Map() };
  const results: SearchProcessorResult[] = [];
  for (const step of pipeline?.requestSteps ?? []) {
    await runStep(step, () => structuredClone(context.body), (processor) => processor.processRequest(context), results, options);
  }
  pushDownHybridFilters(context.body);
  const defaults = neuralDefaultsFrom(context.attributes);
  await Promise.all([
    rewriteNeuralQueries(context.body, { predictor: options.predictor, ...defaults }),
    rewriteNeuralSparseQueries(context.body, {
      predictor: options.predictor,
      ...defaults,
      twoPhase: twoPhaseSettingsFrom(context.attributes),
    }),
  ]);
  return { context, results };
}

/** Runs a search response through the response processors. */
export async function runSearchResponse(
  pipeline: CompiledSearchPipeline | undefined,
  request: SearchRequestContext,
  response: Record<string, unknown>,
  options: SearchRunOptions,
): Promise<{ response: Record<string, unknown>; results: SearchProcessorResult[]; deferredAnswer?: DeferredAnswer }> {
  const context: SearchResponseContext = { request, response: structuredClone(response), streaming: options.streaming === true };
  const results: SearchProcessorResult[] = [];
  for (const step of pipeline?.responseSteps ?? []) {
    await runStep(step, () => structuredClone(context.response), (processor) => processor.processResponse(context), results, options);
  }
  return { response: context.response, results, ...(context.deferredAnswer === undefined ? {} : { deferredAnswer: context.deferredAnswer }) };
}

/** One step with `ignore_failure`: a failure is recorded and skipped, or thrown. */
async function runStep<Processor extends SearchRequestProcessor | SearchResponseProcessor>(
  step: CompiledSearchStep<Processor>,
  snapshot: () => unknown,
  run: (processor: Processor) => Promise<void>,
  results: SearchProcessorResult[],
  options: SearchRunOptions,
): Promise<void> {
  const started = options.clock.now();
  const input = options.verbose ? snapshot() : undefined;
  const base = { processor_name: step.type, ...(step.tag === undefined ? {} : { tag: step.tag }) };
  try {
    await run(step.processor);
    if (options.verbose) {
      results.push({ ...base, duration_millis: options.clock.now() - started, status: 'success', input_data: input, output_data: snapshot() });
    }
  } catch (error) {
    options.failures?.push({ processorType: step.type, tag: step.tag, error, ignored: step.ignoreFailure });
    if (options.verbose) {
      results.push({ ...base, duration_millis: options.clock.now() - started, status: 'fail', input_data: input, error: renderError(error).body.error.reason });
    }
    if (!step.ignoreFailure) throw error;
  }
}
