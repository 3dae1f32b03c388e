/**
 * Backfill jobs: `_reindex` and `_update_by_query` through a sidecar pipeline, run by the sidecar
 * and kept in the store, so a job outlives the replica running it. A job runs on the replica
 * holding its lease (cluster store); the replica doing background duties resumes a running job
 * whose lease lapsed (its replica died), from its checkpoint. With the embedded store the one
 * process resumes its running jobs when it starts again. A resumed run uses the caller's
 * `Authorization` header, kept encrypted with the master key in the job record.
 */
import { OpenSearchError } from '../errors/opensearch-error.js';
import type { IngestPipelineService } from '../pipeline/ingest-pipeline-service.js';
import type { Duty } from '../replicas/background-duties.js';
import { Lease } from '../replicas/lease.js';
import type { CredentialCipher } from '../security/credential-cipher.js';
import { withRetryOnConflict } from '../store/retry-on-conflict.js';
import { unchanged, type Store, type StoredRecord } from '../store/store.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { JobCluster, type ClusterCaller } from './job-cluster.js';
import { BACKFILL_JOBS, describeJob, emptyCounters, type JobRecord } from './job-record.js';
import type { JobRequest } from './job-request.js';
import { JobRunner } from './job-runner.js';
import { SourceReader } from './source-reader.js';
import { getTaskAnswer, jobResponse, listTasksAnswer, taskMissingAnswer } from './task-view.js';

export interface BackfillDeps {
  readonly store: Store;
  readonly cluster: ClusterCaller;
  readonly pipelines: IngestPipelineService;
  readonly cipher: CredentialCipher;
  readonly clock: Clock;
  readonly logger: Logger;
  /** This node's id, the first part of the task ids it gives. */
  readonly nodeId: string;
  readonly nodeName: string;
  /** This process, among the replicas (leases and runs are named after it). */
  readonly processId: string;
  /** With the cluster store, jobs are leased for this long; undefined: one process runs them all. */
  readonly leaseTtlMs: number | undefined;
}

/** An answer for the proxy: a status and a JSON body. */
export interface BackfillAnswer {
  readonly status: number;
  readonly body: unknown;
}

const POLL_MS = 250;
const DEFAULT_WAIT_MS = 30_000;

export class BackfillService {
  private readonly running = new Map<string, JobRunner>();
  /** Jobs being created here: the resume duty must not take them for orphans before they run. */
  private readonly starting = new Set<string>();
  /** Leases of jobs this replica might take over, kept so a lapse is judged over several turns. */
  private readonly candidates = new Map<string, Lease>();
  private lastNumber = 0;
  private runs = 0;
  private stopped = false;

  constructor(private readonly deps: BackfillDeps) {}

  /**
   * Starts a job: its source is checked first (a point in time is opened, so a missing index is
   * the cluster's 404 at once). Answers OpenSearch's response when the caller waits (the default),
   * else `{"task": "<node>:<number>"}`.
   */
  async start(request: JobRequest, authorization: string | undefined): Promise<BackfillAnswer> {
    const probe = new SourceReader(new JobCluster(this.deps.cluster, authorization, this.deps.clock), request.spec, () => undefined);
    await probe.open();
    const number = this.nextNumber();
    const task = `${this.deps.nodeId}:${number}`;
    const job: JobRecord = {
      task,
      node: this.deps.nodeId,
      number,
      description: describeJob(request.spec),
      spec: request.spec,
      state: 'running',
      start_time_in_millis: this.deps.clock.now(),
      end_time_in_millis: null,
      counters: emptyCounters(),
      requests_per_second: request.requestsPerSecond,
      throttled_until_millis: 0,
      after: null,
      pit_id: probe.pointInTime,
      runner: this.newRunId(),
      cancel_requested: false,
      failures: [],
      error: null,
      authorization: authorization === undefined ? null : this.deps.cipher.encrypt(authorization, associatedData(task)),
    };
    const lease = this.leaseOf(task);
    let runner: JobRunner;
    this.starting.add(task);
    try {
      await lease?.acquire();
      const [written] = await this.deps.store.write([{ op: 'create', collection: BACKFILL_JOBS, id: task, source: job }]);
      runner = this.launch({ collection: BACKFILL_JOBS, id: task, source: job, version: written!.version, seqNo: written!.seqNo, primaryTerm: written!.primaryTerm }, {
        authorization,
        resumed: false,
        lease,
      });
    } finally {
      this.starting.delete(task);
    }
    if (!request.waitForCompletion) return { status: 200, body: { task } };
    const done = await runner.done;
    if (done.state === 'running') {
      throw new OpenSearchError({
        status: 503,
        type: 'status_exception',
        reason: `The sidecar is stopping; task [${task}] goes on from its checkpoint on another replica (or at restart): GET /_tasks/${task}`,
      });
    }
    if (done.state === 'failed' && done.error !== null) throw jobError(done.error);
    return { status: 200, body: jobResponse(done) };
  }

