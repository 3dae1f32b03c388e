/**
 * The runs of jobs on this replica: starting a new job's run, and taking over running jobs nobody
 * runs any more. With the cluster store a job runs on the replica holding its lease (named after
 * the job); a replica takes a job over once its lease lapses, and names its run in the job record
 * (conditionally on what it read), which fences off a run still under way elsewhere. With the
 * embedded store the one process runs every job, so it takes over at once (after a restart).
 */
import { Lease } from '../replicas/lease.js';
import type { CredentialCipher } from '../security/credential-cipher.js';
import { unchanged, type StoredRecord } from '../store/store.js';
import { BACKFILL_JOBS, type JobRecord } from './job-record.js';
import { JobRunner, type RunnerDeps } from './job-runner.js';

export interface LauncherDeps extends RunnerDeps {
  readonly cipher: CredentialCipher;
  /** This process, among the replicas (leases and runs are named after it). */
  readonly processId: string;
  /** With the cluster store, jobs are leased for this long; undefined: one process runs them all. */
  readonly leaseTtlMs: number | undefined;
}

export class JobLauncher {
  private readonly running = new Map<string, JobRunner>();
  /** Jobs being created here: they must not be taken for orphans before they run. */
  private readonly starting = new Set<string>();
  /** Leases of jobs this replica might take over, kept so a lapse is judged over several turns. */
  private readonly candidates = new Map<string, Lease>();
  private runs = 0;
  private stopped = false;

  constructor(private readonly deps: LauncherDeps) {}

  /** The run of a job on this replica, if any. */
  runnerOf(task: string): JobRunner | undefined {
    return this.running.get(task);
  }

  /** A name for a new run of this replica. */
  newRunId(): string {
    return `${this.deps.processId}/${++this.runs}`;
  }

  /** The caller's header, encrypted for the job record (bound to the job). */
  sealAuthorization(task: string, authorization: string | undefined): string | null {
    return authorization === undefined ? null : this.deps.cipher.encrypt(authorization, associatedData(task));
  }

  /** Writes a new job (its lease taken first) and starts its run. */
  async launchNew(job: JobRecord, authorization: string | undefined): Promise<JobRunner> {
    const lease = this.leaseOf(job.task);
    this.starting.add(job.task);
    try {
      await lease?.acquire();
      const [written] = await this.deps.store.write([{ op: 'create', collection: BACKFILL_JOBS, id: job.task, source: job }]);
      return this.launch({ collection: BACKFILL_JOBS, id: job.task, source: job, ...versionOf(written!) }, { authorization, resumed: false, lease });
    } finally {
      this.starting.delete(job.task);
    }
  }

  /** Takes over the running jobs nobody runs; answers how many. */
  async resumeOrphans(): Promise<number> {
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
      const claimed: JobRecord = { ...record.source, runner: this.newRunId() };
      let written;
      try {
        [written] = await this.deps.store.write([{ op: 'put', collection: BACKFILL_JOBS, id: record.id, source: claimed, ifMatch: unchanged(record) }]);
      } catch (error) {
        if ((error as { status?: number }).status === 409) continue;
        throw error;
      }
      this.deps.logger.info({ task: record.id, batches: claimed.counters.batches }, 'resuming backfill job');
      this.launch({ ...record, source: claimed, ...versionOf(written!) }, {
        authorization: claimed.authorization === null ? undefined : this.deps.cipher.decrypt(claimed.authorization, associatedData(claimed.task)),
        resumed: claimed.counters.batches > 0,
        lease,
      });
      resumed++;
    }
    return resumed;
  }

  /** Stops this replica's runs without changing their jobs: another run resumes them. */
  async stop(): Promise<void> {
    this.stopped = true;
    const runners = [...this.running.values()];
    for (const runner of runners) runner.halt();
    await Promise.all(runners.map((runner) => runner.done.catch(() => undefined)));
  }

  private launch(record: StoredRecord<JobRecord>, options: { authorization: string | undefined; resumed: boolean; lease: Lease | undefined }): JobRunner {
    const runner = new JobRunner(this.deps, record, { ...options, leaseRenewMs: Math.max(100, Math.floor((this.deps.leaseTtlMs ?? 0) / 3)) });
    this.running.set(record.id, runner);
    void runner.done.finally(() => {
      if (this.running.get(record.id) === runner) this.running.delete(record.id);
    });
    return runner;
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
}

const associatedData = (task: string): string => `backfill-job:${task}:authorization`;

const versionOf = (written: { version: number; seqNo: number; primaryTerm: number }) => ({
  version: written.version,
  seqNo: written.seqNo,
  primaryTerm: written.primaryTerm,
});
