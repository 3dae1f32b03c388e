/**
 * Several sidecar processes (`src/main.ts`, as `npm start` runs it) on one OpenSearch stand-in,
 * sharing one cluster store: what one replica writes, every replica reads; races across replicas
 * resolve as on one; a killed replica loses nothing; a replica with another key refuses to start;
 * and together they keep a connector's rate.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { TEST_API_KEY } from '../../fixtures/emulator/test-credentials.js';
import { openAiChatEmulatorConnector, openAiEmbeddingConnector } from '../helpers/emulator-connectors.js';
import { freshStatePrefix } from '../helpers/cluster-store.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { startOpenSearchStandIn, type StandIn } from '../support/opensearch-stand-in/index.js';

const MASTER_KEY = Buffer.alloc(32, 3).toString('base64');
const SECOND_KEY = 'sk-second-key-after-rotation-0123456789';

let cluster: StandIn;
let emulator: Emulator;
const running: ServerProcess[] = [];

beforeAll(async () => {
  cluster = await startOpenSearchStandIn();
  emulator = await startEmulator({ apiKeys: [TEST_API_KEY, SECOND_KEY] });
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((replica) => replica.stop('SIGKILL')));
  emulator.reset();
});

afterAll(async () => {
  await emulator.close();
  await cluster.close();
});

/** Starts a replica on the state named by `prefix` (its default poll interval: the 2 s promise is the default's). */
async function startReplica(prefix: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const replica = await startServerProcess({
    OPENSEARCH_URL: cluster.url,
    MASTER_KEY,
    STATE_INDEX_PREFIX: prefix,
    // Fast enough for a short test, slow enough that a loaded machine never misses a live window.
    REPLICA_HEARTBEAT_MS: '1000',
    LOG_LEVEL: 'warn',
    ...env,
  });
  running.push(replica);
  return replica;
}

