import type {
  SearchPhaseResultsProcessor,
  SearchRequestProcessor,
  SearchResponseProcessor,
} from '../../processors/processor-definition.js';

/** One search processor with the common options the runner applies around it. */
export interface CompiledSearchStep<Processor> {
  readonly type: string;
  readonly tag: string | undefined;
  readonly description: string | undefined;
  readonly ignoreFailure: boolean;
  readonly processor: Processor;
}

/** A search pipeline ready to run. */
export interface CompiledSearchPipeline {
  readonly id: string;
  readonly requestSteps: ReadonlyArray<CompiledSearchStep<SearchRequestProcessor>>;
  /** At most one: the normalization or score ranker processor a `hybrid` query is scored with. */
  readonly phaseResultsStep?: CompiledSearchStep<SearchPhaseResultsProcessor>;
  readonly responseSteps: ReadonlyArray<CompiledSearchStep<SearchResponseProcessor>>;
}
