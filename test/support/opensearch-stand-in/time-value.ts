/**
 * OpenSearch's time values (`TimeValue.parseTimeValue`): a number and a unit (`nanos`, `micros`,
 * `ms`, `s`, `m`, `h`, `d`), `-1` or `0` without one; anything else is its `parse_exception`.
 */
import { OpenSearchFailure } from './responses.js';

const UNIT_MILLIS: ReadonlyArray<readonly [string, number]> = [
  ['nanos', 1e-6],
  ['micros', 1e-3],
  ['ms', 1],
  ['s', 1_000],
  ['m', 60_000],
  ['h', 3_600_000],
  ['d', 86_400_000],
];

/** Milliseconds of a time value named `setting` (quoted in the error). */
export function parseTimeValue(raw: string, setting: string): number {
  const value = raw.trim().toLowerCase();
  if (value === '-1' || value === '0') return Number(value);
  for (const [unit, millis] of UNIT_MILLIS) {
    if (!value.endsWith(unit)) continue;
    const number = value.slice(0, -unit.length).trim();
    if (/^\d+(\.\d+)?$/.test(number)) return Math.round(Number(number) * millis);
    throw failure(raw, setting, 'failed to parse');
  }
  throw failure(raw, setting, 'unit is missing or unrecognized');
}

const failure = (raw: string, setting: string, why: string): OpenSearchFailure =>
  new OpenSearchFailure(400, {
    type: 'parse_exception',
    reason: `failed to parse setting [${setting}] with value [${raw}] as a time value: ${why}`,
  });
