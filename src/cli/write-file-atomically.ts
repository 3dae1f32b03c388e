/**
 * Replaces a file in one step: the text goes to a temporary file beside it (created with the final
 * mode, so the content is never readable by others, not even briefly), is flushed, then renamed
 * over the target. A reader (the running service) sees the old file or the new one, never half.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { OpenSearchError } from '../errors/opensearch-error.js';

/** Writes `text` to `file` atomically with `mode` (default 0600). */
export function writeFileAtomically(file: string, text: string, mode = 0o600): void {
  const directory = dirname(file);
  const temporary = join(
    directory,
    `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    mkdirSync(directory, { recursive: true });
    const descriptor = openSync(temporary, 'wx', mode);
    try {
      writeSync(descriptor, text);
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new OpenSearchError({
      status: 500,
      type: 'io_exception',
      reason: `cannot write [${file}] (${code})`,
      cause: error,
    });
  }
}
