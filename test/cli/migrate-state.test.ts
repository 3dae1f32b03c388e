import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyState } from '../../src/cli/copy-state.js';
import { CredentialCipher } from '../../src/security/credential-cipher.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { TEST_API_KEY } from '../../fixtures/emulator/test-credentials.js';
import { freshStatePrefix, openClusterStore } from '../helpers/cluster-store.js';
import { openAiChatEmulatorConnector } from '../helpers/emulator-connectors.js';
import { buildTestApp, TEST_MASTER_KEY } from '../helpers/test-app.js';
import { startOpenSearchStandIn, type StandIn } from '../support/opensearch-stand-in/index.js';

const run = promisify(execFile);
const CLUSTER_KEY = Buffer.alloc(32, 11);

let cluster: StandIn;
const directories: string[] = [];
beforeAll(async () => {
  cluster = await startOpenSearchStandIn();
});
afterAll(async () => {
  await cluster.close();
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

/** A standalone sidecar's data directory with a connector, a model with an inline connector, a group, tasks, settings and a pipeline. */
async function standaloneDataDir(): Promise<{ dir: string; connectorId: string; inlineModelId: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'sidecar-migrate-'));
  directories.push(dir);
  const store = new SqliteStore(join(dir, 'sidecar.db'));
  writeFileSync(join(dir, 'master.key'), `${TEST_MASTER_KEY.toString('base64')}\n`, { mode: 0o600 });
  const test = await buildTestApp({ store });
  await test.call('PUT', '/_cluster/settings', { persistent: { 'plugins.ml_commons.connector.private_ip_enabled': true, 'plugins.ml_commons.trusted_connector_endpoints_regex': ['^http://127\\.0\\.0\\.1:.*$'] } });
  const connector = await test.call('POST', '/_plugins/_ml/connectors/_create', openAiChatEmulatorConnector('http://127.0.0.1:9'));
  await test.call('POST', '/_plugins/_ml/models/_register', { name: 'by-id', function_name: 'remote', connector_id: connector.body.connector_id });
  const inline = await test.call('POST', '/_plugins/_ml/models/_register', { name: 'inline', function_name: 'remote', connector: openAiChatEmulatorConnector('http://127.0.0.1:9') });
  await test.call('PUT', '/_ingest/pipeline/p', { processors: [{ lowercase: { field: 'x' } }] });
  await store.close();
  return { dir, connectorId: connector.body.connector_id, inlineModelId: inline.body.model_id };
}

describe('copyState', () => {
  it('should copy every record, re-encrypting credentials, and copy nothing twice', async () => {
    const { dir, connectorId, inlineModelId } = await standaloneDataDir();
    const source = new SqliteStore(join(dir, 'sidecar.db'));
    const target = await openClusterStore(cluster.url);
    const targetCipher = new CredentialCipher(CLUSTER_KEY);
    const options = { source, sourceCipher: new CredentialCipher(TEST_MASTER_KEY), target, targetCipher };

    const first = await copyState(options);
    expect(first['.plugins-ml-connector']).toEqual({ copied: 1, unchanged: 0, differing: [] });
    expect(first['.plugins-ml-model']).toEqual({ copied: 2, unchanged: 0, differing: [] });
    expect(first['.plugins-ml-model-group']?.copied).toBe(2);
    expect(first['model-group-names']?.copied).toBe(2);
    expect(first['.plugins-ml-task']?.copied).toBe(2);
    expect(first['settings']).toEqual({ copied: 1, unchanged: 0, differing: [] });
    expect(first['ingest-pipelines']?.copied).toBe(1);

    const connector = await target.get<{ credential: Record<string, string> }>('.plugins-ml-connector', connectorId);
    expect(targetCipher.decrypt(connector!.source.credential['openAI_key']!, `${connectorId}/openAI_key`)).toBe(TEST_API_KEY);
    const model = await target.get<{ connector: { credential: Record<string, string> } }>('.plugins-ml-model', inlineModelId);
    expect(targetCipher.decrypt(model!.source.connector.credential['openAI_key']!, `${inlineModelId}/openAI_key`)).toBe(TEST_API_KEY);
    const stored = JSON.stringify(cluster.indices.names().filter((name) => name.startsWith(target.layout.prefix)).map((name) => cluster.indices.documents(name)));
    expect(stored).not.toContain(TEST_API_KEY);
    expect(stored).not.toContain('"node_id"');

    const again = await copyState(options);
    expect(Object.values(again).every((entry) => entry.copied === 0 && entry.differing.length === 0)).toBe(true);
    expect(again['.plugins-ml-connector']).toEqual({ copied: 0, unchanged: 1, differing: [] });

    await target.write([{ op: 'put', collection: '.plugins-ml-connector', id: connectorId, source: { ...connector!.source, description: 'changed in the cluster' } }]);
    expect((await copyState(options))['.plugins-ml-connector']).toEqual({ copied: 0, unchanged: 0, differing: [connectorId] });
    expect((await target.get('.plugins-ml-connector', connectorId))?.source['description']).toBe('changed in the cluster');
    await source.close();
    await target.close();
  });
});

describe('npm run migrate-state', () => {
  it('should copy a data directory into the cluster, say what it did, and do nothing the second time', async () => {
    const { dir } = await standaloneDataDir();
    const prefix = freshStatePrefix();
    const env = { ...process.env, OPENSEARCH_URL: cluster.url, MASTER_KEY: CLUSTER_KEY.toString('base64'), STATE_INDEX_PREFIX: prefix, DATA_DIR: dir };
    const cli = [join(process.cwd(), 'node_modules/.bin/tsx'), join(process.cwd(), 'src/cli.ts'), 'migrate-state'];
    const first = await run(cli[0]!, cli.slice(1), { env });
    expect(first.stdout).toContain(`into OpenSearch cluster [${cluster.url}] (indices ${prefix}-*)`);
    expect(first.stdout).toMatch(/\.plugins-ml-connector: 1 copied, 0 already there, 0 differing/);
    expect(first.stdout).not.toContain(TEST_API_KEY);
    const second = await run(cli[0]!, cli.slice(1), { env });
    expect(second.stdout).toMatch(/\.plugins-ml-connector: 0 copied, 1 already there, 0 differing/);

    const wrongKey = await run(cli[0]!, cli.slice(1), { env: { ...env, MASTER_KEY: Buffer.alloc(32, 12).toString('base64') } }).catch((error: { code: number; stderr: string }) => error);
    expect(wrongKey).toMatchObject({ code: 1, stderr: expect.stringContaining('MASTER_KEY is not the key') });
  });
});
