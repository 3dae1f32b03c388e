/**
 * OpenSearch's time values (`TimeValue.parseTimeValue`): a number and a unit (`nanos`, `micros`,
 * `ms`, `s`, `m`, `h`, `d`), or `-1` / `0` alone. Callers word the refusal (it names the setting).
 */
const UNIT_MILLIS: ReadonlyArray<readonly [string, number]> = [
  ['nanos', 1e-6],
  ['micros', 1e-3],
  ['ms', 1],
  ['s', 1_000],
  ['m', 60_000],
  ['h', 3_600_000],
  ['d', 86_400_000],
];

/** The milliseconds a time value means, or undefined when it is not one. */
export function timeValueMillis(raw: string): number | undefined {
  const value = raw.trim().toLowerCase();
  if (value === '-1' || value === '0') return Number(value);
  const unit = UNIT_MILLIS.find(([name]) => value.endsWith(name));
  if (unit === undefined) return undefined;
  const number = value.slice(0, -unit[0].length).trim();
  return /^\d+(\.\d+)?$/.test(number) ? Math.round(Number(number) * unit[1]) : undefined;
}
