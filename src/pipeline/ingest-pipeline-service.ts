import { illegalArgument, OpenSearchError } from '../errors/opensearch-error.js';
import { compileSchema, validateOrThrow } from '../schemas/ajv.js';
import { simulateBodySchema } from '../schemas/pipeline-schemas.js';
import type { Store } from '../store/store.js';
import type { Clock } from '../util/clock.js';
import { isJsonObject } from '../util/json.js';
import { buildIngestPipeline, type PipelineBuildDeps } from './build-ingest-pipeline.js';
import type { CompiledIngestPipeline } from './compiled-pipeline.js';
import { IngestDocument } from './ingest-document.js';
import { PipelineCatalog, type StoredPipeline } from './pipeline-catalog.js';
import { NO_PIPELINE_EVENTS, type PipelineEvents } from './pipeline-events.js';
import { runIngestPipeline, type DocumentResult } from './run-ingest.js';
import { simulatedDocument } from './simulated-document.js';

const validateSimulate = compileSchema<{ pipeline?: unknown; docs: Array<{ _index?: string; _id?: string; _routing?: string; _source?: Record<string, unknown> }> }>(simulateBodySchema);

/** A document handed to a pipeline: its source and metadata. */
export interface IngestInput {
  readonly source: Record<string, unknown>;
  readonly index: string;
  readonly id?: string | undefined;
  readonly routing?: string | undefined;
}

/**
 * Ingest pipelines: stored definitions (API and `pipelines/` files), validated when stored, run
 * in batches by `_simulate`, the proxy and the batch ingest command.
 */
export class IngestPipelineService {
  private readonly catalog: PipelineCatalog<CompiledIngestPipeline>;

  constructor(
    private readonly deps: { store: Store; clock: Clock; build: PipelineBuildDeps; files?: ReadonlyMap<string, unknown>; events?: PipelineEvents },
  ) {
    this.catalog = new PipelineCatalog({
      store: deps.store,
      collection: 'ingest-pipelines',
      kind: 'ingest',
      compile: (id, body) => buildIngestPipeline(id, body, deps.build),
      files: deps.files ?? new Map(),
    });
  }

  /** Compiles the pipeline files and the stored pipelines; a broken file is reported at start. */
  async load(): Promise<void> {
    await this.catalog.load();
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

  /** Every pipeline id with where it comes from (for the README's and operators' benefit). */
  list(): Promise<StoredPipeline[]> {
    return this.catalog.list();
  }

  /** The compiled pipeline; 404 as OpenSearch when it does not exist. */
  compiled(id: string): Promise<CompiledIngestPipeline> {
    return this.catalog.compiled(id);
  }

  /** Whether a pipeline of that id exists here (the proxy forwards the others to the cluster). */
  has(id: string): Promise<boolean> {
    return this.catalog.has(id);
  }

  /** Runs documents through a pipeline: one result per document, in order. */
  async run(pipeline: CompiledIngestPipeline, inputs: readonly IngestInput[], verbose = false): Promise<DocumentResult[]> {
    const timestamp = new Date(this.deps.clock.now()).toISOString();
    const documents = inputs.map((input) =>
      IngestDocument.create(input.source, { _index: input.index, _id: input.id, _routing: input.routing }, timestamp),
    );
    const results = await runIngestPipeline(pipeline, documents, { verbose });
    (this.deps.events ?? NO_PIPELINE_EVENTS).ingested(pipeline.id, results);
    return results;
  }

  /** `_simulate`: a stored pipeline by id, or the body's inline `pipeline`. */
  async simulate(body: unknown, options: { id?: string; verbose: boolean }): Promise<{ docs: unknown[] }> {
    const input = validateOrThrow(validateSimulate, body, { what: 'simulate', toError: illegalArgument });
    if (input.docs.length === 0) throw illegalArgument('must specify at least one document in [docs]');
    let pipeline: CompiledIngestPipeline;
    if (options.id !== undefined) {
      pipeline = await this.compiled(options.id);
    } else {
      if (!isJsonObject(input.pipeline)) {
        throw new OpenSearchError({ status: 400, type: 'parse_exception', reason: '[pipeline] required property is missing' });
      }
      pipeline = buildIngestPipeline('_simulate_pipeline', input.pipeline, this.deps.build);
    }
    const results = await this.run(
      pipeline,
      input.docs.map((doc) => ({ source: doc._source ?? {}, index: doc._index ?? '_index', id: doc._id ?? '_id', routing: doc._routing })),
      options.verbose,
    );
    return { docs: results.map((result) => (options.verbose ? { processor_results: result.processorResults ?? [] } : simulateEntry(result))) };
  }
}

function simulateEntry(result: DocumentResult): unknown {
  switch (result.status) {
    case 'ok':
      return { doc: simulatedDocument(result.document) };
    case 'dropped':
      return null;
    case 'failed':
      return { error: result.errorBody };
  }
}
