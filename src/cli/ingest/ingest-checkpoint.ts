/**
 * The checkpoint file of an ingest run: how far the input was read and the outputs written, and
 * the counts so far. It is replaced atomically after a batch is written (at most every few hundred
 * milliseconds), so a run killed at any moment resumes from a consistent point: the input from the
 * recorded offset, the output files cut back to the recorded sizes.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { compileSchema, validateOrThrow } from '../../schemas/ajv.js';
import { writeFileAtomically } from '../../util/write-file-atomically.js';
import { UsageError } from '../users-arguments.js';

export interface IngestCheckpoint {
  /** What the run reads and writes: a checkpoint of another run is refused. */
  readonly input: string;
  readonly pipeline: string;
  readonly target: string;
  /** Names the ids given to documents without one (`<run_id>-<line>`), the same on every resume. */
  readonly run_id: string;
  readonly line: number;
  readonly input_offset: number;
  readonly output_bytes: number;
  readonly dead_letter_bytes: number;
  readonly written: number;
  readonly dropped: number;
  readonly failed: number;
}

const counter = { type: 'integer', minimum: 0 } as const;
const validateCheckpoint = compileSchema<IngestCheckpoint>({
  type: 'object',
  required: ['input', 'pipeline', 'target', 'run_id', 'line', 'input_offset', 'output_bytes', 'dead_letter_bytes', 'written', 'dropped', 'failed'],
  properties: {
    input: { type: 'string' },
    pipeline: { type: 'string' },
    target: { type: 'string' },
    run_id: { type: 'string' },
    line: counter,
    input_offset: counter,
    output_bytes: counter,
    dead_letter_bytes: counter,
    written: counter,
    dropped: counter,
    failed: counter,
  },
});

/** The checkpoint in `file`, or undefined when there is none. */
export function readCheckpoint(file: string): IngestCheckpoint | undefined {
  if (!existsSync(file)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new UsageError(`the checkpoint [${file}] cannot be read; delete it to start over`);
  }
  return validateOrThrow(validateCheckpoint, value, {
    what: 'checkpoint',
    toError: (reason) => new UsageError(`the checkpoint [${file}] is not one: ${reason}; delete it to start over`),
  });
}

/** Writes checkpoints, at most one every `minIntervalMs` unless forced. */
export class CheckpointWriter {
  private lastWrite = -Infinity;

  constructor(
    private readonly file: string,
    private readonly now: () => number,
    private readonly minIntervalMs = 250,
  ) {}

  save(checkpoint: IngestCheckpoint, force = false): void {
    const now = this.now();
    if (!force && now - this.lastWrite < this.minIntervalMs) return;
    this.lastWrite = now;
    writeFileAtomically(this.file, `${JSON.stringify(checkpoint)}\n`);
  }

  /** The run finished: a rerun starts over. */
  remove(): void {
    rmSync(this.file, { force: true });
  }
}
