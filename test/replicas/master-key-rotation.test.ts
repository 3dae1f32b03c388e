/**
 * A master key rotation across replicas of the cluster store, as the README's runbook does it:
 * replicas restart with the new key and the old one as previous; the rotation waits until every
 * live replica can read the new key, then re-encrypts everything while predicts go on; afterwards
 * a replica with the new key alone starts, and one with the old key alone is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { TEST_API_KEY } from '../../fixtures/emulator/test-credentials.js';
import { CredentialCipher } from '../../src/security/credential-cipher.js';
import { freshStatePrefix } from '../helpers/cluster-store.js';
import { openAiChatEmulatorConnector } from '../helpers/emulator-connectors.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { startOpenSearchStandIn, type StandIn } from '../support/opensearch-stand-in/index.js';

const OLD = Buffer.alloc(32, 41).toString('base64');
const NEW = Buffer.alloc(32, 42).toString('base64');
const OLD_ID = new CredentialCipher(Buffer.from(OLD, 'base64')).keyId;
const NEW_ID = new CredentialCipher(Buffer.from(NEW, 'base64')).keyId;

let cluster: StandIn;
let emulator: Emulator;
const running: ServerProcess[] = [];
beforeAll(async () => {
  cluster = await startOpenSearchStandIn();
  emulator = await startEmulator();
});
afterAll(async () => {
  await Promise.all(running.map((replica) => replica.stop('SIGKILL')));
  await emulator.close();
  await cluster.close();
});

async function replica(prefix: string, keys: Record<string, string>): Promise<ServerProcess> {
  const started = await startServerProcess({
    OPENSEARCH_URL: cluster.url, STATE_INDEX_PREFIX: prefix, REPLICA_HEARTBEAT_MS: '500', LEASE_TTL_MS: '3000', LOG_LEVEL: 'warn', ...keys,
  });
  running.push(started);
  return started;
}

async function call(target: ServerProcess, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${target.url}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** The key ids the stored credentials name. */
const keyIdsInState = (prefix: string) =>
  new Set(
    [`${prefix}-connectors`, `${prefix}-models`]
      .flatMap((index) => cluster.indices.documents(index))
      .flatMap((document) => JSON.stringify(document.source).match(/v2:([0-9a-f]{16}):/g) ?? [])
      .map((match) => match.slice(3, 19)),
  );

describe('master key rotation across replicas', () => {
  it('should wait for every replica, rotate under load, and leave the new key alone sufficient', async () => {
    const prefix = freshStatePrefix();
    const a = await replica(prefix, { MASTER_KEY: OLD });
    await call(a, 'PUT', '/_cluster/settings', {
      persistent: { 'plugins.ml_commons.connector.private_ip_enabled': true, 'plugins.ml_commons.trusted_connector_endpoints_regex': ['^http://127\\.0\\.0\\.1:.*$'] },
    });
    const modelIds: string[] = [];
    for (let n = 0; n < 3; n++) {
      const connector = await call(a, 'POST', '/_plugins/_ml/connectors/_create', openAiChatEmulatorConnector(emulator.url));
      const model = await call(a, 'POST', '/_plugins/_ml/models/_register?deploy=true', { name: `m${n}`, function_name: 'remote', connector_id: connector.body.connector_id });
      modelIds.push(model.body.model_id);
    }
    expect(keyIdsInState(prefix)).toEqual(new Set([OLD_ID]));

    // B knows both keys; A, still running with the old key alone, holds the rotation back.
    const b = await replica(prefix, { MASTER_KEY: NEW, MASTER_KEY_PREVIOUS: OLD });
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(keyIdsInState(prefix)).toEqual(new Set([OLD_ID]));

    // A is replaced by a replica with both keys: the rotation runs while predicts go on through B.
    const failures: number[] = [];
    let predicts = 0;
    let rotated = false;
    const load = (async () => {
      while (!rotated) {
        for (const id of modelIds) {
          const answer = await call(b, 'POST', `/_plugins/_ml/models/${id}/_predict`, { parameters: { messages: [{ role: 'user', content: 'x' }] } });
          predicts++;
          if (answer.status !== 200) failures.push(answer.status);
        }
      }
    })();
    await a.stop('SIGTERM');
    await replica(prefix, { MASTER_KEY: NEW, MASTER_KEY_PREVIOUS: OLD });
    const deadline = Date.now() + 15_000;
    while (!(keyIdsInState(prefix).size === 1 && keyIdsInState(prefix).has(NEW_ID))) {
      if (Date.now() > deadline) throw new Error(`rotation did not finish: ${[...keyIdsInState(prefix)].join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    rotated = true;
    await load;
    expect(predicts).toBeGreaterThan(10);
    expect(failures).toEqual([]);

    // Every replica's health shows the rotation the lease holder ran, finished.
    let rotationOnB = await call(b, 'GET', '/_sidecar/health');
    for (let tries = 0; tries < 50 && rotationOnB.body.key_rotation?.state !== 'done'; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      rotationOnB = await call(b, 'GET', '/_sidecar/health');
    }
    expect(rotationOnB.body.key_rotation).toMatchObject({ state: 'done', current_key_id: NEW_ID, previous_key_ids: [OLD_ID], records_to_reencrypt: 0, previous_key_needed: false });

    // The new key alone now suffices; the old key alone is refused.
    const newOnly = await replica(prefix, { MASTER_KEY: NEW });
    const predicted = await call(newOnly, 'POST', `/_plugins/_ml/models/${modelIds[0]}/_predict`, { parameters: { messages: [{ role: 'user', content: 'x' }] } });
    expect(predicted.status).toBe(200);
    const refused = await replica(prefix, { MASTER_KEY: OLD }).then(() => 'started', (error: Error) => error.message);
    expect(refused).toContain('MASTER_KEY is not the key the sidecar state in this cluster was written with');
    const stored = JSON.stringify(cluster.indices.names().filter((name) => name.startsWith(prefix)).map((name) => cluster.indices.documents(name)));
    expect(stored).not.toContain(TEST_API_KEY);
    expect(stored).not.toContain(OLD);
    expect(stored).not.toContain(NEW);
  }, 90_000);
});
