import pLimit, { type LimitFunction } from 'p-limit';
import { renderError } from '../errors/render-error.js';
import type { BatchOutcome } from '../processors/processor-definition.js';
import type { CompiledIngestPipeline, CompiledStep } from './compiled-pipeline.js';
import type { IngestDocument } from './ingest-document.js';
import { ProcessorTrace, type ProcessorResult } from './processor-trace.js';

/** OpenSearch's error object for one document (the envelope's `error`). */
export type DocumentError = Record<string, unknown> & { type: string; reason: string };

/** One document's result, in input order. */
export type DocumentResult =
  | { readonly status: 'ok'; readonly document: IngestDocument; readonly processorResults?: ProcessorResult[] }
  | { readonly status: 'dropped'; readonly processorResults?: ProcessorResult[] }
  | {
      readonly status: 'failed';
      readonly error: unknown;
      readonly httpStatus: number;
      readonly errorBody: DocumentError;
      readonly processorResults?: ProcessorResult[];
      /** The type of the processor whose failure nothing handled (for logs and metrics). */
      readonly processorType?: string;
    };

export interface IngestRunOptions {
  /** Record what each processor did to each document (`_simulate?verbose`). */
  readonly verbose?: boolean;
  /** Documents processed at once by a processor without a batch form. */
  readonly concurrency?: number;
}

interface DocumentState {
  readonly document: IngestDocument;
  status: 'active' | 'finished' | 'dropped' | 'failed';
  error?: unknown;
  failedProcessor?: string;
  readonly trace: ProcessorTrace | undefined;
}

type StepOutcome = 'ok' | 'dropped';

const SEQUENTIAL = pLimit(1_000_000);

/**
 * Runs many documents through a pipeline, processor by processor, so a processor with a batch form
 * (the ML processors) sees every document at once and can batch its model calls. One document's
 * failure never fails another; every document gets exactly one result.
 */
export async function runIngestPipeline(
  pipeline: CompiledIngestPipeline,
  documents: readonly IngestDocument[],
  options: IngestRunOptions = {},
): Promise<DocumentResult[]> {
  const limit = pLimit(options.concurrency ?? 64);
  const states: DocumentState[] = documents.map((document) => ({
    document,
    status: 'active',
    trace: options.verbose ? new ProcessorTrace(pipeline.id) : undefined,
  }));
  for (const step of pipeline.steps) {
    const active = states.filter((state) => state.status === 'active');
    if (active.length === 0) break;
    const runnable: DocumentState[] = [];
    await Promise.all(
      active.map(async (state) => {
        const condition = evaluateCondition(step, state.document);
        if (condition === true) return runnable.push(state);
        if (condition === false) return state.trace?.skipped(step);
        await settle(pipeline, step, state, { status: 'failed', error: condition.error }, limit);
      }),
    );
    const outcomes = await executeStep(step, runnable.map((state) => state.document), limit);
    await Promise.all(runnable.map((state, index) => settle(pipeline, step, state, outcomes[index]!, limit)));
  }
  return states.map(toResult);
}

/**
 * Runs one step on one document with the same semantics (condition, ignore_failure, on_failure);
 * used for on_failure handlers and processors nested in `foreach`. Throws on failure.
 */
export async function runStepOnDocument(
  step: CompiledStep,
  document: IngestDocument,
  trace: ProcessorTrace | undefined,
  limit: LimitFunction = SEQUENTIAL,
): Promise<StepOutcome> {
  const condition = evaluateCondition(step, document);
  if (condition === false) {
    trace?.skipped(step);
    return 'ok';
  }
  const [outcome] = condition === true ? await executeStep(step, [document], limit) : [{ status: 'failed' as const, error: condition.error }];
  return handleOutcome(step, document, outcome!, trace, limit);
}

async function settle(
  pipeline: CompiledIngestPipeline,
  step: CompiledStep,
  state: DocumentState,
  outcome: BatchOutcome,
  limit: LimitFunction,
): Promise<void> {
  try {
    if ((await handleOutcome(step, state.document, outcome, state.trace, limit)) === 'dropped') state.status = 'dropped';
  } catch (error) {
    await failDocument(pipeline, state, error, step, limit);
  }
}