  /** `GET /_tasks/{id}` of a job (undefined: not a job of the sidecar's). */
  async task(id: string, options: { waitForCompletion: boolean; timeoutMs: number | undefined }): Promise<BackfillAnswer | undefined> {
    let job = await this.current(id);
    if (job === undefined) return undefined;
    if (options.waitForCompletion && job.state === 'running') job = await this.waitFor(id, options.timeoutMs ?? DEFAULT_WAIT_MS);
    return { status: 200, body: getTaskAnswer(job, this.deps.clock.now()) };
  }

  /** `POST /_tasks/{id}/_cancel`: the job stops after its batch under way, as cancelled. */
  async cancel(id: string, groupBy: string): Promise<BackfillAnswer | undefined> {
    return this.change(id, groupBy, (job) => ({ ...job, cancel_requested: true }), (runner) => runner.cancel());
  }

  /** `POST /_reindex/{id}/_rethrottle`: a faster rate takes effect at once, a slower one from the next batch. */
  async rethrottle(id: string, rate: number, groupBy: string): Promise<BackfillAnswer | undefined> {
    return this.change(id, groupBy, (job) => ({ ...job, requests_per_second: rate }), (runner) => runner.rethrottle(rate));
  }

  /** The duty that resumes running jobs nobody runs any more (a lapsed lease, or a restart). */
  resumeDuty(): Duty {
    return { name: 'backfill-resume', everyMs: 1_000, run: async () => ({ resumed: await this.resumeOrphans() }) };
  }

  /** Stops the runs of this replica without changing their jobs (shutdown): another run resumes them. */
  async stop(): Promise<void> {
    this.stopped = true;
    const runners = [...this.running.values()];
    for (const runner of runners) runner.halt();
    await Promise.all(runners.map((runner) => runner.done.catch(() => undefined)));
  }

  private async resumeOrphans(): Promise<number> {
    let resumed = 0;
    const jobs = (await this.deps.store.list<JobRecord>(BACKFILL_JOBS)).filter((job) => job.source.state === 'running');
    for (const [task] of this.candidates) if (!jobs.some((job) => job.id === task)) this.candidates.delete(task);
    for (const listed of jobs) {
      if (this.stopped || this.running.has(listed.id) || this.starting.has(listed.id)) continue;
      const lease = this.leaseOf(listed.id);
      if (lease !== undefined && !(await lease.acquire().catch(() => false))) continue;
      this.candidates.delete(listed.id);
      // A list may lag behind the last checkpoint (its replica died before the refresh): read it by id.
      const record = await this.deps.store.get<JobRecord>(BACKFILL_JOBS, listed.id);
      if (record === undefined || record.source.state !== 'running') continue;
      // Naming this run in the record (conditionally on what was read) fences off any run still under way.
      const claimed: JobRecord = { ...record.source, runner: this.newRunId() };
      let written;
      try {
        [written] = await this.deps.store.write([{ op: 'put', collection: BACKFILL_JOBS, id: record.id, source: claimed, ifMatch: unchanged(record) }]);
      } catch (error) {
        if ((error as { status?: number }).status === 409) continue;
        throw error;
      }
      this.deps.logger.info({ task: record.id, batches: claimed.counters.batches }, 'resuming backfill job');
      this.launch({ ...record, source: claimed, version: written!.version, seqNo: written!.seqNo, primaryTerm: written!.primaryTerm }, {
        authorization: this.decryptAuthorization(claimed),
        resumed: claimed.counters.batches > 0,
        lease,
      });
      resumed++;
    }
    return resumed;
  }

