/**
 * The housekeeping duties: finished tasks older than the retention (ML Commons keeps them forever;
 * here `TASK_RETENTION_HOURS`, 0 keeps them), and heartbeats of replicas gone for an hour (each
 * start is a new replica id). Each round deletes at most `MAX_DELETES` records, oldest first.
 */
import type { Store } from '../store/store.js';
import type { Clock } from '../util/clock.js';
import type { Duty } from './background-duties.js';
import { HEARTBEATS } from './replica-membership.js';

const TASKS = '.plugins-ml-task';
const MAX_DELETES = 500;
const HOUR_MS = 3_600_000;

export function taskCleanup(store: Store, clock: Clock, retentionMs: number): Duty {
  return {
    name: 'task-cleanup',
    everyMs: HOUR_MS,
    run: async () => {
      if (retentionMs <= 0) return { deleted: 0 };
      const cutoff = clock.now() - retentionMs;
      const expired = (await store.list(TASKS)).filter(
        (task) => task.source['state'] !== 'RUNNING' && task.source['state'] !== 'CREATED' && Number(task.source['last_update_time']) < cutoff,
      );
      return { deleted: await deleteEach(store, TASKS, expired.map((task) => task.id)) };
    },
  };
}

export function heartbeatCleanup(store: Store, clock: Clock): Duty {
  return {
    name: 'heartbeat-cleanup',
    everyMs: HOUR_MS / 4,
    run: async () => {
      const cutoff = clock.now() - HOUR_MS;
      const gone = (await store.list(HEARTBEATS)).filter((heartbeat) => Number(heartbeat.source['last_seen']) < cutoff);
      return { deleted: await deleteEach(store, HEARTBEATS, gone.map((heartbeat) => heartbeat.id)) };
    },
  };
}

/** One small write per record: a failure midway leaves the earlier deletions done. */
async function deleteEach(store: Store, collection: string, ids: readonly string[]): Promise<number> {
  let deleted = 0;
  for (const id of ids.slice(0, MAX_DELETES)) {
    const [result] = await store.write([{ op: 'delete', collection, id }]);
    if (result?.result === 'deleted') deleted++;
  }
  return deleted;
}
