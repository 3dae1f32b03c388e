import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMasterKey, MASTER_KEY_FILE } from '../../src/security/master-key.js';

const directories: string[] = [];
const tempDir = () => {
  const directory = mkdtempSync(join(tmpdir(), 'sidecar-key-'));
  directories.push(directory);
  return directory;
};
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe('loadMasterKey', () => {
  it('should create a 32-byte key once, with mode 0600, and reuse it', () => {
    const dataDir = join(tempDir(), 'nested');
    const first = loadMasterKey({ dataDir });
    expect(first).toHaveLength(32);
    expect(statSync(join(dataDir, MASTER_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(loadMasterKey({ dataDir }).equals(first)).toBe(true);
    expect(readFileSync(join(dataDir, MASTER_KEY_FILE), 'utf8').trim()).toBe(first.toString('base64'));
  });

  it('should prefer MASTER_KEY and write nothing', () => {
    const dataDir = tempDir();
    const key = Buffer.alloc(32, 9);
    expect(loadMasterKey({ dataDir, masterKeyBase64: key.toString('base64') }).equals(key)).toBe(true);
    expect(() => statSync(join(dataDir, MASTER_KEY_FILE))).toThrow();
  });

  it.each([Buffer.alloc(16).toString('base64'), 'not base64!', ''])('should refuse MASTER_KEY %j', (value) => {
    expect(() => loadMasterKey({ dataDir: tempDir(), masterKeyBase64: value })).toThrow(/32 bytes/);
  });
});
