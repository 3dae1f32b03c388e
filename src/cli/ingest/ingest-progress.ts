/**
 * Progress of an ingest run on stderr: on a terminal a bar redrawn in place (documents, rate,
 * failures, ETA), otherwise a plain line every few seconds, so logs stay readable.
 */
import type { IngestCheckpoint } from './ingest-checkpoint.js';

/** What a progress report shows. */
export interface ProgressState {
  /** Input lines done (this run and the runs it resumes). */
  readonly done: number;
  /** Input lines in all, when known (a file is counted first). */
  readonly total: number | undefined;
  readonly failed: number;
  /** Documents per second in this run. */
  readonly rate: number;
}

const BAR_WIDTH = 24;

const formatCount = (value: number): string => Math.round(value).toLocaleString('en-US');

/** `1:02:03` / `2:03`. */
export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = String(whole % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

function eta(state: ProgressState): string | undefined {
  if (state.total === undefined || state.rate <= 0) return undefined;
  return formatDuration((state.total - state.done) / state.rate);
}

/** The terminal bar: `[#####-----]  45%  450,000/1,000,000 docs  12,345 docs/s  12 failed  ETA 0:45`. */
export function progressBar(state: ProgressState): string {
  const fraction = state.total === undefined || state.total === 0 ? undefined : Math.min(1, state.done / state.total);
  const filled = fraction === undefined ? 0 : Math.round(fraction * BAR_WIDTH);
  const parts = [
    ...(fraction === undefined ? [] : [`[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}%`]),
    `${formatCount(state.done)}${state.total === undefined ? '' : `/${formatCount(state.total)}`} docs`,
    `${formatCount(state.rate)} docs/s`,
    `${formatCount(state.failed)} failed`,
    ...(eta(state) === undefined ? [] : [`ETA ${eta(state)}`]),
  ];
  return parts.join('  ');
}

/** The plain line: `ingest: 450000/1000000 documents, 12345 docs/s, 12 failed, ETA 0:45`. */
export function progressLine(state: ProgressState): string {
  const done = state.total === undefined ? `${state.done}` : `${state.done}/${state.total}`;
  const remaining = eta(state);
  return `ingest: ${done} documents, ${Math.round(state.rate)} docs/s, ${state.failed} failed${remaining === undefined ? '' : `, ETA ${remaining}`}`;
}

/** Writes progress as the run goes. */
export class ProgressReporter {
  private lastReport = -Infinity;
  private readonly startedAt: number;

  constructor(
    private readonly options: {
      readonly write: (text: string) => void;
      readonly terminal: boolean;
      readonly total: number | undefined;
      /** Lines done before this run (a resumed run). */
      readonly startLine: number;
      readonly now: () => number;
    },
  ) {
    this.startedAt = options.now();
  }

  update(checkpoint: IngestCheckpoint, force = false): void {
    const now = this.options.now();
    const every = this.options.terminal ? 200 : 5_000;
    if (!force && now - this.lastReport < every) return;
    this.lastReport = now;
    const elapsed = Math.max(0.001, (now - this.startedAt) / 1000);
    const state: ProgressState = {
      done: checkpoint.line,
      total: this.options.total,
      failed: checkpoint.failed,
      rate: (checkpoint.line - this.options.startLine) / elapsed,
    };
    if (this.options.terminal) this.options.write(`\r\x1b[2K${progressBar(state)}`);
    else this.options.write(`${progressLine(state)}\n`);
  }

  /** Ends the bar's line (a terminal) before the summary. */
  finish(checkpoint: IngestCheckpoint): void {
    this.update(checkpoint, true);
    if (this.options.terminal) this.options.write('\n');
  }
}
