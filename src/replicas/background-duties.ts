/**
 * Work one replica does for all: each duty runs every `everyMs` on the replica holding the duties
 * lease (with the embedded store, on the only replica there is). A duty that fails is logged and
 * tried again at its next turn; it never stops the others.
 */
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import type { Lease } from './lease.js';

export interface Duty {
  readonly name: string;
  readonly everyMs: number;
  /** Does one round; what it returns (counts) is logged when it did something. */
  run(): Promise<Record<string, number>>;
}

export class BackgroundDuties {
  private timer: NodeJS.Timeout | undefined;
  private readonly lastRun = new Map<string, number>();
  private running = false;

  constructor(
    private readonly duties: readonly Duty[],
    private readonly options: { lease: Lease | undefined; clock: Clock; logger: Logger; tickMs: number },
  ) {}

  /** Runs a first turn at once (a key rotation should not wait a tick), then every `tickMs`. */
  start(): void {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.options.tickMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.options.lease?.release().catch(() => undefined);
  }

  /** One turn: renew or take the lease, then run the duties that are due. */
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const { lease } = this.options;
      if (lease !== undefined && !(await lease.acquire().catch(() => false))) return;
      for (const duty of this.duties) {
        const now = this.options.clock.now();
        if (now - (this.lastRun.get(duty.name) ?? -Infinity) < duty.everyMs) continue;
        this.lastRun.set(duty.name, now);
        try {
          const done = await duty.run();
          if (Object.values(done).some((count) => count > 0)) this.options.logger.info({ duty: duty.name, ...done }, 'background duty done');
        } catch (error) {
          this.options.logger.warn({ duty: duty.name, reason: (error as Error).message }, 'background duty failed');
        }
      }
    } finally {
      this.running = false;
    }
  }
}
