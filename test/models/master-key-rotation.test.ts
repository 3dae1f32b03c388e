/**
 * Rotating the master key online: the background duty re-encrypts every stored credential under
 * the new key, resumably, while predicts keep working; afterwards the new key alone reads
 * everything. Runs on both stores (the cluster-store project runs this file again).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { TEST_API_KEY } from '../../fixtures/emulator/test-credentials.js';
import { MasterKeyRotation } from '../../src/models/master-key-rotation.js';
import { CredentialCipher } from '../../src/security/credential-cipher.js';
import { EMULATOR_SETTINGS } from '../helpers/blueprints.js';
import { clockReading } from '../helpers/clock.js';
import { openAiChatEmulatorConnector } from '../helpers/emulator-connectors.js';
import { buildTestApp, LogCapture, type TestApp } from '../helpers/test-app.js';
import { createLogger } from '../../src/util/logger.js';
import type { Store } from '../../src/store/store.js';

const OLD = Buffer.alloc(32, 21);
const NEW = Buffer.alloc(32, 22);
const OTHER = Buffer.alloc(32, 23);

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});

/** A state written under OLD: connectors (one with a previous credential) and a model with an inline connector. */
async function stateUnderOldKey(connectors = 3): Promise<{ store: Store; modelIds: string[] }> {
  const test = await buildTestApp({ cipher: new CredentialCipher(OLD) });
  await test.call('PUT', '/_cluster/settings', EMULATOR_SETTINGS);
  const modelIds: string[] = [];
  for (let n = 0; n < connectors; n++) {
    const extra = n === 0 ? { previous_credential: { openAI_key: 'sk-previous-provider-key' } } : {};
    const connector = await test.call('POST', '/_plugins/_ml/connectors/_create', openAiChatEmulatorConnector(emulator.url, extra));
    const model = await test.call('POST', '/_plugins/_ml/models/_register?deploy=true', { name: `m${n}`, function_name: 'remote', connector_id: connector.body.connector_id });
    modelIds.push(model.body.model_id);
  }
  const inline = await test.call('POST', '/_plugins/_ml/models/_register?deploy=true', { name: 'inline', function_name: 'remote', connector: openAiChatEmulatorConnector(emulator.url) });
  modelIds.push(inline.body.model_id);
  return { store: test.store, modelIds };
}

function rotation(store: Store, cipher: CredentialCipher, options: { batchSize?: number; logs?: LogCapture; liveReplicaKeyIds?: () => string[][] } = {}) {
  return new MasterKeyRotation({
    store,
    cipher,
    clock: clockReading(() => Date.now()),
    logger: createLogger({ level: 'info', destination: options.logs ?? new LogCapture() }),
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    ...(options.liveReplicaKeyIds === undefined ? {} : { liveReplicaKeyIds: options.liveReplicaKeyIds }),
  });
}

const ciphertexts = async (store: Store) =>
  JSON.stringify([...(await store.list('.plugins-ml-connector')), ...(await store.list('.plugins-ml-model'))]).match(/v[12]:[0-9a-f]{16}:/g) ?? [];

async function predictAll(test: TestApp, modelIds: readonly string[]): Promise<number[]> {
  return Promise.all(
    modelIds.map(async (id) => (await test.call('POST', `/_plugins/_ml/models/${id}/_predict`, { parameters: { messages: [{ role: 'user', content: 'x' }] } })).status),
  );
}

