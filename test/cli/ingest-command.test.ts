/**
 * `npm run ingest`, run as a process: NDJSON in (a file or stdin, documents or `{"_id", "_source"}`),
 * the pipeline run in-process over the configured store, enriched documents out to a file or a
 * cluster index, failures to a dead-letter file that can be ingested again; killed mid-way, a rerun
 * resumes from the checkpoint and ends with the output an uninterrupted run writes; a million
 * documents stream through at flat memory.
 */
import { createReadStream, createWriteStream, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedText } from '../../fixtures/emulator/embeddings.js';
import { FAIL_MARKER } from '../../fixtures/emulator/request-pipeline.js';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { countLines } from '../../src/cli/ingest/ndjson-lines.js';
import { startOpenSearchStandIn, type StandIn } from '../support/opensearch-stand-in/index.js';
import { prepareDataDir, runIngestCommand, startIngest } from './ingest-setup.js';

const DIMENSIONS = 4;

let emulator: Emulator;
let cluster: StandIn;
let dataDir: string;

beforeAll(async () => {
  emulator = await startEmulator({ embeddingDimensions: { 'text-embedding-ada-002': DIMENSIONS }, maxLoggedRequests: 0 });
  cluster = await startOpenSearchStandIn();
  dataDir = await prepareDataDir(emulator.url);
}, 60_000);

