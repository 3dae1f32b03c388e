/**
 * `npm run ingest -- --pipeline P (--index I | --output FILE) [FILE|-]` and its options: the
 * checkpoint and dead-letter files (named after the output, or the input, by default), the batch
 * size and the batches in flight, and how progress shows.
 */
import { UsageError } from '../users-arguments.js';

export interface IngestInvocation {
  readonly pipeline: string;
  /** `--index`: bulk into this index of `OPENSEARCH_URL`. */
  readonly index: string | undefined;
  /** `--output`: write an NDJSON file instead (no cluster needed). */
  readonly output: string | undefined;
  /** The input file, or `-` for stdin. */
  readonly input: string;
  /** Undefined: the run keeps no checkpoint (stdin into a cluster, without `--checkpoint`). */
  readonly checkpoint: string | undefined;
  readonly deadLetter: string;
  readonly batchSize: number;
  readonly concurrency: number;
  readonly progress: 'auto' | 'bar' | 'lines' | 'none';
}

export const INGEST_USAGE = [
  'usage: npm run ingest -- --pipeline <id> (--index <index> | --output <file>) [<input.ndjson> | -]',
  '  reads NDJSON (a document per line, or {"_id", "_source"}) from the file or stdin (-, the default),',
  '  runs the sidecar pipeline <id> over it and bulk-writes the cluster (OPENSEARCH_URL) or the output file',
  '  --checkpoint <file>     where progress is kept; a rerun resumes from it (default <output or input>.checkpoint)',
  '  --dead-letter <file>    documents that failed, with their error (default <output or input>.dead-letter.ndjson)',
  '  --batch-size <n>        documents per batch (default 200)',
  '  --concurrency <n>       batches in flight (default 4)',
  '  --progress <mode>       auto (a bar on a terminal, lines otherwise), bar, lines or none',
].join('\n');

const PROGRESS_MODES = ['auto', 'bar', 'lines', 'none'] as const;

/** Parses the arguments after `ingest`; `undefined` asks for the usage. */
export function parseIngestArguments(argv: readonly string[]): IngestInvocation | undefined {
  const options = new Map<string, string>();
  const positional: string[] = [];
  for (let at = 0; at < argv.length; at++) {
    const argument = argv[at]!;
    if (argument === '--help' || argument === '-h') return undefined;
    if (!argument.startsWith('--') || argument === '-') {
      positional.push(argument);
      continue;
    }
    const equals = argument.indexOf('=');
    const name = equals < 0 ? argument : argument.slice(0, equals);
    if (!['--pipeline', '--index', '--output', '--checkpoint', '--dead-letter', '--batch-size', '--concurrency', '--progress'].includes(name)) {
      throw new UsageError(`unknown option [${name}]`);
    }
    const value = equals < 0 ? argv[++at] : argument.slice(equals + 1);
    if (value === undefined || value === '') throw new UsageError(`${name} needs a value`);
    options.set(name, value);
  }
  if (positional.length > 1) throw new UsageError('give one input file (or - for stdin)');
  const pipeline = options.get('--pipeline');
  if (pipeline === undefined) throw new UsageError('--pipeline is required');
  const index = options.get('--index');
  const output = options.get('--output');
  if ((index === undefined) === (output === undefined)) throw new UsageError('give either --index or --output');
  const input = positional[0] ?? '-';
  const named = output ?? (input === '-' ? undefined : input);
  const progress = options.get('--progress') ?? 'auto';
  if (!(PROGRESS_MODES as readonly string[]).includes(progress)) throw new UsageError(`--progress must be one of ${PROGRESS_MODES.join(', ')}`);
  return {
    pipeline,
    index,
    output,
    input,
    checkpoint: options.get('--checkpoint') ?? (named === undefined ? undefined : `${named}.checkpoint`),
    deadLetter: options.get('--dead-letter') ?? `${named ?? 'ingest'}.dead-letter.ndjson`,
    batchSize: positiveInteger(options, '--batch-size', 200),
    concurrency: positiveInteger(options, '--concurrency', 4),
    progress: progress as IngestInvocation['progress'],
  };
}

function positiveInteger(options: ReadonlyMap<string, string>, name: string, fallback: number): number {
  const raw = options.get(name);
  if (raw === undefined) return fallback;
  if (!/^[1-9]\d*$/.test(raw)) throw new UsageError(`${name} must be a positive integer`);
  return Number(raw);
}
