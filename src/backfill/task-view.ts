/**
 * A job as OpenSearch's task APIs show a reindex or update-by-query task: `TaskInfo` (node, id,
 * type, action, status, description, times, cancellable, cancelled, headers), the
 * BulkByScrollTask status, the BulkByScrollResponse once it is done, and the list-tasks answers
 * of `_cancel` and `_rethrottle`. Beyond OpenSearch: the status and the response also carry the
 * number of dead-lettered documents (`failures` in the status) and the dead-letter index.
 */
import { ACTIONS, type JobRecord } from './job-record.js';

type Json = Record<string, unknown>;

const NANOS_PER_MILLI = 1_000_000;
const CANCELED_BY_USER = 'by user request';

/** The BulkByScrollTask status fields shared by the task status and the response. */
function statusFields(job: JobRecord, now: number, options: { includeCreated: boolean }): Json {
  const counters = job.counters;
  return {
    total: counters.total,
    updated: counters.updated,
    ...(options.includeCreated ? { created: counters.created } : {}),
    deleted: counters.deleted,
    batches: counters.batches,
    version_conflicts: counters.version_conflicts,
    noops: counters.noops,
    retries: { bulk: counters.bulk_retries, search: counters.search_retries },
    throttled_millis: counters.throttled_millis,
    requests_per_second: job.requests_per_second,
    ...(job.state === 'cancelled' ? { canceled: CANCELED_BY_USER } : {}),
    throttled_until_millis: job.state === 'running' ? Math.max(0, job.throttled_until_millis - now) : 0,
  };
}

/** `task.status` of `GET /_tasks/{id}`. */
export function taskStatus(job: JobRecord, now: number): Json {
  return { ...statusFields(job, now, { includeCreated: true }), failures: job.counters.failures, dead_letter_index: job.spec.dead_letter_index };
}

/** OpenSearch's `TaskInfo`. */
export function taskInfo(job: JobRecord, now: number): Json {
  const end = job.end_time_in_millis ?? now;
  return {
    node: job.node,
    id: job.number,
    type: 'transport',
    action: ACTIONS[job.spec.kind],
    status: taskStatus(job, now),
    description: job.description,
    start_time_in_millis: job.start_time_in_millis,
    running_time_in_nanos: Math.max(0, end - job.start_time_in_millis) * NANOS_PER_MILLI,
    cancellable: true,
    cancelled: job.cancel_requested,
    headers: {},
  };
}

/** The reindex / update-by-query response (update-by-query has no `created`, as in OpenSearch). */
export function jobResponse(job: JobRecord): Json {
  const end = job.end_time_in_millis ?? job.start_time_in_millis;
  return {
    took: Math.max(0, end - job.start_time_in_millis),
    timed_out: false,
    ...statusFields(job, end, { includeCreated: job.spec.kind === 'reindex' }),
    failures: job.failures,
    dead_letter_index: job.spec.dead_letter_index,
  };
}

/** `GET /_tasks/{id}`: running, done with a response, or ended by an error. */
export function getTaskAnswer(job: JobRecord, now: number): Json {
  const completed = job.state !== 'running';
  return {
    completed,
    task: taskInfo(job, now),
    ...(job.state === 'failed' && job.error !== null ? { error: errorOf(job.error) } : completed ? { response: jobResponse(job) } : {}),
  };
}

/** The error object as OpenSearch renders it (the record keeps the status beside it). */
function errorOf(error: Record<string, unknown>): Json {
  const { status: _status, ...rendered } = error;
  return rendered;
}

/** The list-tasks answer of `_cancel` / `_rethrottle`, grouped as `group_by` asks (`nodes` by default). */
export function listTasksAnswer(jobs: readonly JobRecord[], options: { groupBy: string; nodeName: string; now: number }): Json {
  const infos = jobs.map((job) => ({ id: job.task, node: job.node, info: taskInfo(job, options.now) }));
  if (options.groupBy === 'none') return { tasks: infos.map(({ info }) => info) };
  if (options.groupBy === 'parents') return { tasks: Object.fromEntries(infos.map(({ id, info }) => [id, info])) };
  const nodes: Record<string, Json> = {};
  for (const { id, node, info } of infos) {
    const entry = (nodes[node] ??= { name: options.nodeName, roles: [], tasks: {} });
    (entry['tasks'] as Json)[id] = info;
  }
  return { nodes };
}

/** What `_cancel` / `_rethrottle` answer for a task that is not running (finished, or never was). */
export function taskMissingAnswer(task: string, node: string): Json {
  return {
    node_failures: [
      {
        type: 'failed_node_exception',
        reason: `Failed node [${node}]`,
        node_id: node,
        caused_by: { type: 'resource_not_found_exception', reason: `task [${task}] is missing` },
      },
    ],
    nodes: {},
  };
}
