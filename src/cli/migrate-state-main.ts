/**
 * `npm run migrate-state -- [--data-dir DIR] [--source-key-file FILE]`: copies the embedded store
 * of a standalone sidecar into the cluster store named by the environment (`OPENSEARCH_URL`,
 * `MASTER_KEY`, the sidecar's account, `STATE_INDEX_PREFIX`), re-encrypting credentials under
 * `MASTER_KEY`. Safe to run again: it copies only what is missing and says what it did.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ClusterClient } from '../cluster/cluster-client.js';
import { createStateTransport } from '../cluster/state-transport.js';
import { ConfigError, loadConfig } from '../config.js';
import { CredentialCipher } from '../security/credential-cipher.js';
import { decodeMasterKey } from '../security/master-key.js';
import { assertMasterKeyMatchesStore } from '../security/master-key-check.js';
import { ClusterStore } from '../store/cluster/cluster-store.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { copyState } from './copy-state.js';

const USAGE = 'usage: npm run migrate-state -- [--data-dir DIR] [--source-key-file FILE]';

function parseArguments(args: readonly string[]): { dataDir?: string; sourceKeyFile?: string } {
  const parsed: { dataDir?: string; sourceKeyFile?: string } = {};
  for (let index = 0; index < args.length; index += 2) {
    const [name, value] = [args[index], args[index + 1]];
    if (value === undefined) throw new ConfigError(USAGE);
    if (name === '--data-dir') parsed.dataDir = resolve(value);
    else if (name === '--source-key-file') parsed.sourceKeyFile = resolve(value);
    else throw new ConfigError(`unknown argument [${name}]; ${USAGE}`);
  }
  return parsed;
}

async function migrate(): Promise<number> {
  const args = parseArguments(process.argv.slice(2));
  const config = loadConfig({ ...process.env, STATE_STORE: 'cluster' });
  const dataDir = args.dataDir ?? config.dataDir;
  const file = join(dataDir, 'sidecar.db');
  if (!existsSync(file)) throw new ConfigError(`no embedded store at ${file} (use --data-dir)`);
  // The source was encrypted with the standalone sidecar's key: its key file, or MASTER_KEY if it had none.
  const keyFile = args.sourceKeyFile ?? join(dataDir, 'master.key');
  const targetKey = decodeMasterKey(config.masterKey!, 'MASTER_KEY');
  const sourceKey = existsSync(keyFile) ? decodeMasterKey(readFileSync(keyFile, 'utf8').trim(), keyFile) : targetKey;
  const targetCipher = new CredentialCipher(targetKey);
  const client = new ClusterClient(config.opensearchUrl!, { requestTimeoutMs: config.opensearchTimeoutMs });
  const transport = createStateTransport(client, config.clusterState.account);
  const source = new SqliteStore(file);
  const { store: target } = await ClusterStore.open({
    transport,
    indexPrefix: config.clusterState.indexPrefix,
    replicaId: 'migrate-state',
    now: Date.now,
    pollIntervalMs: 60_000,
    cacheTtlMs: 60_000,
  });
  try {
    await assertMasterKeyMatchesStore(target, targetCipher, Date.now());
    const report = await copyState({ source, sourceCipher: new CredentialCipher(sourceKey), target, targetCipher });
    process.stdout.write(`Copied ${file} into OpenSearch cluster [${transport.displayUrl}] (indices ${config.clusterState.indexPrefix}-*), credentials re-encrypted under key id ${targetCipher.keyId}:\n`);
    let differing = 0;
    for (const [collection, entry] of Object.entries(report)) {
      differing += entry.differing.length;
      const kept = entry.differing.length === 0 ? '' : ` (kept as the cluster has them: ${entry.differing.slice(0, 10).join(', ')}${entry.differing.length > 10 ? ', ...' : ''})`;
      process.stdout.write(`  ${collection}: ${entry.copied} copied, ${entry.unchanged} already there, ${entry.differing.length} differing${kept}\n`);
    }
    if (differing > 0) process.stdout.write('Records that differ were not overwritten: compare them through the API and update them there.\n');
    return 0;
  } finally {
    await source.close();
    await target.close();
    await client.close();
  }
}

try {
  process.exitCode = await migrate();
} catch (error) {
  const reason = (error as { reason?: string }).reason ?? (error as Error).message;
  process.stderr.write(`migrate-state: ${reason}\n`);
  process.exitCode = 1;
}
