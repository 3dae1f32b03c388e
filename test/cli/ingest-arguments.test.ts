import { describe, expect, it } from 'vitest';
import { parseIngestArguments } from '../../src/cli/ingest/ingest-arguments.js';
import { UsageError } from '../../src/cli/users-arguments.js';

describe('ingest arguments', () => {
  it.each([
    [
      ['--pipeline', 'p', '--output', 'out.ndjson', 'in.ndjson'],
      { pipeline: 'p', output: 'out.ndjson', index: undefined, input: 'in.ndjson', checkpoint: 'out.ndjson.checkpoint', deadLetter: 'out.ndjson.dead-letter.ndjson' },
    ],
    [
      ['--pipeline=p', '--index=docs', 'in.ndjson'],
      { index: 'docs', input: 'in.ndjson', checkpoint: 'in.ndjson.checkpoint', deadLetter: 'in.ndjson.dead-letter.ndjson' },
    ],
    [['--pipeline', 'p', '--index', 'docs'], { input: '-', checkpoint: undefined, deadLetter: 'ingest.dead-letter.ndjson' }],
    [['--pipeline', 'p', '--index', 'docs', '-', '--checkpoint', 'c.json'], { input: '-', checkpoint: 'c.json' }],
    [
      ['--pipeline', 'p', '--output', 'o', '--batch-size', '50', '--concurrency', '2', '--progress', 'lines', '--dead-letter', 'dl'],
      { batchSize: 50, concurrency: 2, progress: 'lines', deadLetter: 'dl' },
    ],
    [['--pipeline', 'p', '--output', 'o'], { batchSize: 200, concurrency: 4, progress: 'auto' }],
  ])('reads %j', (argv, expected) => {
    expect(parseIngestArguments(argv)).toMatchObject(expected);
  });

  it.each([
    [['--output', 'o'], '--pipeline is required'],
    [['--pipeline', 'p'], 'give either --index or --output'],
    [['--pipeline', 'p', '--index', 'i', '--output', 'o'], 'give either --index or --output'],
    [['--pipeline', 'p', '--output', 'o', 'a', 'b'], 'give one input file (or - for stdin)'],
    [['--pipeline', 'p', '--output', 'o', '--batch-size', '0'], '--batch-size must be a positive integer'],
    [['--pipeline', 'p', '--output', 'o', '--progress', 'fancy'], '--progress must be one of auto, bar, lines, none'],
    [['--pipeline', 'p', '--output'], '--output needs a value'],
    [['--pipeline', 'p', '--output', 'o', '--password=secret'], 'unknown option [--password]'],
  ])('refuses %j', (argv, reason) => {
    let caught: unknown;
    try {
      parseIngestArguments(argv);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UsageError);
    expect((caught as UsageError).reason).toBe(reason);
  });

  it('asks for the usage with --help', () => {
    expect(parseIngestArguments(['--help'])).toBeUndefined();
  });
});
