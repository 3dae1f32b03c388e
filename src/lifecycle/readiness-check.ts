/**
 * One thing readiness depends on (the store, the cluster), checked through a cache: probes from
 * every load balancer and kubelet share one result for `cacheMs`, at most one check of each runs
 * at a time, and a check that hangs is reported as failed after `timeoutMs` instead of holding
 * the probe (its call is left to finish in the background and is reused by the next probe).
 */
import type { Clock } from '../util/clock.js';
import { TIMED_OUT, withinTime } from '../util/within-time.js';

export interface ReadinessCheck {
  /** What the check is about, as the ready answer names it (`store`, `cluster`). */
  readonly name: string;
  /** Resolves when the dependency is usable; rejects with the reason otherwise. */
  run(): Promise<void>;
}

/** The outcome of one check: `undefined` when it passed, else why it failed. */
export type CheckFailure = string | undefined;

export class CachedCheck {
  private last: { at: number; failure: CheckFailure } | undefined;
  private running: Promise<CheckFailure> | undefined;

  constructor(
    private readonly check: ReadinessCheck,
    private readonly options: { clock: Clock; cacheMs: number; timeoutMs: number },
  ) {}

  get name(): string {
    return this.check.name;
  }

  async failure(): Promise<CheckFailure> {
    const now = this.options.clock.now();
    if (this.last !== undefined && now - this.last.at < this.options.cacheMs) return this.last.failure;
    this.running ??= this.check.run().then(
      () => undefined,
      (error: unknown) => reasonOf(error),
    ).finally(() => (this.running = undefined));
    const outcome = await withinTime(this.running, this.options.timeoutMs, this.options.clock);
    const failure = outcome === TIMED_OUT ? `did not answer within ${this.options.timeoutMs} ms` : outcome;
    this.last = { at: this.options.clock.now(), failure };
    return failure;
  }
}

/** An OpenSearchError's reason, or an error's message. */
function reasonOf(error: unknown): string {
  const reason = (error as { reason?: unknown }).reason;
  return typeof reason === 'string' ? reason : error instanceof Error ? error.message : String(error);
}
