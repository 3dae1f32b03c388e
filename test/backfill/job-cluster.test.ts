/**
 * The cluster as a job sees it: whole calls retried while the cluster is busy or away, and a
 * bulk's items that a full write queue turned away sent again alone, on OpenSearch's reindex
 * backoff (500 ms doubling, at most 8 retries).
 */
import { describe, expect, it } from 'vitest';
import type { ClusterAnswer, ClusterCall } from '../../src/cluster/cluster-client.js';
import { JobCluster } from '../../src/backfill/job-cluster.js';
import { fakeClock } from '../http/support/fake-clock.js';

const item = (id: string) => ({ action: 'index' as const, metadata: { _index: 'dest', _id: id }, source: { id } });

const idsIn = (call: ClusterCall): string[] =>
  (call.body as string)
    .trim()
    .split('\n')
    .filter((_, line) => line % 2 === 0)
    .map((line) => (JSON.parse(line) as { index: { _id: string } }).index._id);

const answerFor = (ids: readonly string[], statusOf: (id: string) => number): ClusterAnswer => ({
  status: 200,
  body: {
    took: 1,
    errors: ids.some((id) => statusOf(id) !== 201),
    items: ids.map((id) => {
      const status = statusOf(id);
      return status === 429
        ? { index: { _index: 'dest', _id: id, status, error: { type: 'rejected_execution_exception', reason: 'write queue full' } } }
        : status === 409
          ? { index: { _index: 'dest', _id: id, status, error: { type: 'version_conflict_engine_exception', reason: 'conflict' } } }
          : { index: { _index: 'dest', _id: id, result: 'created', status } };
    }),
  },
});

/** A cluster answering each bulk with `statusOf(id, attempt)`, recording the ids each bulk carried. */
function recordingCluster(statusOf: (id: string, attempt: number) => number) {
  const sent: string[][] = [];
  const clock = fakeClock();
  const cluster = new JobCluster(
    async (call) => {
      const ids = idsIn(call);
      sent.push(ids);
      return answerFor(ids, (id) => statusOf(id, sent.length));
    },
    'Basic secret',
    clock,
  );
  return { cluster, sent, clock };
}

describe('JobCluster.bulk', () => {
  it('sends again only the items answered 429 and answers every item at its place', async () => {
    const { cluster, sent, clock } = recordingCluster((id, attempt) => (id === 'b' && attempt < 3 ? 429 : id === 'c' ? 409 : 201));
    let retries = 0;
    const answers = await cluster.bulk([item('a'), item('b'), item('c')], () => retries++);
    expect(sent).toEqual([['a', 'b', 'c'], ['b'], ['b']]);
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 409]);
    expect(retries).toBe(2);
    expect(clock.sleeps).toEqual([500, 1_000]);
  });

  it('keeps the 429 of an item still turned away once the retries are spent', async () => {
    const { cluster, sent, clock } = recordingCluster((id) => (id === 'b' ? 429 : 201));
    const answers = await cluster.bulk([item('a'), item('b')]);
    expect(answers.map((answer) => answer.status)).toEqual([201, 429]);
    expect(answers[1]!.error).toMatchObject({ type: 'rejected_execution_exception' });
    expect(sent).toHaveLength(9);
    expect(clock.sleeps).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });

  it("answers a bulk refused as a whole (not busy) with the cluster's error, sending it once", async () => {
    const clock = fakeClock();
    const refusal: ClusterAnswer = { status: 400, body: { error: { type: 'illegal_argument_exception', reason: 'bad bulk' }, status: 400 } };
    const cluster = new JobCluster(async () => refusal, undefined, clock);
    await expect(cluster.bulk([item('a')])).rejects.toMatchObject({ status: 400, type: 'illegal_argument_exception', reason: 'bad bulk' });
  });

  it('refuses a bulk answer whose items do not match what was sent', async () => {
    const cluster = new JobCluster(async () => ({ status: 200, body: { took: 1, errors: false, items: [] } }), undefined, fakeClock());
    await expect(cluster.bulk([item('a')])).rejects.toMatchObject({ reason: 'the bulk write failed with status 200' });
  });
});
