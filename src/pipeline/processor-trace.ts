import { renderError } from '../errors/render-error.js';
import type { CompiledStep } from './compiled-pipeline.js';
import type { IngestDocument } from './ingest-document.js';
import { simulatedDocument, type SimulatedDocument } from './simulated-document.js';

/** One entry of `_simulate?verbose`'s `processor_results` (SimulateProcessorResult). */
export interface ProcessorResult {
  processor_type: string;
  status: 'success' | 'error' | 'error_ignored' | 'skipped' | 'dropped';
  tag?: string;
  description?: string;
  if?: { condition: string; result: boolean };
  doc?: SimulatedDocument;
  error?: Record<string, unknown>;
  ignored_error?: { error: Record<string, unknown> };
}

/** Records what each processor did to one document, for verbose simulate. */
export class ProcessorTrace {
  readonly results: ProcessorResult[] = [];

  constructor(private readonly pipelineId: string) {}

  success(step: CompiledStep, document: IngestDocument): void {
    this.results.push({ ...base(step, 'success'), ...condition(step, true), doc: simulatedDocument(document, this.pipelineId) });
  }

  skipped(step: CompiledStep): void {
    this.results.push({ ...base(step, 'skipped'), ...condition(step, false) });
  }

  dropped(step: CompiledStep): void {
    this.results.push({ ...base(step, 'dropped'), ...condition(step, true) });
  }

  ignored(step: CompiledStep, document: IngestDocument, error: unknown): void {
    this.results.push({
      ...base(step, 'error_ignored'),
      ...condition(step, true),
      ignored_error: { error: errorObject(error) },
      doc: simulatedDocument(document, this.pipelineId),
    });
  }

  failed(step: CompiledStep, error: unknown): void {
    this.results.push({ ...base(step, 'error'), ...condition(step, true), error: errorObject(error) });
  }
}

function base(step: CompiledStep, status: ProcessorResult['status']): ProcessorResult {
  return {
    processor_type: step.type,
    status,
    ...(step.tag === undefined ? {} : { tag: step.tag }),
    ...(step.description === undefined ? {} : { description: step.description }),
  };
}

function condition(step: CompiledStep, result: boolean): Pick<ProcessorResult, 'if'> {
  return step.condition ? { if: { condition: step.condition.source, result } } : {};
}

function errorObject(error: unknown): Record<string, unknown> {
  return renderError(error).body.error;
}
