/**
 * Runs one job on this replica, batch after batch, from its checkpoint to the end: read, enrich,
 * write, checkpoint (a conditional write of the job record), pace. The record names the run that
 * advances it; a write that finds another run named there means another replica took the job
 * over, and this run stops without touching it. A cancel or rethrottle made on another replica is
 * read from the record between batches and during waits.
 */
import type { IngestPipelineService } from '../pipeline/ingest-pipeline-service.js';
import type { Lease } from '../replicas/lease.js';
import { unchanged, type Store, type StoredRecord, type WriteCondition } from '../store/store.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { errorObject, JobCluster, type ClusterCaller } from './job-cluster.js';
import { BACKFILL_JOBS, MAX_LISTED_FAILURES, type JobRecord, type JobState } from './job-record.js';
import { Pacer } from './pacer.js';
import { runBatch, type BatchContext, type BatchOutcome } from './run-batch.js';
import { SourceReader } from './source-reader.js';

export interface RunnerDeps {
  readonly store: Store;
  readonly pipelines: IngestPipelineService;
  readonly cluster: ClusterCaller;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface RunOptions {
  /** The caller's `Authorization` header (decrypted), for every cluster call of the job. */
  readonly authorization: string | undefined;
  /** Whether the job had already written batches (its first batch is then a replay). */
  readonly resumed: boolean;
  /** The job's lease (cluster store), renewed while the run lasts. */
  readonly lease: Lease | undefined;
  readonly leaseRenewMs: number;
}

/** Another run owns the job now. */
class LostOwnership extends Error {}

export class JobRunner {
  readonly done: Promise<JobRecord>;
  private job: JobRecord;
  private version: WriteCondition;
  private readonly halted = new AbortController();
  private readonly pacer: Pacer;
  private readonly cluster: JobCluster;

  constructor(
    private readonly deps: RunnerDeps,
    record: StoredRecord<JobRecord>,
    private readonly options: RunOptions,
  ) {
    this.job = structuredClone(record.source);
    this.version = unchanged(record);
    this.pacer = new Pacer(this.job.requests_per_second, deps.clock);
    this.cluster = new JobCluster(deps.cluster, options.authorization, deps.clock);
    this.done = this.runLeased();
  }

  /** The job as this run knows it now (fresher than the store between checkpoints). */
  get current(): JobRecord {
    return { ...this.job, throttled_until_millis: this.pacer.waitingUntil };
  }

  /** Ends the run at the next batch boundary as cancelled. */
  cancel(): void {
    this.job.cancel_requested = true;
    this.pacer.rethrottle(-1);
  }

  rethrottle(rate: number): void {
    this.job.requests_per_second = rate;
    this.pacer.rethrottle(rate);
  }

  /** Stops the run without changing the job (shutdown, or lost lease): another run resumes it. */
  halt(): void {
    this.halted.abort();
  }

  private async runLeased(): Promise<JobRecord> {
    const { lease } = this.options;
    const renewal = lease === undefined ? undefined : setInterval(() => void this.renew(lease), this.options.leaseRenewMs);
    renewal?.unref();
    try {
      return await this.run();
    } finally {
      clearInterval(renewal);
      // Releasing is a no-op once another replica holds it; after a shutdown it lets one resume the job at once.
      await lease?.release().catch(() => undefined);
    }
  }

  /** Only a lease taken by another replica halts the run; a store hiccup does not (the record fences runs anyway). */
  private async renew(lease: Lease): Promise<void> {
    const held = await lease.acquire().catch(() => true);
    if (!held) this.halt();
  }

