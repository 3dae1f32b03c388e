/**
 * Runs the peer script (`peer-embed.ts`) in its own process and reads its JSON line. Asynchronous
 * on purpose: a driver blocked in `spawnSync` misses the sidecar closing its idle keep-alive
 * connections, and its next request fails on a socket the other side has closed.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** What the peer printed. */
export interface PeerLine {
  readonly documents?: number;
  readonly failed?: number;
  readonly seconds?: number;
  readonly docs_per_s?: number;
}

/** The peer's settings, as its `PEER_*` environment variables. */
export interface PeerSettings {
  readonly emulatorUrl: string;
  readonly documents: number;
  readonly concurrency: number;
  readonly batch: number;
  readonly dimensions: number;
}

export function runPeer(settings: PeerSettings): Promise<PeerLine> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'peer-embed.ts')], {
    env: {
      ...process.env,
      PEER_EMULATOR_URL: settings.emulatorUrl,
      PEER_DOCUMENTS: String(settings.documents),
      PEER_CONCURRENCY: String(settings.concurrency),
      PEER_BATCH: String(settings.batch),
      PEER_DIMENSIONS: String(settings.dimensions),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', () => {
      try {
        resolve(JSON.parse(stdout.trim().split('\n').at(-1) || '{}') as PeerLine);
      } catch {
        resolve({});
      }
    });
  });
}
