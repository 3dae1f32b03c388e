import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import type { Store, WriteOperation } from '../../src/store/store.js';
import { UsageMeter } from '../../src/usage/usage-meter.js';
import { USAGE_COLLECTION } from '../../src/usage/usage-record.js';
import { systemClock } from '../../src/util/clock.js';
import { createLogger } from '../../src/util/logger.js';
import { LogCapture } from '../helpers/test-app.js';

const DAY = 86_400_000;
const JAN_1 = Date.UTC(2025, 0, 1, 12);

/** A store whose next `failures` writes fail as an unreachable cluster does. */
function flakyStore(failures: number): Store & { writes: WriteOperation[][] } {
  const store = new SqliteStore(':memory:');
  const writes: WriteOperation[][] = [];
  let left = failures;
  return Object.assign(Object.create(store) as Store, {
    writes,
    write: async (operations: readonly WriteOperation[]) => {
      writes.push([...operations]);
      if (left-- > 0) throw Object.assign(new Error('cluster unavailable'), { status: 503 });
      return store.write(operations);
    },
  });
}

/** Each document's day, model and counts, by day and model. */
const totals = async (store: Store) =>
  (await store.list(USAGE_COLLECTION))
    .map(({ source }) => [source['date'], source['model_id'], source['requests'], source['input_tokens'], source['output_tokens']])
    .sort((left, right) => `${left[0]}${left[1]}`.localeCompare(`${right[0]}${right[1]}`));

describe('UsageMeter', () => {
  it('should count successes and tokens per UTC day and model, and write on flush only', async () => {
    let now = JAN_1;
    const store = new SqliteStore(':memory:');
    const meter = new UsageMeter({ store, clock: { ...systemClock, now: () => now }, writer: 'w1' });
    meter.ended('m1', 5, false);
    meter.ended('m1', 5, true); // a failed predict is not billed
    meter.consumed('m1', { input: 10, output: 2 });
    now += DAY;
    meter.ended('m1', 5, false);
    meter.consumed('m2', { input: 3, output: 0 });
    expect(await store.list(USAGE_COLLECTION)).toEqual([]);
    await meter.flush();
    expect(await totals(store)).toEqual([
      ['2025-01-01', 'm1', 1, 10, 2],
      ['2025-01-02', 'm1', 1, 0, 0],
      ['2025-01-02', 'm2', 0, 3, 0],
    ]);
    meter.ended('m1', 5, false);
    await meter.flush();
    expect((await totals(store))[1]).toEqual(['2025-01-02', 'm1', 2, 0, 0]);
  });

  it('should keep the counts of a failed flush for the next one, and log it', async () => {
    const store = flakyStore(1);
    const logs = new LogCapture();
    const meter = new UsageMeter({ store, clock: { ...systemClock, now: () => JAN_1 }, writer: 'w1', logger: createLogger({ level: 'info', destination: logs }) });
    meter.consumed('m1', { input: 10, output: 1 });
    await meter.flush();
    expect(await totals(store)).toEqual([]);
    expect(JSON.parse(logs.lines[0]!)).toMatchObject({ level: 'warn', event: 'usage_flush_failed' });
    meter.consumed('m1', { input: 5, output: 0 });
    await meter.flush();
    expect(await totals(store)).toEqual([['2025-01-01', 'm1', 0, 15, 1]]);
  });

  it('should run one flush at a time and lose nothing counted meanwhile', async () => {
    const store = new SqliteStore(':memory:');
    const meter = new UsageMeter({ store, clock: { ...systemClock, now: () => JAN_1 }, writer: 'w1' });
    meter.consumed('m1', { input: 1, output: 0 });
    const first = meter.flush();
    meter.consumed('m1', { input: 2, output: 0 });
    await Promise.all([first, meter.flush(), meter.flush()]);
    expect(await totals(store)).toEqual([['2025-01-01', 'm1', 0, 3, 0]]);
  });

  it('should flush what is pending when closed', async () => {
    const store = new SqliteStore(':memory:');
    const meter = new UsageMeter({ store, clock: { ...systemClock, now: () => JAN_1 }, writer: 'w1' });
    meter.start(60_000);
    meter.consumed('m1', { input: 4, output: 4 });
    await meter.close();
    expect(await totals(store)).toEqual([['2025-01-01', 'm1', 0, 4, 4]]);
  });
});
