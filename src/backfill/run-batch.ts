/**
 * One batch of a job: the source documents run through the sidecar pipeline, the enriched ones
 * are written in one `_bulk` (with `pipeline=_none`: the cluster must not run a pipeline again),
 * and every document that failed (in the pipeline, or refused by the destination) is written to
 * the dead-letter index instead of stopping the job. A version conflict stops it only with
 * `conflicts=abort`, as in OpenSearch.
 */
import { OpenSearchError } from '../errors/opensearch-error.js';
import type { CompiledIngestPipeline } from '../pipeline/compiled-pipeline.js';
import type { IngestDocument } from '../pipeline/ingest-document.js';
import type { IngestPipelineService } from '../pipeline/ingest-pipeline-service.js';
import type { BulkItem } from '../proxy/bulk-request.js';
import type { Clock } from '../util/clock.js';
import { isJsonObject } from '../util/json.js';
import { deadLetterItem, deadLetterRemoval, type DeadLetterEntry } from './dead-letter.js';
import type { BulkItemAnswer, JobCluster } from './job-cluster.js';
import type { JobFailure, JobSpec } from './job-record.js';
import type { SourceHit } from './source-reader.js';

type Item = Pick<BulkItem, 'action' | 'metadata' | 'source'>;

export interface BatchContext {
  readonly cluster: JobCluster;
  readonly pipelines: IngestPipelineService;
  readonly pipeline: CompiledIngestPipeline;
  readonly spec: JobSpec;
  readonly task: string;
  readonly clock: Clock;
  /** Counts a bulk retry. */
  readonly onBulkRetry: () => void;
}

/** What a batch did, to add to the job's counters. */
export interface BatchOutcome {
  created: number;
  updated: number;
  noops: number;
  versionConflicts: number;
  failures: number;
  /** Dead-lettered documents and aborting conflicts, as OpenSearch lists failures. */
  readonly listed: JobFailure[];
  /** A version conflict under `conflicts=abort`: the job ends after this batch. */
  abort: boolean;
}

/**
 * Runs one batch. `replaying` is the first batch after a resume: it may have been written before
 * the crash, so documents it writes lose any dead-letter entry an earlier try left, and a
 * `create` that finds its document already there is no reason to abort.
 */
export async function runBatch(context: BatchContext, hits: readonly SourceHit[], replaying: boolean): Promise<BatchOutcome> {
  const { spec } = context;
  const outcome: BatchOutcome = { created: 0, updated: 0, noops: 0, versionConflicts: 0, failures: 0, listed: [], abort: false };
  const stored = spec.kind === 'reindex' && reusesOutputs(context.pipeline) ? await readStored(context, hits) : new Map();
  const results = await context.pipelines.run(
    context.pipeline,
    hits.map((hit) => ({
      source: hit._source ?? {},
      index: spec.kind === 'reindex' ? spec.dest_index! : hit._index,
      id: hit._id,
      routing: hit._routing,
      stored: stored.get(hit._id),
    })),
  );
  const writes: Array<{ hit: SourceHit; item: Item }> = [];
  const deadLetters: DeadLetterEntry[] = [];
  results.forEach((result, position) => {
    const hit = hits[position]!;
    if (result.status === 'ok') writes.push({ hit, item: destinationItem(spec, hit, result.document) });
    else if (result.status === 'dropped') outcome.noops++;
    else deadLetters.push(entry(context, hit, 'pipeline', withoutRootCause(result.errorBody), result.httpStatus));
  });
  const removals = replaying ? writes.map(({ hit }) => deadLetterRemoval(spec.dead_letter_index, hit._index, hit._id)) : [];
  const answers = await sendBulk(context, [...writes.map(({ item }) => item), ...deadLetters.map((dead) => deadLetterItem(spec.dead_letter_index, dead))], removals);
  const refused: DeadLetterEntry[] = [];
  writes.forEach(({ hit }, position) => {
    const answer = answers[position]!;
    const status = answer.status ?? 500;
    if (status < 300) {
      if (answer.result === 'created') outcome.created++;
      else if (answer.result === 'noop') outcome.noops++;
      else outcome.updated++;
    } else if (answer.error?.['type'] === 'version_conflict_engine_exception') {
      outcome.versionConflicts++;
      const expected = replaying && spec.op_type === 'create';
      if (spec.conflicts === 'abort' && !expected) {
        outcome.abort = true;
        outcome.listed.push({ index: hit._index, id: hit._id, cause: answer.error, status });
      }
    } else {
      refused.push(entry(context, hit, 'write', answer.error ?? { type: 'exception', reason: `status ${status}` }, status));
    }
  });
  checkDeadLetters(context, answers.slice(writes.length, writes.length + deadLetters.length));
  if (refused.length > 0) {
    checkDeadLetters(context, await sendBulk(context, refused.map((dead) => deadLetterItem(spec.dead_letter_index, dead)), []));
  }
  for (const dead of [...deadLetters, ...refused]) {
    outcome.failures++;
    outcome.listed.push({ index: dead.sourceIndex, id: dead.sourceId, cause: dead.error, status: dead.status });
  }
  return outcome;
}