afterAll(async () => {
  await emulator.close();
  await cluster.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const file = (name: string) => join(dataDir, name);
const readJsonLines = (path: string) => readFileSync(path, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
const vector = (text: string) => embedText(text, DIMENSIONS);

/** Writes `count` generated lines (streamed: a million lines never sit in memory). */
async function writeInput(path: string, count: number, line: (n: number) => unknown): Promise<void> {
  const out = createWriteStream(path);
  for (let n = 0; n < count; n++) {
    if (!out.write(`${JSON.stringify(line(n))}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

describe('npm run ingest', { timeout: 300_000 }, () => {
  it('enriches a file into an output file, keeping each line form, and dead-letters what fails', async () => {
    writeFileSync(
      file('small.ndjson'),
      [
        JSON.stringify({ text: 'plain document' }),
        JSON.stringify({ _id: 'e1', _index: 'books', _source: { text: 'enveloped document' } }),
        'not json at all',
        JSON.stringify({ _id: 'bad', _source: { text: `refused ${FAIL_MARKER}` } }),
        '',
        JSON.stringify([1, 2]),
      ].join('\n'),
    );
    const result = await runIngestCommand(['--pipeline', 'embed', '--output', file('small.out.ndjson'), file('small.ndjson')], { dataDir });
    expect(result.code, result.stderr).toBe(3);
    expect(result.stdout).toMatch(/^ingest: 6 lines read, 2 written, 0 dropped, 3 failed \(see .*small\.out\.ndjson\.dead-letter\.ndjson\) in [\d.]+ s; peak RSS \d+ MB\n$/);
    expect(readJsonLines(file('small.out.ndjson'))).toEqual([
      { text: 'plain document', vector: vector('plain document') },
      { _id: 'e1', _index: 'books', _source: { text: 'enveloped document', vector: vector('enveloped document') } },
    ]);
    const dead = readJsonLines(file('small.out.ndjson.dead-letter.ndjson'));
    expect(dead.map((entry) => [entry.line, entry.error.type, entry.status])).toEqual([
      [3, 'json_parse_exception', 400],
      [6, 'illegal_argument_exception', 400],
      [4, 'status_exception', 400],
    ]);
    expect(dead[2]).toMatchObject({ _id: 'bad', _source: { text: `refused ${FAIL_MARKER}` }, failed_at: expect.any(String) });
    expect(existsSync(file('small.out.ndjson.checkpoint'))).toBe(false);

    expect(dead[0]).toMatchObject({ _source: null, raw: 'not json at all' });

    // The dead-letter file is itself an input: its documents can be sent again once fixed (lines
    // that never were documents fail again).
    const again = await runIngestCommand(['--pipeline', 'plain', '--output', file('redrive.ndjson'), file('small.out.ndjson.dead-letter.ndjson')], { dataDir });
    expect(again.code).toBe(3);
    expect(readJsonLines(file('redrive.ndjson'))).toEqual([{ _id: 'bad', _source: { text: `refused ${FAIL_MARKER}`, seen: true } }]);
    expect(readJsonLines(file('redrive.ndjson.dead-letter.ndjson')).map((entry) => entry.error.reason)).toEqual([
      'line [1] has no document: [_source] is not an object',
      'line [2] has no document: [_source] is not an object',
    ]);
  });

  it('reads stdin and shows plain progress lines when stderr is not a terminal', async () => {
    const stdin = Array.from({ length: 500 }, (_, n) => JSON.stringify({ text: `line ${n}` })).join('\n');
    const result = await runIngestCommand(['--pipeline', 'embed', '--output', file('stdin.out.ndjson'), '--batch-size', '100'], { dataDir, stdin });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(/^ingest: 500 documents, \d+ docs\/s, 0 failed$/);
    expect(readJsonLines(file('stdin.out.ndjson'))).toHaveLength(500);
    const bar = await runIngestCommand(['--pipeline', 'plain', '--output', file('bar.out.ndjson'), '--progress', 'bar'], { dataDir, stdin });
    // Redrawn in place: every report starts with a carriage return and a line erase; the last ends the line.
    expect(bar.stderr).toMatch(/^(\r\x1b\[2K\d+ docs {2}[\d,]+ docs\/s {2}0 failed)*\r\x1b\[2K500 docs {2}[\d,]+ docs\/s {2}0 failed\n$/);
  });

  it('bulk-writes a cluster index with pipeline=_none, a document without an id getting <run>-<line>', async () => {
    await fetch(`${cluster.url}/shelf`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mappings: { dynamic: 'strict', properties: { text: { type: 'text' }, year: { type: 'integer' }, vector: { type: 'float' } } } }),
    });
    writeFileSync(
      file('shelf.ndjson'),
      [
        JSON.stringify({ _id: 'b1', _source: { text: 'first book', year: 1999 } }),
        JSON.stringify({ text: 'second book', year: 2001 }),
        JSON.stringify({ text: 'unmapped field', shelf: 'top' }),
      ].join('\n'),
    );
    const result = await runIngestCommand(['--pipeline', 'embed', '--index', 'shelf', file('shelf.ndjson')], { dataDir, env: { OPENSEARCH_URL: cluster.url } });
    expect(result.code, result.stderr).toBe(3);
    const stored = cluster.indices.documents('shelf');
    expect(stored.map((document) => document.id)).toEqual(['b1', expect.stringMatching(/^[0-9a-f]{12}-2$/)]);
    expect(stored[1]!.source).toEqual({ text: 'second book', year: 2001, vector: vector('second book') });
    const bulk = cluster.requests.find((request) => request.path === '/_bulk')!;
    expect(JSON.parse(bulk.body.split('\n')[0]!)).toEqual({ index: { _index: 'shelf', _id: 'b1', pipeline: '_none' } });
    const [refused] = readJsonLines(file('shelf.ndjson.dead-letter.ndjson'));
    expect(refused).toMatchObject({ line: 3, status: 400, error: { type: 'strict_dynamic_mapping_exception' }, _source: { text: 'unmapped field', shelf: 'top' } });
  });

  it('resumes from its checkpoint after being killed, ending with the output of an uninterrupted run', async () => {
    const count = 30_000;
    const poisoned = (n: number) => n % 1_000 === 500;
    await writeInput(file('big.ndjson'), count, (n) => ({ _id: `doc-${n}`, _source: { text: poisoned(n) ? `doc ${n} ${FAIL_MARKER}` : `doc ${n}` } }));
    const args = ['--pipeline', 'embed', '--output', file('big.out.ndjson'), '--batch-size', '100', file('big.ndjson')];
    const first = startIngest(args, { dataDir });
    for (const deadline = Date.now() + 60_000; ; ) {
      const checkpoint = existsSync(file('big.out.ndjson.checkpoint')) ? JSON.parse(readFileSync(file('big.out.ndjson.checkpoint'), 'utf8')) : undefined;
      if (checkpoint?.line >= 3_000) break;
      if (Date.now() > deadline) throw new Error('no progress');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    first.child.kill('SIGKILL');
    expect((await first.finished).code).toBeNull();
    const interrupted = await countLines(createReadStream(file('big.out.ndjson')));
    expect(interrupted).toBeLessThan(count);

    const rerun = await runIngestCommand(args, { dataDir });
    expect(rerun.code, rerun.stderr).toBe(3);
    expect(rerun.stderr).toMatch(/^ingest: resuming after line \d+/);
    const output = readJsonLines(file('big.out.ndjson'));
    const expected = Array.from({ length: count }, (_, n) => n).filter((n) => !poisoned(n));
    expect(output.map((line) => line._id)).toEqual(expected.map((n) => `doc-${n}`));
    for (const line of output.slice(0, 50)) expect(line._source.vector).toEqual(vector(line._source.text));
    const dead = readJsonLines(file('big.out.ndjson.dead-letter.ndjson'));
    expect(dead.map((entry) => entry._id)).toEqual(Array.from({ length: count }, (_, n) => n).filter(poisoned).map((n) => `doc-${n}`));
    expect(rerun.stdout).toContain(`${count} lines read, ${expected.length} written, 0 dropped, ${count - expected.length} failed`);
  });

  it('refuses a checkpoint of another run', async () => {
    writeFileSync(file('other.checkpoint'), JSON.stringify({
      input: '/elsewhere.ndjson', pipeline: 'embed', target: 'index:x', run_id: 'r', line: 1, input_offset: 1, output_bytes: 0, dead_letter_bytes: 0, written: 1, dropped: 0, failed: 0,
    }));
    const result = await runIngestCommand(['--pipeline', 'embed', '--output', file('o.ndjson'), '--checkpoint', file('other.checkpoint'), file('small.ndjson')], { dataDir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`the checkpoint [${file('other.checkpoint')}] belongs to another run`);
  });

  it('streams a million documents at flat memory: a 128 MB heap is enough', async () => {
    const count = 1_000_000;
    await writeInput(file('million.ndjson'), count, (n) => ({ _id: `doc-${n}`, _source: { text: `generated document number ${n}`, n } }));
    const result = await runIngestCommand(
      ['--pipeline', 'plain', '--output', file('million.out.ndjson'), '--progress', 'none', file('million.ndjson')],
      { dataDir, nodeOptions: ['--max-old-space-size=128'] },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`${count} lines read, ${count} written`);
    const peak = Number(/peak RSS (\d+) MB/.exec(result.stdout)![1]);
    process.stdout.write(`ingest of ${count} documents: ${result.stdout}`);
    expect(peak).toBeLessThan(400);
    expect(await countLines(createReadStream(file('million.out.ndjson')))).toBe(count);
    rmSync(file('million.ndjson'));
    rmSync(file('million.out.ndjson'));
  });
});
