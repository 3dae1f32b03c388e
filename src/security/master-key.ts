import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const MASTER_KEY_FILE = 'master.key';

/**
 * The 32-byte key credentials are encrypted with: from `MASTER_KEY` (base64) when given, otherwise
 * read from `<dataDir>/master.key`, which is created once with mode 0600. Creation uses the
 * exclusive flag, so two processes starting together end up with the same key.
 */
export function loadMasterKey(options: { masterKeyBase64?: string | undefined; dataDir: string }): Buffer {
  if (options.masterKeyBase64 !== undefined) return decodeKey(options.masterKeyBase64, 'MASTER_KEY');
  mkdirSync(options.dataDir, { recursive: true });
  const file = join(options.dataDir, MASTER_KEY_FILE);
  try {
    writeFileSync(file, randomBytes(32).toString('base64') + '\n', { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return decodeKey(readFileSync(file, 'utf8').trim(), file);
}

/** The keys of `MASTER_KEY_PREVIOUS`, decoded (a key rotation is in progress while any is set). */
export function decodePreviousKeys(keys: readonly string[]): Buffer[] {
  return keys.map((key, position) => decodeKey(key, keys.length === 1 ? 'MASTER_KEY_PREVIOUS' : `MASTER_KEY_PREVIOUS (key ${position + 1})`));
}

function decodeKey(base64: string, source: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32 || key.toString('base64') !== base64.replace(/\s/g, '')) {
    throw new Error(`${source} must be the base64 encoding of exactly 32 bytes`);
  }
  return key;
}
