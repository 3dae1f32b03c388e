import { describe, expect, it } from 'vitest';
import { formatDuration, progressBar, progressLine, ProgressReporter } from '../../src/cli/ingest/ingest-progress.js';

describe('ingest progress', () => {
  it('draws a bar with documents, rate, failures and ETA', () => {
    expect(progressBar({ done: 450_000, total: 1_000_000, failed: 12, rate: 12_345 })).toBe(
      '[###########-------------]  45%  450,000/1,000,000 docs  12,345 docs/s  12 failed  ETA 0:45',
    );
  });

  it('leaves out the percentage and ETA when the total is unknown (stdin)', () => {
    expect(progressBar({ done: 5, total: undefined, failed: 0, rate: 2.4 })).toBe('5 docs  2 docs/s  0 failed');
    expect(progressLine({ done: 5, total: undefined, failed: 0, rate: 2.4 })).toBe('ingest: 5 documents, 2 docs/s, 0 failed');
  });

  it('writes plain lines off a terminal', () => {
    expect(progressLine({ done: 450_000, total: 1_000_000, failed: 12, rate: 12_345 })).toBe(
      'ingest: 450000/1000000 documents, 12345 docs/s, 12 failed, ETA 0:45',
    );
  });

  it.each([
    [0, '0:00'],
    [59.6, '1:00'],
    [3_725, '1:02:05'],
  ])('formats %d s as %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it('redraws in place on a terminal, and reports a line every 5 s otherwise', () => {
    let now = 0;
    const written: string[] = [];
    const checkpoint = (line: number) => ({ input: 'i', pipeline: 'p', target: 't', run_id: 'r', line, input_offset: 0, output_bytes: 0, dead_letter_bytes: 0, written: line, dropped: 0, failed: 0 });
    const terminal = new ProgressReporter({ write: (text) => written.push(text), terminal: true, total: 100, startLine: 0, now: () => now });
    now = 1_000;
    terminal.update(checkpoint(10));
    now = 1_100;
    terminal.update(checkpoint(20));
    expect(written).toEqual([`\r\x1b[2K${progressBar({ done: 10, total: 100, failed: 0, rate: 10 })}`]);
    const lines: string[] = [];
    const plain = new ProgressReporter({ write: (text) => lines.push(text), terminal: false, total: 100, startLine: 0, now: () => now });
    plain.update(checkpoint(30));
    now += 4_000;
    plain.update(checkpoint(40));
    now += 1_000;
    plain.finish(checkpoint(100));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^ingest: 100\/100 documents, \d+ docs\/s, 0 failed, ETA 0:00\n$/);
  });
});