describe('master key rotation', () => {
  it('should re-encrypt everything under the new key while predicts keep working, and then need the old key no more', async () => {
    const { store, modelIds } = await stateUnderOldKey();
    const ring = new CredentialCipher(NEW, { previousKeys: [OLD] });
    const test = await buildTestApp({ store, cipher: ring });
    const job = rotation(store, ring, { batchSize: 1 });
    expect((await job.status()).previous_key_needed).toBe(true);

    let rounds = 0;
    while ((await job.status()).state !== 'done') {
      expect(await predictAll(test, modelIds)).toEqual(modelIds.map(() => 200));
      await job.runRound();
      if (++rounds > 20) throw new Error('rotation did not finish');
    }
    expect(rounds).toBeGreaterThanOrEqual(4);
    const status = await job.status();
    expect(status).toMatchObject({ state: 'done', records_to_reencrypt: 0, unreadable: [], previous_key_needed: false, current_key_id: ring.keyId });
    expect(new Set(await ciphertexts(store))).toEqual(new Set([`v2:${ring.keyId}:`]));
    expect(JSON.stringify(await store.list('.plugins-ml-connector'))).not.toContain(TEST_API_KEY);

    // The new key alone now reads every credential.
    const newOnly = await buildTestApp({ store, cipher: new CredentialCipher(NEW) });
    expect(await predictAll(newOnly, modelIds)).toEqual(modelIds.map(() => 200));
    expect((await store.get('key-check', 'master-key'))?.source['key_id']).toBe(ring.keyId);
  });

  it('should resume an interrupted rotation where it stopped', async () => {
    const { store } = await stateUnderOldKey(4);
    const ring = new CredentialCipher(NEW, { previousKeys: [OLD] });
    await rotation(store, ring, { batchSize: 2 }).runRound();
    const halfway = await ciphertexts(store);
    expect(halfway.some((prefix) => prefix.includes(ring.keyId))).toBe(true);
    expect(halfway.some((prefix) => !prefix.includes(ring.keyId))).toBe(true);
    // A new replica (or a restart) picks it up.
    const resumed = rotation(store, ring, { batchSize: 100 });
    expect(await resumed.runRound()).toEqual({ reencrypted: 3 });
    expect((await resumed.status()).state).toBe('done');
    expect(new Set(await ciphertexts(store))).toEqual(new Set([`v2:${ring.keyId}:`]));
  });

  it('should rotate everything it can read and name the records a wrong previous key cannot', async () => {
    const { store } = await stateUnderOldKey(2);
    const stranger = await buildTestApp({ store, cipher: new CredentialCipher(OTHER) });
    const foreign = await stranger.call('POST', '/_plugins/_ml/connectors/_create', openAiChatEmulatorConnector(emulator.url));
    const ring = new CredentialCipher(NEW, { previousKeys: [OLD] });
    const logs = new LogCapture();
    const job = rotation(store, ring, { logs });
    await job.runRound();
    const status = await job.status();
    expect(status).toMatchObject({ state: 'blocked', records_to_reencrypt: 0, previous_key_needed: true });
    expect(status.unreadable).toEqual([{ collection: '.plugins-ml-connector', id: foreign.body.connector_id }]);
    expect(logs.text).toContain(`.plugins-ml-connector/${foreign.body.connector_id}`);
    const readable = (await ciphertexts(store)).filter((prefix) => !prefix.includes(ring.keyId));
    expect(readable).toEqual([`v2:${new CredentialCipher(OTHER).keyId}:`]);
  });

  it('should wait until every live replica holds the new key', async () => {
    const { store } = await stateUnderOldKey(1);
    const ring = new CredentialCipher(NEW, { previousKeys: [OLD] });
    let replicas = [ring.keyIds, [new CredentialCipher(OLD).keyId]];
    const job = rotation(store, ring, { liveReplicaKeyIds: () => replicas });
    expect(await job.runRound()).toEqual({ reencrypted: 0 });
    expect((await job.status()).state).toBe('waiting_for_replicas');
    replicas = [ring.keyIds, ring.keyIds];
    await job.runRound();
    expect((await job.status()).state).toBe('done');
  });

  it('should upgrade values written before ciphertexts named their key, even with no previous key', async () => {
    const { store } = await stateUnderOldKey(1);
    const connector = (await store.list('.plugins-ml-connector'))[0]!;
    const legacy = JSON.parse(JSON.stringify(connector.source).replace(/v2:[0-9a-f]{16}:/g, 'v1:'));
    await store.write([{ op: 'put', collection: '.plugins-ml-connector', id: connector.id, source: legacy }]);
    const job = rotation(store, new CredentialCipher(OLD));
    await job.runRound();
    expect((await job.status()).state).toBe('done');
    expect((await ciphertexts(store)).every((prefix) => prefix.startsWith('v2:'))).toBe(true);
  });
});
