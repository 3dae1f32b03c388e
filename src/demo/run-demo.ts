import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../fixtures/emulator/start-emulator.js';
import { TEST_API_KEY } from '../../fixtures/emulator/test-credentials.js';
import { demoSteps } from './demo-steps.js';
import { printExchange } from './print-exchange.js';

/**
 * Starts the provider emulator and the service (with a temporary DATA_DIR), walks the seed
 * page's flow printing every request and response, stops both and returns the exit code.
 */
export async function runDemo(): Promise<number> {
  const emulator = await startEmulator({ port: Number(process.env['EMULATOR_PORT'] ?? 0) });
  const dataDir = mkdtempSync(join(tmpdir(), 'ml-sidecar-demo-'));
  const port = await freePort();
  const service = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', 'main.ts')], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(baseUrl);
    process.stdout.write(`opensearch-ml-sidecar on ${baseUrl}, provider emulator on ${emulator.url}\n`);
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(baseUrl + path, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const json = (await response.json()) as unknown;
      printExchange({ method, path, body, status: response.status, response: json });
      if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}`);
      return json as Record<string, any>;
    };
    await demoSteps({ call, emulatorUrl: emulator.url, apiKey: TEST_API_KEY, heading: (text) => process.stdout.write(`\n### ${text}\n`) });
    process.stdout.write('\nDemo finished: every step answered as expected.\n');
    return 0;
  } catch (error) {
    process.stderr.write(`\nDemo failed: ${(error as Error).message}\n`);
    return 1;
  } finally {
    service.kill('SIGTERM');
    await new Promise((resolve) => service.once('exit', resolve));
    await emulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function waitUntilReady(baseUrl: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (await fetch(`${baseUrl}/`).then((response) => response.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the service did not become ready within 20 s');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
