/**
 * The sidecar's jobs through OpenSearch's task APIs: `GET /_tasks/{id}` (running, done, waiting),
 * `POST /_tasks/{id}/_cancel`, `POST /_reindex/{id}/_rethrottle` with OpenSearch's answer shapes;
 * `requests_per_second` paces batches; a change made on another replica reaches the run; task ids
 * the sidecar does not know, and other task calls, go to the cluster.
 */
import { describe, expect, it } from 'vitest';
import { send } from '../helpers/proxy-setup.js';
import { buildTestApp, errorReason } from '../helpers/test-app.js';
import { useBackfillSetup, waitForTask } from './backfill-setup.js';

const setup = useBackfillSetup({ seed: 40 });

/** A reindex of the 40 documents in batches of 10, paced at `rate` documents per second. */
async function startPaced(rate: number, dest = 'dest'): Promise<string> {
  const started = await send(setup.test, 'POST', `/_reindex?wait_for_completion=false&requests_per_second=${rate}`, {
    source: { index: 'source', size: 10 },
    dest: { index: dest, pipeline: 'embed' },
  });
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  return started.body.task;
}

const taskInfoKeys = [
  'node', 'id', 'type', 'action', 'status', 'description', 'start_time_in_millis', 'running_time_in_nanos', 'cancellable', 'cancelled', 'headers',
];
const statusKeys = [
  'total', 'updated', 'created', 'deleted', 'batches', 'version_conflicts', 'noops', 'retries', 'throttled_millis',
  'requests_per_second', 'throttled_until_millis', 'failures', 'dead_letter_index',
];