/** Applies ignore_failure and on_failure to one outcome; throws when the document fails. */
async function handleOutcome(
  step: CompiledStep,
  document: IngestDocument,
  outcome: BatchOutcome,
  trace: ProcessorTrace | undefined,
  limit: LimitFunction,
): Promise<StepOutcome> {
  if (outcome.status === 'ok') {
    trace?.success(step, document);
    return 'ok';
  }
  if (outcome.status === 'dropped') {
    trace?.dropped(step);
    return 'dropped';
  }
  if (step.onFailure.length > 0) {
    trace?.failed(step, outcome.error);
    return withFailureMetadata(document, outcome.error, step, undefined, async () => {
      for (const handler of step.onFailure) {
        if ((await runStepOnDocument(handler, document, trace, limit)) === 'dropped') return 'dropped';
      }
      return 'ok';
    });
  }
  if (step.ignoreFailure) {
    trace?.ignored(step, document, outcome.error);
    return 'ok';
  }
  trace?.failed(step, outcome.error);
  throw outcome.error;
}

/** A failure nothing handled: the pipeline's on_failure runs, else the document fails. */
async function failDocument(pipeline: CompiledIngestPipeline, state: DocumentState, error: unknown, step: CompiledStep, limit: LimitFunction): Promise<void> {
  state.failedProcessor = step.type;
  if (pipeline.onFailure.length === 0) {
    state.status = 'failed';
    state.error = error;
    return;
  }
  try {
    const outcome = await withFailureMetadata(state.document, error, step, pipeline.id, async () => {
      for (const handler of pipeline.onFailure) {
        if ((await runStepOnDocument(handler, state.document, state.trace, limit)) === 'dropped') return 'dropped' as const;
      }
      return 'ok' as const;
    });
    state.status = outcome === 'dropped' ? 'dropped' : 'finished';
  } catch (handlerError) {
    state.status = 'failed';
    state.error = handlerError;
  }
}

/** OpenSearch exposes the failure to on_failure processors as `_ingest.on_failure_*`, then removes it. */
async function withFailureMetadata<T>(document: IngestDocument, error: unknown, step: CompiledStep, pipelineId: string | undefined, run: () => Promise<T>): Promise<T> {
  const metadata = document.ingestMetadata;
  const previous = { ...metadata };
  metadata['on_failure_message'] = renderError(error).body.error.reason;
  metadata['on_failure_processor_type'] = step.type;
  metadata['on_failure_processor_tag'] = step.tag ?? null;
  if (pipelineId !== undefined) metadata['on_failure_pipeline'] = pipelineId;
  try {
    return await run();
  } finally {
    for (const key of ['on_failure_message', 'on_failure_processor_type', 'on_failure_processor_tag', 'on_failure_pipeline']) {
      if (Object.hasOwn(previous, key)) metadata[key] = previous[key];
      else delete metadata[key];
    }
  }
}

function evaluateCondition(step: CompiledStep, document: IngestDocument): boolean | { error: unknown } {
  if (!step.condition) return true;
  try {
    return step.condition.script.execute({ ctx: document.sourceAndMetadata }) === true;
  } catch (error) {
    return { error };
  }
}

async function executeStep(step: CompiledStep, documents: IngestDocument[], limit: LimitFunction): Promise<BatchOutcome[]> {
  if (documents.length === 0) return [];
  const { processor } = step;
  if (processor.executeBatch && documents.length > 1) {
    try {
      return await processor.executeBatch(documents);
    } catch (error) {
      return documents.map(() => ({ status: 'failed', error }));
    }
  }
  return Promise.all(
    documents.map((document) =>
      limit(async (): Promise<BatchOutcome> => {
        try {
          return (await processor.execute(document)) === 'drop' ? { status: 'dropped' } : { status: 'ok' };
        } catch (error) {
          return { status: 'failed', error };
        }
      }),
    ),
  );
}

function toResult(state: DocumentState): DocumentResult {
  const processorResults = state.trace?.results;
  const traced = processorResults === undefined ? {} : { processorResults };
  switch (state.status) {
    case 'dropped':
      return { status: 'dropped', ...traced };
    case 'failed': {
      const rendered = renderError(state.error);
      const { root_cause: rootCause, ...errorBody } = rendered.body.error;
      return {
        status: 'failed',
        error: state.error,
        httpStatus: rendered.status,
        errorBody: { root_cause: rootCause, ...errorBody } as DocumentError,
        ...traced,
        ...(state.failedProcessor === undefined ? {} : { processorType: state.failedProcessor }),
      };
    }
    default:
      return { status: 'ok', document: state.document, ...traced };
  }
}
