/**
 * What pipeline runs report: per ingest run, every document's result; per search phase, whether
 * it failed the search and which processors failed (also those `ignore_failure` let pass). The
 * telemetry module counts and logs them; it must never log a failure's reason, which may quote
 * the document.
 */
import type { DocumentResult } from './run-ingest.js';

/** A search processor that threw. */
export interface SearchProcessorFailure {
  readonly processorType: string;
  readonly tag: string | undefined;
  readonly error: unknown;
  /** `ignore_failure` let the search go on. */
  readonly ignored: boolean;
}

/** Receives pipeline runs; every method must be cheap and must not throw. */
export interface PipelineEvents {
  /** An ingest pipeline ran over documents: one result per document, in order. */
  ingested(pipelineId: string, results: readonly DocumentResult[]): void;
  /** A search pipeline's request or response phase ran; `failed` when it failed the search. */
  searched(pipelineId: string, phase: 'request' | 'response', failed: boolean, failures: readonly SearchProcessorFailure[]): void;
}

/** Hears nothing. */
export const NO_PIPELINE_EVENTS: PipelineEvents = { ingested: () => {}, searched: () => {} };
