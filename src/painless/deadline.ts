/**
 * The wall-clock limit of the run in progress. Long single operations (printing or comparing a
 * huge structure) have no statements to count, so they check this clock themselves. JS is
 * single-threaded and runs do not interleave, so one module-level slot suffices; nested runs
 * (a builtin executing another script) save and restore it.
 */
import { limitReached } from './errors.js';

let activeDeadline = Number.POSITIVE_INFINITY;
let activeTimeoutMs = 0;

/** Runs `operation` with a deadline `timeoutMs` from now. */
export function withDeadline<T>(timeoutMs: number, operation: () => T): T {
  const saved = { deadline: activeDeadline, timeoutMs: activeTimeoutMs };
  activeDeadline = Math.min(saved.deadline, performance.now() + timeoutMs);
  activeTimeoutMs = activeDeadline === saved.deadline ? saved.timeoutMs : timeoutMs;
  try {
    return operation();
  } finally {
    activeDeadline = saved.deadline;
    activeTimeoutMs = saved.timeoutMs;
  }
}

/** Fails once the current run's time is up. Callers check every few thousand units of work. */
export function checkDeadline(): void {
  if (performance.now() > activeDeadline) {
    throw limitReached(`The maximum execution time of ${activeTimeoutMs} ms has been reached.`);
  }
}
