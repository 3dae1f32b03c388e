/**
 * A standalone service (`src/main.ts` in its own process) finding its key file empty: over an empty
 * store it says so and starts with a new key; over stored credentials it refuses to start, naming
 * the file, and leaves everything as it was.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAiChatConnector } from '../helpers/connector-bodies.js';
import { startServerProcess } from '../helpers/server-process.js';
import { temporaryFolders } from '../helpers/temp-dirs.js';

const newDataDir = temporaryFolders('sidecar-key-file');

describe('an empty master.key at start', () => {
  it('should be replaced by a new key, with a warning, when the store holds no credentials', async () => {
    const dataDir = newDataDir();
    const keyFile = join(dataDir, 'master.key');
    writeFileSync(keyFile, '', { mode: 0o600 });
    const server = await startServerProcess({ DATA_DIR: dataDir });
    expect(await server.stop()).toBe(0);
    expect(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64')).toHaveLength(32);
    expect(server.output()).toContain(`"msg":"${keyFile} is empty and no stored credential depends on it: creating a new key"`);
  });

  it('should stop the start, naming the file, when stored credentials were encrypted with the lost key', async () => {
    const dataDir = newDataDir();
    const keyFile = join(dataDir, 'master.key');
    const first = await startServerProcess({ DATA_DIR: dataDir });
    const created = await fetch(`${first.url}/_plugins/_ml/connectors/_create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(openAiChatConnector()),
    });
    expect(created.status).toBe(200);
    expect(await first.stop()).toBe(0);
    writeFileSync(keyFile, '');
    const refused = await startServerProcess({ DATA_DIR: dataDir }).then(
      () => 'started',
      (error: Error) => error.message,
    );
    expect(refused).toContain(
      `configuration error: ${keyFile} is empty, and 1 stored connector(s) or model(s) hold credentials encrypted with the key it held: ` +
        `restore ${keyFile} from a backup (or set MASTER_KEY to that key). Nothing was changed.`,
    );
    expect(readFileSync(keyFile, 'utf8')).toBe('');
  });
});
