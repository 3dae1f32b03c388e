import { describe, expect, it } from 'vitest';
import type { ClusterAnswer, ClusterCall } from '../../src/cluster/cluster-client.js';
import { clusterTimedOut } from '../../src/errors/cluster-errors.js';
import type { BulkItem } from '../../src/proxy/bulk-request.js';
import { sendBulk, type OutgoingItem } from '../../src/proxy/bulk-send.js';
import { fakeClock } from '../http/support/fake-clock.js';

const CLUSTER_URL = 'http://cluster:9200';

/** `count` index items with ids `d0`, `d1`, ... at positions 10, 11, ... */
const outgoing = (count: number): OutgoingItem[] =>
  Array.from({ length: count }, (_, index) => ({
    item: { action: 'index', index: 'idx', metadata: { _index: 'idx', _id: `d${index}` }, source: { n: index } } satisfies BulkItem,
    position: 10 + index,
  }));

const itemAnswer = (id: string, status: number): Record<string, unknown> =>
  status === 429
    ? { index: { _index: 'idx', _id: id, status, error: { type: 'rejected_execution_exception', reason: 'rejected execution of primary operation' } } }
    : { index: { _index: 'idx', _id: id, _version: 1, result: 'created', status } };

/** A bulk answer for the ids a call carried, each with the status `statusOf` gives it. */
const bulkAnswer = (call: ClusterCall, statusOf: (id: string) => number): ClusterAnswer => {
  const ids = idsIn(call);
  return { status: 200, body: { took: 3, errors: ids.some((id) => statusOf(id) !== 201), items: ids.map((id) => itemAnswer(id, statusOf(id))) } };
};

const wholeAnswer = (status: number, type: string, headers: Record<string, string> = {}): ClusterAnswer => ({
  status,
  body: { error: { root_cause: [{ type, reason: `${type} reason` }], type, reason: `${type} reason` }, status },
  headers,
});

function idsIn(call: ClusterCall): string[] {
  return (call.body as string)
    .split('\n')
    .filter((line) => line.startsWith('{"index"'))
    .map((line) => (JSON.parse(line) as { index: { _id: string } }).index._id);
}

/** A cluster answering each call with the next step (an answer, or an error thrown). */
function scriptedCluster(steps: ReadonlyArray<(call: ClusterCall) => ClusterAnswer>, requestTimeoutMs = 10_000) {
  const calls: ClusterCall[] = [];
  return {
    calls,
    requestTimeoutMs,
    call: async (call: ClusterCall): Promise<ClusterAnswer> => {
      calls.push(call);
      const step = steps[Math.min(calls.length, steps.length) - 1]!;
      return step(call);
    },
  };
}

const REQUEST = { path: '/_bulk', querystring: {}, authorization: undefined };
const noJitter = (): number => 0;

