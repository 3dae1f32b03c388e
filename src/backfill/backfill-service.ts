/**
 * Backfill jobs: `_reindex` and `_update_by_query` through a sidecar pipeline, run by the sidecar
 * and kept in the store, so a job outlives the replica running it (see job-launcher.ts); and the
 * task APIs over them. A cancel or rethrottle is written to the job record, which whichever
 * replica runs the job reads, and told to the run at once when it runs here.
 */
import { OpenSearchError } from '../errors/opensearch-error.js';
import type { Duty } from '../replicas/background-duties.js';
import { withRetryOnConflict } from '../store/retry-on-conflict.js';
import { unchanged } from '../store/store.js';
import { JobCluster } from './job-cluster.js';
import { BACKFILL_JOBS, describeJob, emptyCounters, type JobRecord } from './job-record.js';
import type { JobRequest } from './job-request.js';
import { JobLauncher, type LauncherDeps } from './job-launcher.js';
import type { JobRunner } from './job-runner.js';
import { SourceReader } from './source-reader.js';
import { getTaskAnswer, jobResponse, listTasksAnswer, taskMissingAnswer } from './task-view.js';

export interface BackfillDeps extends LauncherDeps {
  /** This node's id, the first part of the task ids it gives. */
  readonly nodeId: string;
  readonly nodeName: string;
}

/** An answer for the proxy: a status and a JSON body. */
export interface BackfillAnswer {
  readonly status: number;
  readonly body: unknown;
}

const POLL_MS = 250;
const DEFAULT_WAIT_MS = 30_000;

export class BackfillService {
  private readonly launcher: JobLauncher;
  private lastNumber = 0;

  constructor(private readonly deps: BackfillDeps) {
    this.launcher = new JobLauncher(deps);
  }

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
    const runner = await this.launcher.launchNew(
      {
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
        runner: this.launcher.newRunId(),
        cancel_requested: false,
        failures: [],
        error: null,
        authorization: this.launcher.sealAuthorization(task, authorization),
      },
      authorization,
    );
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
    return { name: 'backfill-resume', everyMs: 1_000, run: async () => ({ resumed: await this.launcher.resumeOrphans() }) };
  }

  /** Stops the runs of this replica without changing their jobs (shutdown): another run resumes them. */
  stop(): Promise<void> {
    return this.launcher.stop();
  }

  /** The job as the runner here knows it, or as the store has it. */
  private async current(id: string): Promise<JobRecord | undefined> {
    const local = this.launcher.runnerOf(id);
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
    const runner = this.launcher.runnerOf(id);
    if (runner !== undefined) tellRunner(runner);
    const job = runner?.current ?? changed;
    return { status: 200, body: listTasksAnswer([job], { groupBy, nodeName: this.deps.nodeName, now: this.deps.clock.now() }) };
  }

  /** Task numbers grow with the clock, so a restarted node never gives an id twice. */
  private nextNumber(): number {
    this.lastNumber = Math.max(this.lastNumber + 1, this.deps.clock.now());
    return this.lastNumber;
  }
}

function jobError(error: Record<string, unknown>): OpenSearchError {
  return new OpenSearchError({
    status: typeof error['status'] === 'number' ? error['status'] : 500,
    type: typeof error['type'] === 'string' ? error['type'] : 'exception',
    reason: typeof error['reason'] === 'string' ? error['reason'] : 'the job failed',
  });
}