const reusesOutputs = (pipeline: CompiledIngestPipeline): boolean => pipeline.steps.some((step) => step.processor.reusesOutputs === true);

/** The destination's current documents of the batch (a rerun's outputs to reuse), by id. */
async function readStored(context: BatchContext, hits: readonly SourceHit[]): Promise<Map<string, Record<string, unknown>>> {
  const answer = await context.cluster.call(
    { method: 'POST', path: '/_mget', body: { docs: hits.map((hit) => ({ _index: context.spec.dest_index, _id: hit._id })) } },
    context.onBulkRetry,
  );
  const stored = new Map<string, Record<string, unknown>>();
  const docs = isJsonObject(answer.body) && Array.isArray(answer.body['docs']) ? answer.body['docs'] : [];
  for (const doc of docs) {
    if (isJsonObject(doc) && doc['found'] === true && isJsonObject(doc['_source'])) stored.set(String(doc['_id']), doc['_source']);
  }
  return stored;
}

/** The write of an enriched document: reindex to its destination, update_by_query in place. */
function destinationItem(spec: JobSpec, hit: SourceHit, document: IngestDocument): Item {
  const source = document.source();
  if (spec.kind === 'update_by_query') {
    const metadata: Record<string, unknown> = { _index: hit._index, _id: hit._id, if_seq_no: hit._seq_no, if_primary_term: hit._primary_term, pipeline: '_none' };
    if (hit._routing !== undefined) metadata['routing'] = hit._routing;
    return { action: 'index', metadata, source };
  }
  const metadata: Record<string, unknown> = { _index: document.metadata('_index'), _id: document.metadata('_id') ?? hit._id, pipeline: '_none' };
  const routing = spec.routing === 'keep' ? (document.metadata('_routing') ?? hit._routing) : spec.routing.startsWith('=') ? spec.routing.slice(1) : undefined;
  if (routing !== undefined) metadata['routing'] = routing;
  if (spec.version_type === 'external' || spec.version_type === 'external_gte') {
    metadata['version'] = hit._version;
    metadata['version_type'] = spec.version_type;
  }
  return { action: spec.op_type, metadata, source };
}

function entry(context: BatchContext, hit: SourceHit, stage: DeadLetterEntry['stage'], error: Record<string, unknown>, status: number): DeadLetterEntry {
  return {
    sourceIndex: hit._index,
    sourceId: hit._id,
    stage,
    error,
    status,
    task: context.task,
    pipeline: context.spec.pipeline,
    failedAt: context.clock.now(),
  };
}

/** One `_bulk`; answers one entry per item of `items` (the removals' answers do not matter). */
async function sendBulk(context: BatchContext, items: readonly Item[], removals: readonly Item[]): Promise<BulkItemAnswer[]> {
  if (items.length + removals.length === 0) return [];
  return (await context.cluster.bulk([...items, ...removals], context.onBulkRetry)).slice(0, items.length);
}

/** A dead-letter entry that did not land would lose its document: the job stops instead. */
function checkDeadLetters(context: BatchContext, answers: readonly BulkItemAnswer[]): void {
  const failed = answers.find((answer) => (answer.status ?? 500) >= 300);
  if (failed === undefined) return;
  const reason = typeof failed.error?.['reason'] === 'string' ? failed.error['reason'] : `status ${failed.status}`;
  throw new OpenSearchError({
    status: failed.status ?? 500,
    type: typeof failed.error?.['type'] === 'string' ? failed.error['type'] : 'status_exception',
    reason: `could not write to the dead-letter index [${context.spec.dead_letter_index}]: ${reason}`,
  });
}

function withoutRootCause(error: Record<string, unknown>): Record<string, unknown> {
  const { root_cause: _rootCause, ...rest } = error;
  return rest;
}