  private async run(): Promise<JobRecord> {
    const { spec } = this.job;
    const counters = this.job.counters;
    const reader = new SourceReader(this.cluster, spec, () => counters.search_retries++);
    try {
      const context: BatchContext = {
        cluster: this.cluster,
        pipelines: this.deps.pipelines,
        pipeline: await this.deps.pipelines.compiled(spec.pipeline),
        spec,
        task: this.job.task,
        clock: this.deps.clock,
        onBulkRetry: () => counters.bulk_retries++,
      };
      // A resumed job reads a point in time of its own: the old one may be gone with its replica.
      if (this.job.pit_id !== null && this.options.resumed) await this.freePointInTime(this.job.pit_id);
      else if (this.job.pit_id !== null) reader.adopt(this.job.pit_id);
      let replaying = this.options.resumed;
      let countTotal = counters.batches === 0;
      for (;;) {
        if (this.halted.signal.aborted) return this.current;
        if (this.job.cancel_requested) break;
        const remaining = spec.max_docs === null ? spec.size : spec.max_docs - handled(this.job);
        if (remaining <= 0) break;
        const startedAt = this.deps.clock.now();
        const page = await reader.page(this.job.after, Math.min(spec.size, remaining), countTotal);
        if (countTotal) counters.total = spec.max_docs === null ? (page.total ?? 0) : Math.min(page.total ?? 0, spec.max_docs);
        countTotal = false;
        this.job.pit_id = reader.pointInTime;
        if (page.hits.length === 0) break;
        const outcome = await runBatch(context, page.hits, replaying);
        replaying = false;
        this.record(outcome, page.hits.at(-1)!.sort);
        await this.persist();
        if (outcome.abort) break;
        counters.throttled_millis += await this.pacer.pause(page.hits.length, startedAt, {
          stop: this.halted.signal,
          check: () => this.readRemoteChanges(),
        });
      }
      if (spec.refresh) await this.refresh();
      await reader.close();
      return await this.finish(this.job.cancel_requested ? 'cancelled' : 'completed');
    } catch (error) {
      await reader.close();
      if (error instanceof LostOwnership || this.halted.signal.aborted) return this.current;
      this.deps.logger.warn({ task: this.job.task, reason: errorObject(error).reason }, 'backfill job failed');
      this.job.error = errorObject(error);
      return await this.finish('failed').catch(() => this.current);
    }
  }

  private record(outcome: BatchOutcome, after: unknown[]): void {
    const counters = this.job.counters;
    counters.created += outcome.created;
    counters.updated += outcome.updated;
    counters.noops += outcome.noops;
    counters.version_conflicts += outcome.versionConflicts;
    counters.failures += outcome.failures;
    counters.batches++;
    const room = MAX_LISTED_FAILURES - this.job.failures.length;
    if (room > 0) this.job.failures.push(...outcome.listed.slice(0, room));
    this.job.after = after;
  }

  private async finish(state: JobState): Promise<JobRecord> {
    this.job.state = state;
    this.job.end_time_in_millis = this.deps.clock.now();
    this.job.runner = null;
    this.job.pit_id = null;
    await this.persist();
    return this.current;
  }

  /** Writes the record if this run still owns it, taking in what other replicas changed. */
  private async persist(): Promise<void> {
    for (;;) {
      try {
        const [written] = await this.deps.store.write([
          { op: 'put', collection: BACKFILL_JOBS, id: this.job.task, source: this.current, ifMatch: this.version },
        ]);
        this.version = { seqNo: written!.seqNo, primaryTerm: written!.primaryTerm };
        return;
      } catch (error) {
        if ((error as { status?: number }).status !== 409) throw error;
        await this.readRemoteChanges();
      }
    }
  }

  /** Adopts a cancel or rethrottle written by another replica; throws when the job is not ours any more. */
  private async readRemoteChanges(): Promise<void> {
    const stored = await this.deps.store.get<JobRecord>(BACKFILL_JOBS, this.job.task);
    if (stored === undefined || stored.source.runner !== this.job.runner) {
      this.halt();
      throw new LostOwnership();
    }
    if (stored.seqNo === this.version.seqNo && stored.primaryTerm === this.version.primaryTerm) return;
    if (stored.source.cancel_requested && !this.job.cancel_requested) this.cancel();
    if (stored.source.requests_per_second !== this.job.requests_per_second) this.rethrottle(stored.source.requests_per_second);
    this.version = unchanged(stored);
  }

  private async refresh(): Promise<void> {
    const { spec } = this.job;
    const indices = [...(spec.dest_index === null ? spec.source_indices : [spec.dest_index]), spec.dead_letter_index];
    await this.cluster.call({
      method: 'POST',
      path: `/${indices.map(encodeURIComponent).join(',')}/_refresh`,
      querystring: { ignore_unavailable: 'true' },
    });
  }

  private async freePointInTime(id: string): Promise<void> {
    await this.cluster.call({ method: 'DELETE', path: '/_search/point_in_time', body: { pit_id: [id] } }).catch(() => undefined);
  }
}

/** The documents a job has dealt with, one way or another. */
export function handled(job: JobRecord): number {
  const { created, updated, noops, version_conflicts, failures } = job.counters;
  return created + updated + noops + version_conflicts + failures;
}
