/**
 * Writes a file in one step: the text goes to a temporary file beside it (created with the final
 * mode, so the content is never readable by others, not even briefly), is flushed to disk, then
 * put in place: renamed over the target, or, for a file that must be created only once, linked
 * to its name (which fails if another process created it first). Either way a reader, or a crash
 * at any moment, sees no file, the old one or the whole new one, never a half-written one.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { OpenSearchError } from '../errors/opensearch-error.js';

/** Writes `text` to `file` atomically with `mode` (default 0600), replacing it if it exists. */
export function writeFileAtomically(file: string, text: string, mode = 0o600): void {
  putInPlace(file, text, mode, (temporary) => renameSync(temporary, file));
}

/**
 * Creates `file` with `text` unless it exists (another process may create it at the same time:
 * exactly one wins). Returns whether this call created it.
 */
export function createFileAtomically(file: string, text: string, mode = 0o600): boolean {
  let created = true;
  putInPlace(file, text, mode, (temporary) => {
    try {
      linkSync(temporary, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      created = false;
    }
  });
  return created;
}

function putInPlace(file: string, text: string, mode: number, place: (temporary: string) => void): void {
  const directory = dirname(file);
  const temporary = join(directory, `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    mkdirSync(directory, { recursive: true });
    const descriptor = openSync(temporary, 'wx', mode);
    try {
      writeSync(descriptor, text);
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
    place(temporary);
    syncDirectory(directory);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new OpenSearchError({ status: 500, type: 'io_exception', reason: `cannot write [${file}] (${code})`, cause: error });
  } finally {
    removeQuietly(temporary);
  }
}

/** The temporary file is gone after a rename; a failure to remove it must not hide the real error. */
function removeQuietly(temporary: string): void {
  try {
    rmSync(temporary, { force: true });
  } catch {
    // Nothing was written there that anyone reads.
  }
}

/** Makes the new name itself durable: without it a crash can lose the rename or link. */
function syncDirectory(directory: string): void {
  const descriptor = openSync(directory, 'r');
  try {
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}
