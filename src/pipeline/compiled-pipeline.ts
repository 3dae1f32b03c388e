import type { CompiledScript, IngestProcessor } from '../processors/processor-definition.js';

/** One processor of a pipeline with the common options the runner applies around it. */
export interface CompiledStep {
  readonly type: string;
  readonly tag: string | undefined;
  readonly description: string | undefined;
  readonly processor: IngestProcessor;
  /** The `if` condition's source and compiled script. */
  readonly condition: { readonly source: string; readonly script: CompiledScript } | undefined;
  readonly ignoreFailure: boolean;
  readonly onFailure: readonly CompiledStep[];
}

/** An ingest pipeline ready to run. */
export interface CompiledIngestPipeline {
  readonly id: string;
  readonly steps: readonly CompiledStep[];
  readonly onFailure: readonly CompiledStep[];
}
