import { illegalArgument, OpenSearchError } from '../../errors/opensearch-error.js';
import type { PipelineBuildDeps } from '../build-ingest-pipeline.js';
import { compileSchema, validateOrThrow } from '../../schemas/ajv.js';
import { searchSimulateBodySchema } from '../../schemas/pipeline-schemas.js';
import type { Store } from '../../store/store.js';
import { checkHybridPlacement, topLevelHybrid } from '../../processors/search/index.js';
import { isJsonObject } from '../../util/json.js';
import { planHybridSearch, subQuerySearch } from './hybrid-search-plan.js';
import { PipelineCatalog } from '../pipeline-catalog.js';
import { NO_PIPELINE_EVENTS, type PipelineEvents, type SearchProcessorFailure } from '../pipeline-events.js';
import { buildSearchPipeline } from './build-search-pipeline.js';
import type { CompiledSearchPipeline } from './compiled-search-pipeline.js';
import { runSearchRequest, runSearchResponse } from './run-search.js';

const validateSimulate = compileSchema<{ pipeline?: unknown; request: Record<string, unknown>; response?: Record<string, unknown> }>(
  searchSimulateBodySchema,
);

/** Search pipelines: stored definitions run around searches (by the proxy) and by `_simulate`. */
export class SearchPipelineService {
  private readonly catalog: PipelineCatalog<CompiledSearchPipeline>;

  constructor(private readonly deps: { store: Store; build: PipelineBuildDeps; files?: ReadonlyMap<string, unknown>; events?: PipelineEvents }) {
    this.catalog = new PipelineCatalog({
      store: deps.store,
      collection: 'search-pipelines',
      kind: 'search',
      compile: (id, body) => buildSearchPipeline(id, body, deps.build),
      files: deps.files ?? new Map(),
    });
  }

  load(): Promise<void> {
    return this.catalog.load();
  }

  put(id: string, body: unknown): Promise<{ acknowledged: true }> {
    return this.catalog.put(id, body);
  }

  get(pattern: string | undefined): Promise<Record<string, unknown>> {
    return this.catalog.get(pattern);
  }

  delete(pattern: string): Promise<{ acknowledged: true }> {
    return this.catalog.delete(pattern);
  }

  has(id: string): Promise<boolean> {
    return this.catalog.has(id);
  }

  compiled(id: string): Promise<CompiledSearchPipeline> {
    return this.catalog.compiled(id);
  }

  /** An inline `search_pipeline` object of a search body, built like a stored one. */
  inline(body: unknown): CompiledSearchPipeline {
    return buildSearchPipeline('_inline', body, this.deps.build);
  }

  /** Request processors plus the neural rewrite, as the proxy runs them before forwarding. */
  rewriteRequest(pipeline: CompiledSearchPipeline | undefined, body: Record<string, unknown>, verbose = false) {
    return this.reported(pipeline, 'request', (failures) =>
      runSearchRequest(pipeline, body, { predictor: this.deps.build.predictor, clock: this.deps.build.clock, verbose, failures }),
    );
  }

  /** Response processors, as the proxy runs them on the cluster's answer (`streaming`: an answer may follow the response). */
  processResponse(
    pipeline: CompiledSearchPipeline | undefined,
    request: Awaited<ReturnType<SearchPipelineService['rewriteRequest']>>['context'],
    response: Record<string, unknown>,
    options: { readonly verbose?: boolean; readonly streaming?: boolean } = {},
  ) {
    return this.reported(pipeline, 'response', (failures) =>
      runSearchResponse(pipeline, request, response, { predictor: this.deps.build.predictor, clock: this.deps.build.clock, ...options, failures }),
    );
  }

  /** Runs one phase and reports it (a search without a pipeline of the sidecar's is not a pipeline run). */
  private async reported<T>(
    pipeline: CompiledSearchPipeline | undefined,
    phase: 'request' | 'response',
    run: (failures: SearchProcessorFailure[] | undefined) => Promise<T>,
  ): Promise<T> {
    if (pipeline === undefined) return run(undefined);
    const events = this.deps.events ?? NO_PIPELINE_EVENTS;
    const failures: SearchProcessorFailure[] = [];
    try {
      const result = await run(failures);
      events.searched(pipeline.id, phase, false, failures);
      return result;
    } catch (error) {
      events.searched(pipeline.id, phase, true, failures);
      throw error;
    }
  }

  /**
   * Beyond OpenSearch: `POST /_search/pipeline/{id}/_simulate` with `{"request", "response"}` shows
   * the rewritten request and the processed response, so a pipeline can be tried without a cluster;
   * with a phase results processor and a `hybrid` query, also the searches its sub-queries become.
   */
  async simulate(body: unknown, options: { id?: string; verbose: boolean }): Promise<Record<string, unknown>> {
    const input = validateOrThrow(validateSimulate, body, { what: 'simulate', toError: illegalArgument });
    let pipeline: CompiledSearchPipeline;
    if (options.id !== undefined) {
      pipeline = await this.compiled(options.id);
    } else {
      if (!isJsonObject(input.pipeline)) {
        throw new OpenSearchError({ status: 400, type: 'parse_exception', reason: '[pipeline] required property is missing' });
      }
      pipeline = this.inline(input.pipeline);
    }
    const request = await this.rewriteRequest(pipeline, input.request, options.verbose);
    const result: Record<string, unknown> = { request: request.context.body };
    const hybrid = pipeline.phaseResultsStep === undefined ? undefined : hybridSearches(request.context.body);
    if (hybrid !== undefined) result['hybrid'] = hybrid;
    const processorResults = [...request.results];
    if (input.response !== undefined) {
      const response = await this.processResponse(pipeline, request.context, input.response, { verbose: options.verbose });
      result['response'] = response.response;
      processorResults.push(...response.results);
    }
    if (options.verbose) result['processor_results'] = processorResults;
    return result;
  }
}

/**
 * The searches the proxy sends for a top-level `hybrid` query: one per sub-query (its `size` is
 * per primary shard; the proxy multiplies it by the index's primary shard count) and the one
 * that counts and aggregates.
 */
function hybridSearches(body: Record<string, unknown>): Record<string, unknown> | undefined {
  checkHybridPlacement(body);
  if (topLevelHybrid(body) === undefined) return undefined;
  const plan = planHybridSearch(body);
  return {
    sub_queries: plan.subQueries.map((_query, index) => subQuerySearch(plan, index, plan.depth)),
    ...(plan.count === undefined ? {} : { count: plan.count }),
  };
}