describe('the task APIs over backfill jobs', () => {
  it('shows a running job as OpenSearch shows a reindex task, then its response', async () => {
    const task = await startPaced(10);
    const [node, number] = task.split(':');
    // The total is known once the first search answered, as in OpenSearch.
    await expect.poll(async () => (await send(setup.test, 'GET', `/_tasks/${task}`)).body.task.status.batches, { timeout: 10_000 }).toBeGreaterThan(0);
    const running = await send(setup.test, 'GET', `/_tasks/${task}`);
    expect(running.status).toBe(200);
    expect(Object.keys(running.body)).toEqual(['completed', 'task']);
    expect(running.body.completed).toBe(false);
    expect(Object.keys(running.body.task)).toEqual(taskInfoKeys);
    expect(running.body.task).toMatchObject({
      node,
      id: Number(number),
      type: 'transport',
      action: 'indices:data/write/reindex',
      description: 'reindex from [source] to [dest]',
      start_time_in_millis: expect.any(Number),
      running_time_in_nanos: expect.any(Number),
      cancellable: true,
      cancelled: false,
      headers: {},
    });
    expect(Object.keys(running.body.task.status)).toEqual(statusKeys);
    expect(running.body.task.status).toMatchObject({ total: 40, requests_per_second: 10, dead_letter_index: 'dest-dead-letter' });

    const done = await send(setup.test, 'GET', `/_tasks/${task}?wait_for_completion=true&timeout=30s`);
    expect(Object.keys(done.body)).toEqual(['completed', 'task', 'response']);
    expect(done.body.completed).toBe(true);
    expect(done.body.response).toMatchObject({ total: 40, created: 40, batches: 4, requests_per_second: 10 });
    // Four batches of 10 at 10 documents per second start at least a second apart (the time a batch
    // takes counts towards its wait, so the waits themselves are shorter on a slow machine).
    expect(done.body.response.throttled_millis).toBeGreaterThan(0);
    expect(done.body.task.running_time_in_nanos).toBeGreaterThanOrEqual(3_000 * 1e6);
  });

  it('times a wait for completion out with a 408', async () => {
    const task = await startPaced(5, 'waited');
    const answer = await send(setup.test, 'GET', `/_tasks/${task}?wait_for_completion=true&timeout=100ms`);
    expect(answer.status).toBe(408);
    expect(answer.body.error).toMatchObject({ type: 'timeout_exception', reason: `Timed out waiting for completion of [${task}]` });
    await send(setup.test, 'POST', `/_tasks/${task}/_cancel`);
    await waitForTask(setup.test, task);
  });

  it('cancels a job at its next batch boundary, answering the list-tasks shape', async () => {
    const task = await startPaced(10, 'cancelled');
    const [node] = task.split(':');
    const cancelled = await send(setup.test, 'POST', `/_tasks/${task}/_cancel`);
    expect(cancelled.status).toBe(200);
    expect(Object.keys(cancelled.body)).toEqual(['nodes']);
    expect(cancelled.body.nodes[node!]).toMatchObject({ name: 'test-node', roles: [] });
    expect(Object.keys(cancelled.body.nodes[node!].tasks)).toEqual([task]);
    expect(cancelled.body.nodes[node!].tasks[task]).toMatchObject({ action: 'indices:data/write/reindex', cancellable: true, cancelled: true });

    const done = await waitForTask(setup.test, task);
    expect(done.response.canceled).toBe('by user request');
    expect(done.response.batches).toBeLessThan(4);
    expect(setup.cluster.indices.documents('cancelled').length).toBe(done.response.created);

    const again = await send(setup.test, 'POST', `/_tasks/${task}/_cancel`);
    expect(again.body).toEqual({
      node_failures: [
        {
          type: 'failed_node_exception',
          reason: `Failed node [${node}]`,
          node_id: node,
          caused_by: { type: 'resource_not_found_exception', reason: `task [${task}] is missing` },
        },
      ],
      nodes: {},
    });
  });

  it('groups the answer as group_by asks', async () => {
    const task = await startPaced(10, 'grouped');
    const none = await send(setup.test, 'POST', `/_tasks/${task}/_cancel?group_by=none`);
    expect(none.body).toEqual({ tasks: [expect.objectContaining({ cancelled: true })] });
    await waitForTask(setup.test, task);
  });

  it('rethrottles a paced job: faster at once, with the new rate in the answer and the response', async () => {
    const task = await startPaced(2, 'rethrottled');
    const rethrottled = await send(setup.test, 'POST', `/_reindex/${task}/_rethrottle?requests_per_second=-1`);
    expect(rethrottled.status).toBe(200);
    const [node] = task.split(':');
    expect(rethrottled.body.nodes[node!].tasks[task].status.requests_per_second).toBe(-1);
    const done = await waitForTask(setup.test, task);
    expect(done.response).toMatchObject({ created: 40, requests_per_second: -1 });
    // At 2 documents per second each of the three waits would last 5 s; the first one, at most, began.
    expect(done.response.throttled_millis).toBeLessThan(5_000);
  });

  it.each([
    ['', 'requests_per_second is a required parameter'],
    ['?requests_per_second=fast', '[requests_per_second] must be a float greater than 0. Use -1 to disable throttling.'],
  ])('refuses a rethrottle%s with a 400', async (query, reason) => {
    const answer = await send(setup.test, 'POST', `/_update_by_query/node:1/_rethrottle${query}`);
    expect(answer.status).toBe(400);
    expect(errorReason(answer.body)).toBe(reason);
  });

  it.each([
    ['GET', '/_tasks/someNode:42'],
    ['POST', '/_tasks/someNode:42/_cancel'],
    ['POST', '/_reindex/someNode:42/_rethrottle?requests_per_second=5'],
    ['GET', '/_tasks?actions=*reindex'],
    ['POST', '/_tasks/_cancel?actions=*reindex'],
  ])('sends %s %s for a task it does not know to the cluster', async (method, path) => {
    await send(setup.test, method, path);
    const [pathname] = path.split('?');
    expect(setup.cluster.requests.some((request) => request.method === method && request.path === pathname)).toBe(true);
  });

  it('stops a job running on another replica when it is cancelled here, and takes a rethrottle made there', async () => {
    const other = await buildTestApp({ store: setup.test.store, clusterUrl: setup.cluster.url });
    // Slow enough (5 s, then 3.3 s between batches) that the cancel lands long before the end.
    const task = await startPaced(2, 'elsewhere');
    const rethrottled = await send(other, 'POST', `/_reindex/${task}/_rethrottle?requests_per_second=3`);
    expect(rethrottled.status).toBe(200);
    await expect.poll(async () => (await send(setup.test, 'GET', `/_tasks/${task}`)).body.task.status.requests_per_second, { timeout: 5_000 }).toBe(3);
    const cancelled = await send(other, 'POST', `/_tasks/${task}/_cancel`);
    expect(cancelled.status).toBe(200);
    const done = await waitForTask(setup.test, task, 10_000);
    expect(done.response).toMatchObject({ canceled: 'by user request', requests_per_second: 3 });
  });
});
