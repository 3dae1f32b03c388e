/**
 * The ingest loop: input lines in batches through the pipeline (several batches in flight, so
 * model calls overlap), then, in input order, each batch's documents to the sink, its failures to
 * the dead-letter file, and a checkpoint. Memory holds at most `concurrency` batches, whatever
 * the input's size. A document that fails (a line that is not JSON, the pipeline, the cluster
 * refusing it) is dead-lettered with its source, so the dead-letter file can be ingested again.
 */
import { renderError } from '../../errors/render-error.js';
import type { CompiledIngestPipeline } from '../../pipeline/compiled-pipeline.js';
import type { IngestInput, IngestPipelineService } from '../../pipeline/ingest-pipeline-service.js';
import type { Clock } from '../../util/clock.js';
import type { AppendFile } from './append-file.js';
import type { CheckpointWriter, IngestCheckpoint } from './ingest-checkpoint.js';
import type { DocumentSink, OutputDocument } from './ingest-sinks.js';
import { parseInputLine, type InputDocument } from './input-document.js';
import type { InputLine } from './ndjson-lines.js';

export interface IngestRunDeps {
  readonly pipelines: IngestPipelineService;
  readonly pipeline: CompiledIngestPipeline;
  readonly lines: AsyncIterable<InputLine>;
  readonly sink: DocumentSink;
  readonly deadLetters: AppendFile;
  readonly checkpoints: CheckpointWriter | undefined;
  readonly onProgress: (checkpoint: IngestCheckpoint) => void;
  readonly clock: Clock;
}

export interface IngestRunOptions {
  readonly batchSize: number;
  readonly concurrency: number;
  /** `--index`: the documents' index, and documents without an id get `<run_id>-<line>`. */
  readonly targetIndex: string | undefined;
  /** Where the run starts (a fresh run: all zeros). */
  readonly from: IngestCheckpoint;
}

/** A document that could not be ingested, as the dead-letter file keeps it. */
interface Failure {
  readonly line: number;
  readonly document: InputDocument | undefined;
  /** The line itself when it was not a document. */
  readonly raw?: string;
  readonly error: Record<string, unknown>;
  readonly status: number;
}

interface Processed {
  readonly last: InputLine;
  readonly outputs: OutputDocument[];
  readonly failures: Failure[];
  readonly dropped: number;
}

/** Runs the whole input; answers the final checkpoint (the counts). */
export async function runIngest(deps: IngestRunDeps, options: IngestRunOptions): Promise<IngestCheckpoint> {
  let state = options.from;
  const inFlight: Array<Promise<Processed>> = [];
  const commit = async (processed: Processed) => {
    state = await commitBatch(deps, state, processed);
  };
  let batch: InputLine[] = [];
  const submit = async () => {
    const processing = processBatch(deps, options, batch);
    // Awaited in order below; this keeps a failure meanwhile from counting as unhandled.
    processing.catch(() => undefined);
    inFlight.push(processing);
    batch = [];
    if (inFlight.length >= options.concurrency) await commit(await inFlight.shift()!);
  };
  for await (const line of deps.lines) {
    batch.push(line);
    if (batch.length >= options.batchSize) await submit();
  }
  if (batch.length > 0) await submit();
  for (const processing of inFlight.splice(0)) await commit(await processing);
  deps.checkpoints?.save(state, true);
  return state;
}

async function processBatch(deps: IngestRunDeps, options: IngestRunOptions, lines: readonly InputLine[]): Promise<Processed> {
  const failures: Failure[] = [];
  const parsed: Array<{ line: InputLine; document: InputDocument }> = [];
  for (const line of lines) {
    try {
      parsed.push({ line, document: parseInputLine(line.text, line.number) });
    } catch (error) {
      failures.push({ line: line.number, document: undefined, raw: line.text, ...errorOf(error) });
    }
  }
  const inputs: IngestInput[] = parsed.map(({ line, document }) => ({
    source: document.source,
    index: document.index ?? options.targetIndex ?? '_index',
    id: document.id ?? (options.targetIndex === undefined ? undefined : `${options.from.run_id}-${line.number}`),
    routing: document.routing,
  }));
  const results = await deps.pipelines.run(deps.pipeline, inputs);
  const outputs: OutputDocument[] = [];
  let dropped = 0;
  results.forEach((result, position) => {
    const { line, document } = parsed[position]!;
    if (result.status === 'dropped') dropped++;
    else if (result.status === 'failed') {
      const { root_cause: _rootCause, ...error } = result.errorBody;
      failures.push({ line: line.number, document, error, status: result.httpStatus });
    } else {
      const enriched = result.document;
      const source = enriched.source();
      const id = enriched.metadata('_id') as string | undefined;
      const index = String(enriched.metadata('_index'));
      outputs.push({
        line: line.number,
        index,
        id,
        routing: enriched.metadata('_routing') as string | undefined,
        source,
        text: options.targetIndex !== undefined ? '' : outputLine(document, { id, index, source }),
      });
    }
  });
  return { last: lines.at(-1)!, outputs, failures, dropped };
}

/** The output file keeps each line's form: a document, or `{"_id", "_index"?, "_source"}`. */
function outputLine(input: InputDocument, enriched: { id: string | undefined; index: string; source: Record<string, unknown> }): string {
  if (!input.envelope) return JSON.stringify(enriched.source);
  return JSON.stringify({
    ...(enriched.id === undefined ? {} : { _id: enriched.id }),
    ...(input.index === undefined ? {} : { _index: enriched.index }),
    _source: enriched.source,
  });
}

async function commitBatch(deps: IngestRunDeps, state: IngestCheckpoint, processed: Processed): Promise<IngestCheckpoint> {
  const refused = await deps.sink.write(processed.outputs);
  const failures: Failure[] = [
    ...processed.failures,
    ...refused.map(({ document, error, status }) => ({
      line: document.line,
      document: { source: document.source, id: document.id, index: document.index, routing: document.routing, envelope: true },
      error,
      status,
    })),
  ];
  const failedAt = new Date(deps.clock.now()).toISOString();
  await deps.deadLetters.append(failures.map((failure) => `${JSON.stringify(deadLetterLine(failure, failedAt))}\n`).join(''));
  const next: IngestCheckpoint = {
    ...state,
    line: processed.last.number,
    input_offset: processed.last.end,
    output_bytes: deps.sink.position,
    dead_letter_bytes: deps.deadLetters.position,
    written: state.written + processed.outputs.length - refused.length,
    dropped: state.dropped + processed.dropped,
    failed: state.failed + failures.length,
  };
  deps.checkpoints?.save(next);
  deps.onProgress(next);
  return next;
}

function deadLetterLine(failure: Failure, failedAt: string): Record<string, unknown> {
  const { document } = failure;
  return {
    line: failure.line,
    ...(document?.id === undefined ? {} : { _id: document.id }),
    ...(document?.index === undefined ? {} : { _index: document.index }),
    _source: document === undefined ? null : document.source,
    ...(failure.raw === undefined ? {} : { raw: failure.raw }),
    error: failure.error,
    status: failure.status,
    failed_at: failedAt,
  };
}

function errorOf(error: unknown): { error: Record<string, unknown>; status: number } {
  const rendered = renderError(error);
  const { root_cause: _rootCause, ...body } = rendered.body.error;
  return { error: body, status: rendered.status };
}
