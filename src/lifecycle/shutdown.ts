/**
 * The stop sequence after SIGTERM or SIGINT: readiness fails at once (load balancers drain), the
 * server stops accepting and lets requests in flight finish within `SHUTDOWN_TIMEOUT_MS`, then
 * what was opened at start is closed in reverse order (background duties, pools, heartbeats, the
 * store). The exit code says whether every request got its answer: 0, or 1 when some were cut.
 */
import type { Clock } from '../util/clock.js';
import { TIMED_OUT, withinTime } from '../util/within-time.js';
import type { Logger } from '../util/logger.js';
import type { RequestDrain } from './request-drain.js';
import type { ServiceProbes } from './service-probes.js';

/** How long one closing step may take (a store closing against a cluster that is down). */
const CLOSE_STEP_TIMEOUT_MS = 10_000;

interface CloseStep {
  readonly name: string;
  run(): Promise<void>;
  /** Skipped when requests were cut (see `onShutdown`). */
  readonly onlyWhenDrained: boolean;
}

export class Shutdown {
  private readonly steps: CloseStep[] = [];
  private started: Promise<number> | undefined;

  constructor(
    private readonly io: { probes: ServiceProbes; drain: RequestDrain; clock: Clock; logger: Logger; timeoutMs: number },
  ) {}

  /**
   * Registers something to close at shutdown; the last registered closes first. Connection pools
   * close by letting their calls finish; after requests were cut nobody waits for those calls, so
   * pools marked `onlyWhenDrained` are left to the exit, which closes their sockets at once.
   */
  onShutdown(name: string, run: () => Promise<void>, options: { onlyWhenDrained?: boolean } = {}): void {
    this.steps.push({ name, run, onlyWhenDrained: options.onlyWhenDrained ?? false });
  }

  /** Runs the stop sequence once (later signals join the first) and resolves with the exit code. */
  run(signal: string): Promise<number> {
    this.started ??= this.stop(signal);
    return this.started;
  }

  private async stop(signal: string): Promise<number> {
    const { probes, drain, logger, timeoutMs } = this.io;
    probes.stopping();
    logger.info({ signal, in_flight: drain.inFlightCount, shutdown_timeout_ms: timeoutMs }, 'shutting down: finishing requests in flight');
    const { cut } = await drain.drain(timeoutMs);
    for (const step of this.steps.slice().reverse()) if (cut === 0 || !step.onlyWhenDrained) await this.close(step);
    if (cut > 0) {
      logger.error({ cut_requests: cut, shutdown_timeout_ms: timeoutMs }, `shutdown cut ${cut} request(s) still in flight after SHUTDOWN_TIMEOUT_MS`);
      return 1;
    }
    logger.info('stopped: every request in flight was answered');
    return 0;
  }

  private async close(step: CloseStep): Promise<void> {
    try {
      if ((await withinTime(step.run(), CLOSE_STEP_TIMEOUT_MS, this.io.clock)) === TIMED_OUT) {
        this.io.logger.warn({ step: step.name, timeout_ms: CLOSE_STEP_TIMEOUT_MS }, 'shutdown step did not finish in time; going on');
      }
    } catch (error) {
      this.io.logger.warn({ step: step.name, reason: (error as Error).message }, 'shutdown step failed; going on');
    }
  }
}
