/**
 * Start steps that need the cluster are tried until they succeed: a replica that starts while the
 * cluster is unreachable waits for it (logging why, backing off from 1 s to 30 s) instead of
 * exiting, so an orchestrator's restart loop is not needed and a cluster restart does not cascade.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '../util/logger.js';

const FIRST_PAUSE_MS = 1_000;
const LONGEST_PAUSE_MS = 30_000;

export async function retryUntilDone<T>(
  what: string,
  step: () => Promise<T>,
  options: { logger: Logger; isFatal: (error: unknown) => boolean; onRetry?: (reason: string) => void; pause?: (ms: number) => Promise<unknown> },
): Promise<T> {
  const pause = options.pause ?? delay;
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (options.isFatal(error)) throw error;
      const reason = (error as { reason?: string }).reason ?? (error as Error).message;
      const waitMs = Math.min(LONGEST_PAUSE_MS, FIRST_PAUSE_MS * 2 ** (attempt - 1));
      options.logger.warn({ attempt, retry_in_ms: waitMs, reason }, `cannot ${what} yet; retrying`);
      options.onRetry?.(`cannot ${what} yet: ${reason}`);
      await pause(waitMs);
    }
  }
}
