import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OpenSearchError } from '../../src/errors/opensearch-error.js';
import { createFileAtomically, writeFileAtomically } from '../../src/util/write-file-atomically.js';
import { temporaryFolders } from '../helpers/temp-dirs.js';

const tempDir = temporaryFolders('sidecar-atomic');

describe('writeFileAtomically', () => {
  it('should replace the file whole, with the mode asked, leaving no temporary file', () => {
    const directory = tempDir();
    const file = join(directory, 'users.json');
    writeFileAtomically(file, 'first');
    writeFileAtomically(file, 'second', 0o640);
    expect(readFileSync(file, 'utf8')).toBe('second');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readdirSync(directory)).toEqual(['users.json']);
  });
});

describe('createFileAtomically', () => {
  it('should create the file once: a later (or concurrent) creator gets false and the first content stays', () => {
    const directory = tempDir();
    const file = join(directory, 'nested', 'master.key');
    expect(createFileAtomically(file, 'one')).toBe(true);
    expect(createFileAtomically(file, 'two')).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('one');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(directory, 'nested'))).toEqual(['master.key']);
  });

  it('should say which file it cannot write, as an io_exception', () => {
    const directory = tempDir();
    writeFileAtomically(join(directory, 'plain'), 'not a folder');
    const file = join(directory, 'plain', 'master.key');
    expect(() => createFileAtomically(file, 'key')).toThrow(OpenSearchError);
    expect(() => createFileAtomically(file, 'key')).toThrow(new RegExp(`^cannot write \\[${file}\\] \\((ENOTDIR|EEXIST)\\)$`));
  });
});
