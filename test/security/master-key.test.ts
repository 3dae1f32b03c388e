import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeMasterKey, loadMasterKeyFile, MASTER_KEY_FILE, MasterKeyFileError } from '../../src/security/master-key.js';
import { createLogger } from '../../src/util/logger.js';
import { temporaryFolders } from '../helpers/temp-dirs.js';
import { LogCapture } from '../helpers/test-app.js';

const tempDir = temporaryFolders('sidecar-key');

/** Loads the key file over a store holding `withCredentials` records with credentials. */
async function load(dataDir: string, withCredentials = 0): Promise<{ key: Buffer; logs: LogCapture }> {
  const logs = new LogCapture();
  const key = await loadMasterKeyFile(dataDir, {
    countRecordsWithCredentials: async () => withCredentials,
    logger: createLogger({ level: 'info', destination: logs }),
  });
  return { key, logs };
}

describe('loadMasterKeyFile', () => {
  it('should create a 32-byte key once, with mode 0600, and reuse it', async () => {
    const dataDir = join(tempDir(), 'nested');
    const { key: first } = await load(dataDir);
    expect(first).toHaveLength(32);
    expect(statSync(join(dataDir, MASTER_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect((await load(dataDir)).key.equals(first)).toBe(true);
    expect(readFileSync(join(dataDir, MASTER_KEY_FILE), 'utf8').trim()).toBe(first.toString('base64'));
    expect(readdirSync(dataDir)).toEqual([MASTER_KEY_FILE]);
  });

  it('should leave no key file a crash during the first write could break, so the next start works', async () => {
    const dataDir = tempDir();
    const moduleUrl = pathToFileURL(resolve('src/security/master-key.ts')).href;
    const crashed = spawnSync(
      process.execPath,
      [
        '--import', 'tsx',
        '--import', pathToFileURL(resolve('test/support/crash/crash-on-write.ts')).href,
        '--input-type=module',
        '-e', `const { loadMasterKeyFile } = await import(${JSON.stringify(moduleUrl)});
          await loadMasterKeyFile(${JSON.stringify(dataDir)}, { countRecordsWithCredentials: async () => 1, logger: { warn() {} } });`,
      ],
      { encoding: 'utf8' },
    );
    expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
    // With stored credentials a damaged file would be refused: the crash must have left none.
    const { key } = await load(dataDir, 1);
    expect(readFileSync(join(dataDir, MASTER_KEY_FILE), 'utf8').trim()).toBe(key.toString('base64'));
  });

  it.each([
    ['empty', ''],
    ['empty', '\n'],
    ['too short (5 of 32 bytes)', 'c2hvcnQ=\n'],
    ['not base64', 'not a key!\n'],
  ])('should replace a key file that is %s when no stored credential depends on it, and say so', async (damage, text) => {
    const dataDir = tempDir();
    const file = join(dataDir, MASTER_KEY_FILE);
    writeFileSync(file, text, { mode: 0o600 });
    const { key, logs } = await load(dataDir, 0);
    expect(readFileSync(file, 'utf8').trim()).toBe(key.toString('base64'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const warning = logs.lines.map((line) => JSON.parse(line)).find((line) => line.level === 'warn');
    expect(warning?.msg).toBe(`${file} is ${damage} and no stored credential depends on it: creating a new key`);
  });

  it('should refuse a damaged key file while stored credentials depend on it, naming the file, and change nothing', async () => {
    const dataDir = tempDir();
    const file = join(dataDir, MASTER_KEY_FILE);
    writeFileSync(file, '', { mode: 0o600 });
    const refused = await load(dataDir, 3).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(MasterKeyFileError);
    expect((refused as Error).message).toBe(
      `${file} is empty, and 3 stored connector(s) or model(s) hold credentials encrypted with the key it held: ` +
        `restore ${file} from a backup (or set MASTER_KEY to that key). Nothing was changed.`,
    );
    expect(readFileSync(file, 'utf8')).toBe('');
  });
});

describe('decodeMasterKey', () => {
  it('should decode the base64 of 32 bytes', () => {
    const key = Buffer.alloc(32, 9);
    expect(decodeMasterKey(key.toString('base64'), 'MASTER_KEY').equals(key)).toBe(true);
  });

  it.each([Buffer.alloc(16).toString('base64'), 'not base64!', ''])('should refuse %j, naming its source', (value) => {
    expect(() => decodeMasterKey(value, 'MASTER_KEY')).toThrow('MASTER_KEY must be the base64 encoding of exactly 32 bytes');
  });
});
