/**
 * `npm run ingest`: a file (or stdin) of NDJSON documents through one of the sidecar's ingest
 * pipelines, into a cluster index or an output file. It runs the pipelines in this process, over
 * the state the service uses (the same environment: `DATA_DIR` or the cluster store, `MASTER_KEY`),
 * so no sidecar needs to be running; into a cluster it writes as the sidecar's account
 * (`OPENSEARCH_USERNAME`/`OPENSEARCH_PASSWORD` or `OPENSEARCH_API_KEY`). Exit codes: 0 done, 3 done
 * with documents in the dead-letter file, 1 stopped (rerun to resume), 2 a wrong command line.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { JobCluster } from '../../backfill/job-cluster.js';
import { authorizationOf } from '../../cluster/state-transport.js';
import { ConfigError, loadConfig } from '../../config.js';
import { OpenSearchError } from '../../errors/opensearch-error.js';
import { createHttpClient } from '../../http/http-client.js';
import { decodeMasterKey, decodePreviousKeys, MasterKeyFileError } from '../../security/master-key.js';
import { createServices } from '../../services.js';
import { openState } from '../../startup/open-state.js';
import { connectCluster, serviceDeps } from '../../startup/service-deps.js';
import { systemClock } from '../../util/clock.js';
import { createLogger } from '../../util/logger.js';
import { UsageError } from '../users-arguments.js';
import { AppendFile } from './append-file.js';
import { INGEST_USAGE, parseIngestArguments, type IngestInvocation } from './ingest-arguments.js';
import { CheckpointWriter, readCheckpoint, type IngestCheckpoint } from './ingest-checkpoint.js';
import { ProgressReporter } from './ingest-progress.js';
import { runIngest } from './ingest-run.js';
import { ClusterSink, FileSink, type DocumentSink } from './ingest-sinks.js';
import { countLines, readLines, type InputLine } from './ndjson-lines.js';

const EXIT_DONE = 0;
const EXIT_STOPPED = 1;
const EXIT_USAGE = 2;
const EXIT_DEAD_LETTERS = 3;

async function ingest(invocation: IngestInvocation): Promise<number> {
  const clock = systemClock;
  const config = loadConfig();
  const logger = createLogger({ level: process.env['LOG_LEVEL'] ?? 'warn', destination: process.stderr });
  const masterKey = config.masterKey === undefined ? undefined : decodeMasterKey(config.masterKey, 'MASTER_KEY');
  const state = await openState(config, { masterKey, previousKeys: decodePreviousKeys(config.previousMasterKeys), clock, logger });
  const closing: Array<() => Promise<void>> = [() => state.close()];
  try {
    const http = createHttpClient({ clock });
    closing.push(() => http.close());
    const cluster = config.opensearchUrl === undefined ? undefined : connectCluster(config.opensearchUrl, config.opensearchTimeoutMs);
    if (cluster) closing.push(cluster.close);
    const deps = serviceDeps(config, state, { clock, logger, http, cluster });
    const services = await createServices(deps);
    const pipeline = await services.ingestPipelines.compiled(invocation.pipeline);
    const target = invocation.index !== undefined ? `index:${invocation.index}` : `output:${resolve(invocation.output!)}`;
    const input = invocation.input === '-' ? '-' : resolve(invocation.input);
    const resumed = invocation.checkpoint === undefined ? undefined : readCheckpoint(invocation.checkpoint);
    if (resumed !== undefined && (resumed.input !== input || resumed.pipeline !== invocation.pipeline || resumed.target !== target)) {
      throw new UsageError(`the checkpoint [${invocation.checkpoint}] belongs to another run (${resumed.input} → ${resumed.target} through ${resumed.pipeline}); delete it, or name another with --checkpoint`);
    }
    const from: IngestCheckpoint = resumed ?? {
      input, pipeline: invocation.pipeline, target, run_id: randomBytes(6).toString('hex'),
      line: 0, input_offset: 0, output_bytes: 0, dead_letter_bytes: 0, written: 0, dropped: 0, failed: 0,
    };
    let sink: DocumentSink;
    if (invocation.index !== undefined) {
      if (deps.cluster === undefined) throw new UsageError('--index needs OPENSEARCH_URL (or use --output)');
      const client = deps.cluster.client;
      sink = new ClusterSink(new JobCluster((call) => client.call(call), authorizationOf(config.clusterState.account), clock));
    } else {
      sink = new FileSink(await AppendFile.open(invocation.output!, resumed?.output_bytes));
    }
    closing.push(() => sink.close());
    const deadLetters = await AppendFile.open(invocation.deadLetter, resumed?.dead_letter_bytes);
    closing.push(() => deadLetters.close());
    const terminal = invocation.progress === 'bar' || (invocation.progress === 'auto' && process.stderr.isTTY === true);
    const total = input === '-' || invocation.progress === 'none' ? undefined : await countLines(createReadStream(input));
    const progress = new ProgressReporter({ write: (text) => process.stderr.write(text), terminal, total, startLine: from.line, now: () => clock.now() });
    if (resumed !== undefined) process.stderr.write(`ingest: resuming after line ${resumed.line} (${resumed.written} written, ${resumed.failed} failed so far)\n`);
    const started = clock.now();
    const done = await runIngest(
      {
        pipelines: services.ingestPipelines,
        pipeline,
        lines: inputLines(input, from),
        sink,
        deadLetters,
        checkpoints: invocation.checkpoint === undefined ? undefined : new CheckpointWriter(invocation.checkpoint, () => clock.now()),
        onProgress: (checkpoint) => invocation.progress !== 'none' && progress.update(checkpoint),
        clock,
      },
      { batchSize: invocation.batchSize, concurrency: invocation.concurrency, targetIndex: invocation.index, from },
    );
    if (invocation.progress !== 'none') progress.finish(done);
    if (invocation.checkpoint !== undefined) new CheckpointWriter(invocation.checkpoint, () => clock.now()).remove();
    const seconds = ((clock.now() - started) / 1000).toFixed(1);
    const peakMegabytes = Math.round(process.resourceUsage().maxRSS / 1024);
    process.stdout.write(
      `ingest: ${done.line} lines read, ${done.written} written, ${done.dropped} dropped, ${done.failed} failed` +
        `${done.failed > 0 ? ` (see ${invocation.deadLetter})` : ''} in ${seconds} s; peak RSS ${peakMegabytes} MB\n`,
    );
    return done.failed > 0 ? EXIT_DEAD_LETTERS : EXIT_DONE;
  } finally {
    for (const close of closing.reverse()) await close().catch(() => undefined);
  }
}

/** The input after the checkpoint: a file reopened at its offset, stdin read past its lines. */
async function* inputLines(input: string, from: IngestCheckpoint): AsyncGenerator<InputLine> {
  if (input !== '-') {
    yield* readLines(createReadStream(input, { start: from.input_offset }), { line: from.line, offset: from.input_offset });
    return;
  }
  for await (const line of readLines(process.stdin)) if (line.number > from.line) yield line;
}

async function main(): Promise<number> {
  let invocation: IngestInvocation | undefined;
  try {
    invocation = parseIngestArguments(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`ingest: ${(error as UsageError).reason}\n${INGEST_USAGE}\n`);
    return EXIT_USAGE;
  }
  if (invocation === undefined) {
    process.stdout.write(`${INGEST_USAGE}\n`);
    return EXIT_DONE;
  }
  try {
    return await ingest(invocation);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`ingest: ${error.reason}\n`);
      return EXIT_USAGE;
    }
    const reason = error instanceof OpenSearchError ? error.reason : error instanceof ConfigError || error instanceof MasterKeyFileError ? error.message : (error as Error).stack ?? String(error);
    const resume = invocation.checkpoint === undefined ? '' : `; the checkpoint [${invocation.checkpoint}] keeps the progress: run the same command again to resume`;
    process.stderr.write(`ingest: stopped: ${reason}${resume}\n`);
    return EXIT_STOPPED;
  }
}

process.exitCode = await main();