describe('sendBulk', () => {
  it('should send the whole bulk again after a 429 or 503 for all of it, backing off, until it is answered', async () => {
    const clock = fakeClock();
    const cluster = scriptedCluster([
      () => wholeAnswer(429, 'rejected_execution_exception'),
      () => wholeAnswer(503, 'cluster_block_exception'),
      (call) => bulkAnswer(call, () => 201),
    ]);
    const outcome = await sendBulk({ clock, cluster }, REQUEST, outgoing(3), noJitter);
    expect(outcome.kind).toBe('answered');
    expect(cluster.calls.map(idsIn)).toEqual([['d0', 'd1', 'd2'], ['d0', 'd1', 'd2'], ['d0', 'd1', 'd2']]);
    expect(clock.sleeps).toEqual([50, 100]);
    if (outcome.kind !== 'answered') return;
    expect([...outcome.results.keys()]).toEqual([10, 11, 12]);
    expect(outcome.took).toBe(3);
  });

  it("should wait as long as the cluster's Retry-After asks when that is longer", async () => {
    const clock = fakeClock();
    const cluster = scriptedCluster([() => wholeAnswer(503, 'cluster_block_exception', { 'retry-after': '2' }), (call) => bulkAnswer(call, () => 201)]);
    await sendBulk({ clock, cluster }, REQUEST, outgoing(1), noJitter);
    expect(clock.sleeps).toEqual([2_000]);
  });

  it('should send again only the items answered 429, and keep every answer at its position', async () => {
    const clock = fakeClock();
    const rejectedOnce = new Set(['d1', 'd3']);
    const cluster = scriptedCluster([
      (call) => bulkAnswer(call, (id) => (rejectedOnce.has(id) ? 429 : 201)),
      (call) => bulkAnswer(call, () => 201),
    ]);
    const outcome = await sendBulk({ clock, cluster }, REQUEST, outgoing(4), noJitter);
    expect(cluster.calls.map(idsIn)).toEqual([['d0', 'd1', 'd2', 'd3'], ['d1', 'd3']]);
    if (outcome.kind !== 'answered') throw new Error('not answered');
    expect([...outcome.results].map(([position, result]) => [position, (result['index'] as { status: number }).status])).toEqual([
      [10, 201], [11, 201], [12, 201], [13, 201],
    ]);
    expect(outcome.took).toBe(6);
  });

  it('should start no retry past the first half of OPENSEARCH_TIMEOUT_MS, and give each attempt what is left of it', async () => {
    const clock = fakeClock();
    const cluster = scriptedCluster([() => wholeAnswer(429, 'rejected_execution_exception')], 1_000);
    const outcome = await sendBulk({ clock, cluster }, REQUEST, outgoing(2), noJitter);
    // Waits of 50, 100 and 200 ms fit in the first 500 ms; the next (400 ms) would end past it.
    expect(clock.sleeps).toEqual([50, 100, 200]);
    expect(cluster.calls.map((call) => call.timeoutMs)).toEqual([1_000, 950, 850, 650]);
    expect(outcome).toEqual({ kind: 'refused', answer: wholeAnswer(429, 'rejected_execution_exception') });
  });

  it('should answer the items still turned away with their last 429 when time is up', async () => {
    const clock = fakeClock();
    const cluster = scriptedCluster([(call) => bulkAnswer(call, (id) => (id === 'd0' ? 429 : 201))], 1_000);
    const outcome = await sendBulk({ clock, cluster }, REQUEST, outgoing(2), noJitter);
    expect(cluster.calls.map(idsIn)).toEqual([['d0', 'd1'], ['d0'], ['d0'], ['d0']]);
    if (outcome.kind !== 'answered') throw new Error('not answered');
    expect(outcome.results.get(10)).toEqual(itemAnswer('d0', 429));
    expect(outcome.results.get(11)).toEqual(itemAnswer('d1', 201));
  });

  it.each([
    ['times out', () => { throw clusterTimedOut(CLUSTER_URL, 10_000, undefined); }, 504, {
      type: 'cluster_unavailable_exception', reason: `OpenSearch cluster [${CLUSTER_URL}] did not answer within 10000 ms (OPENSEARCH_TIMEOUT_MS)`,
    }],
    ['refuses the retry for good', () => wholeAnswer(403, 'security_exception'), 403, { type: 'security_exception', reason: 'security_exception reason' }],
  ])('should answer the items still to do with the failure when the cluster %s after answering others', async (_case, second, status, error) => {
    const clock = fakeClock();
    const cluster = scriptedCluster([(call) => bulkAnswer(call, (id) => (id === 'd1' ? 429 : 201)), second]);
    const outcome = await sendBulk({ clock, cluster }, REQUEST, outgoing(2), noJitter);
    if (outcome.kind !== 'answered') throw new Error('not answered');
    expect(outcome.results.get(10)).toEqual(itemAnswer('d0', 201));
    expect(outcome.results.get(11)).toEqual({ index: { _index: 'idx', _id: 'd1', status, error } });
  });

  it('should hand back what the first attempt met when the cluster answered no item', async () => {
    const refusing = scriptedCluster([() => wholeAnswer(400, 'illegal_argument_exception')]);
    expect(await sendBulk({ clock: fakeClock(), cluster: refusing }, REQUEST, outgoing(1))).toEqual({
      kind: 'refused', answer: wholeAnswer(400, 'illegal_argument_exception'),
    });
    expect(refusing.calls).toHaveLength(1);
    const silent = scriptedCluster([() => { throw clusterTimedOut(CLUSTER_URL, 10_000, undefined); }]);
    await expect(sendBulk({ clock: fakeClock(), cluster: silent }, REQUEST, outgoing(1))).rejects.toMatchObject({ status: 504 });
    expect(silent.calls).toHaveLength(1);
  });
});
