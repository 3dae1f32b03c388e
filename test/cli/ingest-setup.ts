/**
 * What the ingest command's tests share: a data folder whose embedded store holds an embedding
 * model on the emulator and pipelines, and the command run as `npm run ingest` runs it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CredentialCipher } from '../../src/security/credential-cipher.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { EMULATOR_SETTINGS } from '../helpers/blueprints.js';
import { openAiEmbeddingConnector } from '../helpers/emulator-connectors.js';
import { buildTestApp } from '../helpers/test-app.js';

export const INGEST_MASTER_KEY = Buffer.alloc(32, 9);

/** A data folder with the `embed` pipeline (`text` → `vector`) over an emulator model, and `plain` (no model). */
export async function prepareDataDir(emulatorUrl: string): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ingest-'));
  const store = new SqliteStore(join(dataDir, 'sidecar.db'));
  const app = await buildTestApp({ store, cipher: new CredentialCipher(INGEST_MASTER_KEY) });
  await app.services.settings.update(EMULATOR_SETTINGS);
  const connector = await app.services.connectors.create(openAiEmbeddingConnector(emulatorUrl), undefined);
  const model = await app.services.models.register({ name: 'embedder', function_name: 'remote', connector_id: connector.connector_id }, { deploy: true, caller: undefined });
  await app.services.ingestPipelines.put('embed', {
    processors: [{ text_embedding: { model_id: model.model_id, field_map: { text: 'vector' }, batch_size: 100 } }],
  });
  await app.services.ingestPipelines.put('plain', { processors: [{ set: { field: 'seen', value: true } }] });
  await store.close();
  return dataDir;
}

export interface IngestProcess {
  readonly child: ChildProcess;
  /** Resolves with the exit code (null when killed) and what was printed. */
  readonly finished: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** Starts `npm run ingest -- <args>` (as `tsx src/cli.ts ingest` runs it) on `dataDir`. */
export function startIngest(
  args: readonly string[],
  options: { dataDir: string; env?: Record<string, string>; stdin?: string; nodeOptions?: readonly string[] },
): IngestProcess {
  const child = spawn(process.execPath, [...(options.nodeOptions ?? []), '--import', 'tsx', join(process.cwd(), 'src/cli.ts'), 'ingest', ...args], {
    env: {
      ...process.env,
      DATA_DIR: options.dataDir,
      MASTER_KEY: INGEST_MASTER_KEY.toString('base64'),
      STATE_STORE: 'sqlite',
      OPENSEARCH_URL: '',
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  if (options.stdin !== undefined) child.stdin!.end(options.stdin);
  else child.stdin!.end();
  const finished = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, finished };
}

/** Runs the command to its end. */
export const runIngestCommand = (args: readonly string[], options: Parameters<typeof startIngest>[1]) => startIngest(args, options).finished;
