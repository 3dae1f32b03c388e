import type { Clock } from '../../src/util/clock.js';

/** A clock that reads `now()` and never really sleeps (time only moves when the test moves it). */
export const clockReading = (now: () => number): Clock => ({ now, sleep: async () => undefined });