async function call(replica: ServerProcess, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${replica.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** Polls `read` until `accept` holds, failing after 2 s: the freshness every replica promises. */
async function withinTwoSeconds<T>(read: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 2_000;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`not seen within 2 s: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function allowEmulator(replica: ServerProcess): Promise<void> {
  const settings = await call(replica, 'PUT', '/_cluster/settings', {
    persistent: {
      'plugins.ml_commons.connector.private_ip_enabled': true,
      'plugins.ml_commons.trusted_connector_endpoints_regex': ['^http://127\\.0\\.0\\.1:.*$'],
    },
  });
  expect(settings.status).toBe(200);
}

describe('replicas sharing the cluster store', { timeout: 90_000 }, () => {
  it('should read on one replica what another wrote, by id at once and everywhere within 2 s', async () => {
    const prefix = freshStatePrefix();
    const [a, b] = [await startReplica(prefix), await startReplica(prefix)];
    await allowEmulator(a!);
    // Settings made on A hold on B within 2 s (B would refuse the emulator's loopback URL otherwise).
    await withinTwoSeconds(
      () => call(b!, 'GET', '/_cluster/settings?flat_settings=true'),
      (answer) => answer.body.persistent['plugins.ml_commons.connector.private_ip_enabled'] === 'true',
    );

    const created = await call(a!, 'POST', '/_plugins/_ml/connectors/_create', openAiChatEmulatorConnector(emulator.url));
    expect(created.status).toBe(200);
    const connectorId = created.body.connector_id as string;
    expect((await call(b!, 'GET', `/_plugins/_ml/connectors/${connectorId}`)).body).toMatchObject({ name: 'OpenAI chat' });
    const listed = await withinTwoSeconds(
      () => call(b!, 'POST', '/_plugins/_ml/connectors/_search', { query: { match_all: {} } }),
      (answer) => answer.body.hits.total.value === 1,
    );
    expect(listed.body.hits.hits[0]._id).toBe(connectorId);

    const registered = await call(b!, 'POST', '/_plugins/_ml/models/_register?deploy=true', { name: 'chat', function_name: 'remote', connector_id: connectorId });
    const modelId = registered.body.model_id as string;
    const predict = (replica: ServerProcess) =>
      call(replica, 'POST', `/_plugins/_ml/models/${modelId}/_predict`, { parameters: { messages: [{ role: 'user', content: 'hi' }] } });
    expect((await predict(a!)).status).toBe(200);
    expect((await predict(b!)).status).toBe(200);

    // A credential and parameter change on A reaches B's deployed model without an undeploy.
    const updated = await call(a!, 'PUT', `/_plugins/_ml/connectors/${connectorId}`, {
      credential: { openAI_key: SECOND_KEY },
      parameters: { model: 'gpt-4o-mini' },
    });
    expect(updated.status).toBe(200);
    await withinTwoSeconds(
      async () => {
        emulator.clearRequests();
        expect((await predict(b!)).status).toBe(200);
        return emulator.requests.at(-1)!;
      },
      (request) => request.headers.authorization === `Bearer ${SECOND_KEY}` && (request.body as { model?: string }).model === 'gpt-4o-mini',
    );

    // Pipelines stored on B run on A within 2 s.
    const embedding = await call(a!, 'POST', '/_plugins/_ml/models/_register?deploy=true', {
      name: 'embed', function_name: 'remote', connector: openAiEmbeddingConnector(emulator.url),
    });
    expect(embedding.status).toBe(200);
    const pipeline = { processors: [{ text_embedding: { model_id: embedding.body.model_id, field_map: { text: 'vector' } } }] };
    expect((await call(b!, 'PUT', '/_ingest/pipeline/embed', pipeline)).status).toBe(200);
    const simulated = await withinTwoSeconds(
      () => call(a!, 'POST', '/_ingest/pipeline/embed/_simulate', { docs: [{ _source: { text: 'hello' } }] }),
      (answer) => answer.status === 200,
    );
    expect(simulated.body.docs[0].doc._source.vector).toHaveLength(1536);
  });

  it('should give 20 registrations racing across replicas the versions 1 to 20 of one group', async () => {
    const prefix = freshStatePrefix();
    const replicas = [await startReplica(prefix), await startReplica(prefix), await startReplica(prefix)];
    await allowEmulator(replicas[0]!);
    const connector = await call(replicas[0]!, 'POST', '/_plugins/_ml/connectors/_create', openAiChatEmulatorConnector(emulator.url));
    await withinTwoSeconds(() => call(replicas[2]!, 'GET', `/_plugins/_ml/connectors/${connector.body.connector_id}`), (answer) => answer.status === 200);
    const registrations = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        call(replicas[n % replicas.length]!, 'POST', '/_plugins/_ml/models/_register', {
          name: 'raced', function_name: 'remote', connector_id: connector.body.connector_id,
        }),
      ),
    );
    expect(registrations.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    const models = await call(replicas[1]!, 'POST', '/_plugins/_ml/models/_search', { size: 100, query: { term: { name: 'raced' } } });
    const versions = models.body.hits.hits.map((hit: any) => Number(hit._source.model_version)).sort((x: number, y: number) => x - y);
    expect(versions).toEqual(Array.from({ length: 20 }, (_, n) => n + 1));
    const groups = new Set(models.body.hits.hits.map((hit: any) => hit._source.model_group_id));
    expect(groups.size).toBe(1);
    const group = await call(replicas[2]!, 'GET', `/_plugins/_ml/model_groups/${[...groups][0]}`);
    expect(group.body).toMatchObject({ name: 'raced', latest_version: 20 });
  });

  it('should lose nothing when a replica is killed, and show a new replica everything', async () => {
    const prefix = freshStatePrefix();
    const doomed = await startReplica(prefix);
    await allowEmulator(doomed);
    const connector = await call(doomed, 'POST', '/_plugins/_ml/connectors/_create', openAiChatEmulatorConnector(emulator.url));
    const model = await call(doomed, 'POST', '/_plugins/_ml/models/_register?deploy=true', {
      name: 'survivor', function_name: 'remote', connector_id: connector.body.connector_id,
    });
    expect((await call(doomed, 'PUT', '/_search/pipeline/kept', { response_processors: [] })).status).toBe(200);
    expect(await doomed.stop('SIGKILL')).toBeNull();

    const fresh = await startReplica(prefix);
    expect((await call(fresh, 'GET', `/_plugins/_ml/models/${model.body.model_id}`)).body).toMatchObject({ name: 'survivor', model_state: 'DEPLOYED' });
    expect((await call(fresh, 'GET', '/_search/pipeline/kept')).status).toBe(200);
    const predicted = await call(fresh, 'POST', `/_plugins/_ml/models/${model.body.model_id}/_predict`, {
      parameters: { messages: [{ role: 'user', content: 'still there?' }] },
    });
    expect(predicted.status).toBe(200);
  });

  it('should refuse to start a replica with another MASTER_KEY, touching nothing', async () => {
    const prefix = freshStatePrefix();
    await startReplica(prefix);
    const before = cluster.indices.names().filter((name) => name.startsWith(prefix)).map((name) => cluster.indices.documents(name));
    const wrong = await startServerProcess({
      OPENSEARCH_URL: cluster.url,
      MASTER_KEY: Buffer.alloc(32, 4).toString('base64'),
      STATE_INDEX_PREFIX: prefix,
      LOG_LEVEL: 'warn',
    }).then(
      (replica) => {
        running.push(replica);
        return 'started';
      },
      (error: Error) => error.message,
    );
    expect(wrong).toContain('server exited early');
    expect(wrong).toContain('MASTER_KEY is not the key the sidecar state in this cluster was written with');
    const after = cluster.indices.names().filter((name) => name.startsWith(prefix)).map((name) => cluster.indices.documents(name));
    // Only the running replica's heartbeats and lease renewals move meanwhile.
    const withoutHeartbeats = (snapshot: typeof before) =>
      JSON.stringify(snapshot.map((documents) => documents.filter((document) => !/^(heartbeat|lease):/.test(document.id))));
    expect(withoutHeartbeats(after)).toBe(withoutHeartbeats(before));
  });

  it('should keep the provider within the connector\'s rate from all replicas together, and store no secret', async () => {
    const prefix = freshStatePrefix();
    const replicas = [await startReplica(prefix), await startReplica(prefix)];
    await allowEmulator(replicas[0]!);
    const ratePerMinute = 600;
    const connector = await call(
      replicas[0]!,
      'POST',
      '/_plugins/_ml/connectors/_create',
      openAiChatEmulatorConnector(emulator.url, { client_config: { requests_per_minute: ratePerMinute, max_queued_requests: 1000 } }),
    );
    const model = await call(replicas[1]!, 'POST', '/_plugins/_ml/models/_register?deploy=true', {
      name: 'paced', function_name: 'remote', connector_id: connector.body.connector_id,
    });
    // Both replicas must see each other's heartbeat before the split is in force.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    emulator.clearRequests();
    const windowMs = 3_000;
    const started = Date.now();
    const callers = replicas.flatMap((replica) =>
      Array.from({ length: 8 }, async () => {
        while (Date.now() - started < windowMs) {
          await call(replica, 'POST', `/_plugins/_ml/models/${model.body.model_id}/_predict`, {
            parameters: { messages: [{ role: 'user', content: 'paced' }] },
          });
        }
      }),
    );
    await Promise.all(callers);
    const first = emulator.requests[0]!.startTime;
    const inWindow = emulator.requests.filter((request) => request.startTime - first < windowMs).length;
    // The pacer's bound for one process over W ms is rate/60 (its burst) + rate·W/60000; two
    // unsplit replicas would each reach it. Together they must stay within one.
    const bound = ratePerMinute / 60 + (ratePerMinute * windowMs) / 60_000;
    expect(inWindow).toBeLessThanOrEqual(Math.ceil(bound) + 1);
    expect(inWindow).toBeGreaterThan(bound / 2);

    const stored = JSON.stringify(cluster.indices.names().filter((name) => name.startsWith(prefix)).map((name) => cluster.indices.documents(name)));
    expect(stored).toContain('"credential"');
    expect(stored).not.toContain(TEST_API_KEY);
    expect(stored).not.toContain(MASTER_KEY);
    expect(stored).not.toContain(Buffer.from(MASTER_KEY, 'base64').toString('hex'));
  });
});
