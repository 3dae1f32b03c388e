/**
 * `npm run rotate-master-key -- [--data-dir DIR]`: re-encrypts every credential of the embedded
 * store under `MASTER_KEY` while the service is stopped, in one transaction (all or nothing). The
 * old key is `MASTER_KEY_PREVIOUS`, or `DATA_DIR/master.key`; in the latter case the key file is
 * replaced by the new key afterwards (atomically; the old one is kept as `master.key.previous`).
 * Records no key can read are named and left as they are. The cluster store rotates online instead
 * (start the replicas with both keys: see the README's runbook).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig } from '../config.js';
import { planRotation } from '../models/master-key-rotation.js';
import { CredentialCipher } from '../security/credential-cipher.js';
import { decodeMasterKey, decodePreviousKeys, MASTER_KEY_FILE } from '../security/master-key.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { unchanged } from '../store/store.js';
import { writeFileAtomically } from '../util/write-file-atomically.js';

const USAGE = 'usage: MASTER_KEY=<new key> [MASTER_KEY_PREVIOUS=<old key>] npm run rotate-master-key -- [--data-dir DIR]';

async function rotate(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.length !== 0 && (args.length !== 2 || args[0] !== '--data-dir')) throw new ConfigError(USAGE);
  const config = loadConfig({ ...process.env, STATE_STORE: 'sqlite' });
  const dataDir = args[1] === undefined ? config.dataDir : resolve(args[1]);
  const file = join(dataDir, 'sidecar.db');
  if (!existsSync(file)) throw new ConfigError(`no embedded store at ${file} (use --data-dir)`);
  if (config.masterKey === undefined) throw new ConfigError(`MASTER_KEY (the new key) is required; ${USAGE}`);
  const keyFile = join(dataDir, MASTER_KEY_FILE);
  const fromFile = config.previousMasterKeys.length === 0;
  if (fromFile && !existsSync(keyFile)) throw new ConfigError(`set MASTER_KEY_PREVIOUS to the old key (there is no ${keyFile})`);
  const previousKeys = fromFile ? decodePreviousKeys([readFileSync(keyFile, 'utf8').trim()]) : decodePreviousKeys(config.previousMasterKeys);
  const newKey = decodeMasterKey(config.masterKey, 'MASTER_KEY');
  const cipher = new CredentialCipher(newKey, { previousKeys });
  const store = new SqliteStore(file);
  try {
    const { stale, unreadable } = await planRotation(store, cipher);
    await store.write(stale.map(({ record, source }) => ({ op: 'put' as const, collection: record.collection, id: record.id, source, ifMatch: unchanged(record) })));
    process.stdout.write(`Re-encrypted ${stale.length} records of ${file} under key id ${cipher.keyId}, in one transaction.\n`);
    if (fromFile) {
      writeFileAtomically(`${keyFile}.previous`, readFileSync(keyFile, 'utf8'));
      writeFileAtomically(keyFile, `${newKey.toString('base64')}\n`);
      process.stdout.write(`${keyFile} now holds the new key; the old one is in ${keyFile}.previous (delete it once you no longer need it).\n`);
    }
    if (unreadable.length > 0) {
      process.stdout.write(
        `${unreadable.length} records hold values neither key can read and were left as they are: ${unreadable.map((record) => `${record.collection}/${record.id}`).join(', ')}\n`,
      );
      return 2;
    }
    return 0;
  } finally {
    await store.close();
  }
}

try {
  process.exitCode = await rotate();
} catch (error) {
  process.stderr.write(`rotate-master-key: ${(error as { reason?: string }).reason ?? (error as Error).message}\n`);
  process.exitCode = 1;
}
