import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_API_KEY } from '../../fixtures/emulator/test-credentials.js';
import { CredentialCipher } from '../../src/security/credential-cipher.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { openAiChatEmulatorConnector } from '../helpers/emulator-connectors.js';
import { buildTestApp } from '../helpers/test-app.js';
import { EMULATOR_SETTINGS } from '../helpers/blueprints.js';

const run = promisify(execFile);
const OLD = Buffer.alloc(32, 31);
const NEW = Buffer.alloc(32, 32);
const directories: string[] = [];
afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

/** A stopped standalone sidecar's data directory, its key in master.key; `foreign` adds a connector under a third key. */
async function dataDirectory(foreign = false): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'sidecar-rotate-'));
  directories.push(dir);
  writeFileSync(join(dir, 'master.key'), `${OLD.toString('base64')}\n`, { mode: 0o600 });
  const store = new SqliteStore(join(dir, 'sidecar.db'));
  const test = await buildTestApp({ store, cipher: new CredentialCipher(OLD) });
  await test.call('PUT', '/_cluster/settings', EMULATOR_SETTINGS);
  await test.call('POST', '/_plugins/_ml/connectors/_create', openAiChatEmulatorConnector('http://127.0.0.1:9'));
  await test.call('POST', '/_plugins/_ml/models/_register', { name: 'inline', function_name: 'remote', connector: openAiChatEmulatorConnector('http://127.0.0.1:9') });
  if (foreign) {
    const other = await buildTestApp({ store, cipher: new CredentialCipher(Buffer.alloc(32, 33)) });
    await other.call('POST', '/_plugins/_ml/connectors/_create', openAiChatEmulatorConnector('http://127.0.0.1:9'));
  }
  await store.close();
  return dir;
}

const cli = (dir: string, env: Record<string, string>) =>
  run(join(process.cwd(), 'node_modules/.bin/tsx'), [join(process.cwd(), 'src/cli.ts'), 'rotate-master-key', '--data-dir', dir], {
    env: { ...process.env, MASTER_KEY: NEW.toString('base64'), MASTER_KEY_PREVIOUS: '', ...env },
  });

describe('npm run rotate-master-key', () => {
  it('should re-encrypt the embedded store under the new key and put the new key in master.key', async () => {
    const dir = await dataDirectory();
    const { stdout } = await cli(dir, {});
    const newCipher = new CredentialCipher(NEW);
    expect(stdout).toContain(`Re-encrypted 2 records`);
    expect(stdout).toContain(`key id ${newCipher.keyId}, in one transaction`);
    expect(stdout).not.toContain(TEST_API_KEY);
    expect(readFileSync(join(dir, 'master.key'), 'utf8').trim()).toBe(NEW.toString('base64'));
    expect(readFileSync(join(dir, 'master.key.previous'), 'utf8').trim()).toBe(OLD.toString('base64'));
    const store = new SqliteStore(join(dir, 'sidecar.db'));
    const connector = (await store.list<{ credential: Record<string, string> }>('.plugins-ml-connector'))[0]!;
    expect(newCipher.decryptMap(connector.source.credential, connector.id)).toEqual({ openAI_key: TEST_API_KEY });
    const stored = readFileSync(join(dir, 'sidecar.db'));
    expect(stored.includes(Buffer.from(TEST_API_KEY))).toBe(false);
    await store.close();
  });

  it('should leave what no key can read as it is, name it, and exit 2', async () => {
    const dir = await dataDirectory(true);
    const failed = await cli(dir, { MASTER_KEY_PREVIOUS: OLD.toString('base64') }).catch((error: { code: number; stdout: string }) => error);
    expect(failed).toMatchObject({ code: 2 });
    expect((failed as { stdout: string }).stdout).toMatch(/1 records hold values neither key can read and were left as they are: \.plugins-ml-connector\//);
    expect((failed as { stdout: string }).stdout).toContain('Re-encrypted 2 records');
  });
});
