/**
 * The 32-byte key credentials are encrypted with: `MASTER_KEY` (base64) when given, otherwise the
 * key file `<dataDir>/master.key` (mode 0600), created on first start. The file is created whole
 * or not at all (temporary file, fsync, link), so a crash during the very first start cannot leave
 * a file that fails every later start; one found empty or damaged anyway (a copy gone wrong, an
 * older version's crash) is replaced only when no stored credential was encrypted with it.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFileAtomically, writeFileAtomically } from '../util/write-file-atomically.js';
import type { Logger } from '../util/logger.js';

export const MASTER_KEY_FILE = 'master.key';
const KEY_BYTES = 32;

/** A key file the service cannot use and must not replace: `main` prints it and exits. */
export class MasterKeyFileError extends Error {}

/** The keys of `MASTER_KEY_PREVIOUS`, decoded (a key rotation is in progress while any is set). */
export function decodePreviousKeys(keys: readonly string[]): Buffer[] {
  return keys.map((key, position) => decodeMasterKey(key, keys.length === 1 ? 'MASTER_KEY_PREVIOUS' : `MASTER_KEY_PREVIOUS (key ${position + 1})`));
}

/** `base64` decoded, when it is exactly 32 bytes; `source` names it in the error otherwise. */
export function decodeMasterKey(base64: string, source: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== KEY_BYTES || key.toString('base64') !== base64.replace(/\s/g, '')) {
    throw new Error(`${source} must be the base64 encoding of exactly ${KEY_BYTES} bytes`);
  }
  return key;
}

export interface KeyFileOptions {
  /** How many stored records hold credentials (encrypted with whatever key the file held). */
  readonly countRecordsWithCredentials: () => Promise<number>;
  readonly logger: Logger;
}

/** The key in `<dataDir>/master.key`, created when missing, replaced when damaged and unused. */
export async function loadMasterKeyFile(dataDir: string, options: KeyFileOptions): Promise<Buffer> {
  const file = join(dataDir, MASTER_KEY_FILE);
  let text = readKeyFile(file);
  if (text === undefined) {
    // Two processes starting together: the one whose link lands first wins, the other reads it.
    if (guardWrite(file, () => createFileAtomically(file, newKeyText()))) return decodeMasterKey(readKeyFile(file)!, file);
    text = readKeyFile(file) ?? '';
  }
  const trimmed = text.trim();
  const damage = describeDamage(trimmed);
  if (damage === undefined) return decodeMasterKey(trimmed, file);
  const withCredentials = await options.countRecordsWithCredentials();
  if (withCredentials > 0) {
    throw new MasterKeyFileError(
      `${file} is ${damage}, and ${withCredentials} stored connector(s) or model(s) hold credentials encrypted with the key it held: ` +
        `restore ${file} from a backup (or set MASTER_KEY to that key). Nothing was changed.`,
    );
  }
  options.logger.warn({ file }, `${file} is ${damage} and no stored credential depends on it: creating a new key`);
  const replacement = newKeyText();
  guardWrite(file, () => writeFileAtomically(file, replacement));
  return decodeMasterKey(replacement.trim(), file);
}

const newKeyText = (): string => `${randomBytes(KEY_BYTES).toString('base64')}\n`;

/** Why `text` is not a key, or undefined when it is one. */
function describeDamage(text: string): string | undefined {
  if (text === '') return 'empty';
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text.replace(/\s/g, '')) return 'not base64';
  if (bytes.length !== KEY_BYTES) return `${bytes.length < KEY_BYTES ? 'too short' : 'too long'} (${bytes.length} of ${KEY_BYTES} bytes)`;
  return undefined;
}

function readKeyFile(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new MasterKeyFileError(`cannot read ${file} (${code ?? 'error'})`);
  }
}

/** A failed write of the key file stops the start (retrying cannot mend a read-only folder). */
function guardWrite<T>(file: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    throw new MasterKeyFileError((error as { reason?: string }).reason ?? `cannot write ${file}`);
  }
}
