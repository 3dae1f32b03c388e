import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** `npm run demo` is the README's main job: it must run start to finish and exit 0. */
describe('npm run demo', () => {
  it('should walk the whole flow against the emulator and exit 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(process.cwd(), 'src/cli.ts'), 'demo'], {
      env: { ...process.env, EMULATOR_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, output).toBe(0);
    expect(output).toContain('==> POST /_plugins/_ml/connectors/_create');
    expect(output).toContain('"name": "sentence_embedding"');
    expect(output).toContain('Emulated reply to: Hello!');
    expect(output).toContain('==> POST /_ingest/pipeline/demo-embeddings/_simulate');
    expect(output).toMatch(/"text_embedding": \[/);
    expect(output).toMatch(/### RAG answer: Emulated reply to: /);
    expect(output).toContain('Demo finished');
    expect(output).not.toContain('test-key"');
  }, 60_000);
});