  private launch(record: StoredRecord<JobRecord>, options: { authorization: string | undefined; resumed: boolean; lease: Lease | undefined }): JobRunner {
    const runner = new JobRunner(
      { store: this.deps.store, pipelines: this.deps.pipelines, cluster: this.deps.cluster, clock: this.deps.clock, logger: this.deps.logger },
      record,
      { ...options, leaseRenewMs: Math.max(100, Math.floor((this.deps.leaseTtlMs ?? 0) / 3)) },
    );
    this.running.set(record.id, runner);
    void runner.done.finally(() => {
      if (this.running.get(record.id) === runner) this.running.delete(record.id);
    });
    return runner;
  }

  /** The job as the runner here knows it, or as the store has it. */
  private async current(id: string): Promise<JobRecord | undefined> {
    const local = this.running.get(id);
    if (local !== undefined) return local.current;
    return (await this.deps.store.get<JobRecord>(BACKFILL_JOBS, id).catch(() => undefined))?.source;
  }

  private async waitFor(id: string, timeoutMs: number): Promise<JobRecord> {
    const deadline = this.deps.clock.now() + timeoutMs;
    for (;;) {
      const job = await this.current(id);
      if (job === undefined || job.state !== 'running') return job!;
      if (this.deps.clock.now() >= deadline) {
        throw new OpenSearchError({ status: 408, type: 'timeout_exception', reason: `Timed out waiting for completion of [${id}]` });
      }
      await this.deps.clock.sleep(Math.min(POLL_MS, deadline - this.deps.clock.now()));
    }
  }

  /** Writes a change any replica's run will read, and tells the local run at once. */
  private async change(
    id: string,
    groupBy: string,
    update: (job: JobRecord) => JobRecord,
    tellRunner: (runner: JobRunner) => void,
  ): Promise<BackfillAnswer | undefined> {
    const existing = await this.deps.store.get<JobRecord>(BACKFILL_JOBS, id);
    if (existing === undefined) return undefined;
    if (existing.source.state !== 'running') return { status: 200, body: taskMissingAnswer(id, existing.source.node) };
    const changed = await withRetryOnConflict(async () => {
      const record = (await this.deps.store.get<JobRecord>(BACKFILL_JOBS, id))!;
      if (record.source.state !== 'running') return undefined;
      const next = update(record.source);
      await this.deps.store.write([{ op: 'put', collection: BACKFILL_JOBS, id, source: next, ifMatch: unchanged(record) }]);
      return next;
    });
    if (changed === undefined) return { status: 200, body: taskMissingAnswer(id, existing.source.node) };
    const runner = this.running.get(id);
    if (runner !== undefined) tellRunner(runner);
    const job = runner?.current ?? changed;
    return { status: 200, body: listTasksAnswer([job], { groupBy, nodeName: this.deps.nodeName, now: this.deps.clock.now() }) };
  }

  private decryptAuthorization(job: JobRecord): string | undefined {
    if (job.authorization === null) return undefined;
    return this.deps.cipher.decrypt(job.authorization, associatedData(job.task));
  }

  private leaseOf(task: string): Lease | undefined {
    if (this.deps.leaseTtlMs === undefined) return undefined;
    let lease = this.candidates.get(task);
    if (lease === undefined) {
      lease = new Lease(this.deps.store, `backfill:${task}`, { replicaId: this.deps.processId, clock: this.deps.clock, ttlMs: this.deps.leaseTtlMs });
      this.candidates.set(task, lease);
    }
    return lease;
  }

  /** Task numbers grow with the clock, so a restarted node never gives an id twice. */
  private nextNumber(): number {
    this.lastNumber = Math.max(this.lastNumber + 1, this.deps.clock.now());
    return this.lastNumber;
  }

  private newRunId(): string {
    return `${this.deps.processId}/${++this.runs}`;
  }
}

const associatedData = (task: string): string => `backfill-job:${task}:authorization`;

function jobError(error: Record<string, unknown>): OpenSearchError {
  return new OpenSearchError({
    status: typeof error['status'] === 'number' ? error['status'] : 500,
    type: typeof error['type'] === 'string' ? error['type'] : 'exception',
    reason: typeof error['reason'] === 'string' ? error['reason'] : 'the job failed',
  });
}
