import { setTimeout as delay } from 'node:timers/promises';

const ATTEMPTS = 30;
const MAX_PAUSE_MS = 50;

/**
 * Runs a read-modify-write that may lose a race (a write condition's 409 `version_conflict_engine_exception`) again, after a short
 * random pause, until it wins or `attempts` are spent; then the 409 stands. Twenty replicas
 * registering into one model group at once all get their version this way.
 */
export async function withRetryOnConflict<T>(operation: () => Promise<T>, attempts = ATTEMPTS): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      const lostRace = (error as { type?: unknown }).type === 'version_conflict_engine_exception';
      if (!lostRace || attempt >= attempts) throw error;
      // Random pauses spread racing writers apart, so each round has a winner.
      await delay(Math.random() * Math.min(MAX_PAUSE_MS, 2 * attempt));
    }
  }
}
