/**
 * Resuming a job whose run stopped: another service over the same store (a replica, or the same
 * process after a restart) finds the job running with nobody advancing it and continues from its
 * checkpoint, without doing the written batches again; a list that lags behind the last checkpoint
 * (a replica killed between its write and the refresh) does not stop that.
 */
import { describe, expect, it } from 'vitest';
import { EMULATOR_SETTINGS } from '../helpers/blueprints.js';
import { openClusterStore } from '../helpers/cluster-store.js';
import { openAiEmbeddingConnector } from '../helpers/emulator-connectors.js';
import { send } from '../helpers/proxy-setup.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';
import { numberedDocuments, useBackfillSetup, waitForTask } from './backfill-setup.js';

const setup = useBackfillSetup({ seed: 50 });

/** Starts a paced job on `app` and stops that app's runs once two batches are written. */
async function startThenStop(app: TestApp, dest: string): Promise<string> {
  const started = await send(app, 'POST', '/_reindex?wait_for_completion=false&requests_per_second=40', {
    source: { index: 'source', size: 10 },
    dest: { index: dest, pipeline: 'embed' },
  });
  const task = started.body.task as string;
  await expect.poll(async () => (await send(app, 'GET', `/_tasks/${task}`)).body.task.status.batches, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
  await app.services.backfill!.stop();
  return task;
}

describe('resuming a backfill job', () => {
  it('continues from the checkpoint on another service over the same store', async () => {
    const task = await startThenStop(setup.test, 'dest');
    const stopped = (await setup.test.store.get('backfill-jobs', task))!.source as any;
    expect(stopped.state).toBe('running');
    const embeddedBefore = setup.emulator.requests.flatMap((request) => (request.body as { input: string[] }).input).length;
    expect(embeddedBefore).toBe(stopped.counters.batches * 10);

    const heir = await buildTestApp({ store: setup.test.store, clusterUrl: setup.cluster.url });
    expect(await heir.services.backfill!.resumeDuty().run()).toEqual({ resumed: 1 });
    const done = await waitForTask(heir, task);
    expect(done.response).toMatchObject({ total: 50, created: 50, batches: 5, failures: [] });
    // Every document was sent to the model once: the written batches were not done again.
    const embedded = setup.emulator.requests.flatMap((request) => (request.body as { input: string[] }).input);
    expect(embedded.sort()).toEqual(numberedDocuments(50).map(({ source }) => source.text).sort());
    expect(setup.cluster.indices.documents('dest')).toHaveLength(50);
    expect(await heir.services.backfill!.resumeDuty().run()).toEqual({ resumed: 0 });
  });

  it('claims a job whose listed version lags behind its last checkpoint', async () => {
    const store = await openClusterStore(setup.cluster.url);
    const first = await buildTestApp({ store, clusterUrl: setup.cluster.url });
    await first.services.settings.update(EMULATOR_SETTINGS);
    const connector = await first.services.connectors.create(openAiEmbeddingConnector(setup.emulator.url), undefined);
    const model = await first.services.models.register({ name: 'embedding', function_name: 'remote', connector_id: connector.connector_id }, { deploy: true, caller: undefined });
    await first.services.ingestPipelines.put('embed', { processors: [{ text_embedding: { model_id: model.model_id, field_map: { text: 'vector' } } }] });
    const task = await startThenStop(first, 'lagging');
    // The last checkpoint written again without the refresh that follows it (as when its replica dies in between).
    const record = (await store.get('backfill-jobs', task))!;
    const index = setup.cluster.indices.names().find((name) => name.endsWith('-tasks'))!;
    const unrefreshed = await fetch(`${setup.cluster.url}/${index}/_doc/${encodeURIComponent(`backfill:${task}`)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ collection: 'backfill-jobs', id: task, updated_at: Date.now(), record: record.source }),
    });
    expect(unrefreshed.status).toBe(200);

    const heir = await buildTestApp({ store, clusterUrl: setup.cluster.url });
    expect(await heir.services.backfill!.resumeDuty().run()).toEqual({ resumed: 1 });
    expect((await waitForTask(heir, task)).response).toMatchObject({ total: 50, created: 50 });
    await store.close();
  });
});
