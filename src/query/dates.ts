/**
 * Date parsing for `date` fields (`strict_date_time||epoch_millis` in every ML index) and the
 * date math OpenSearch accepts in queries (`now-1d/d`, `2024-01-01||+1M`). Everything is UTC:
 * a `time_zone` other than UTC is rejected upstream rather than silently ignored.
 */

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;
const EPOCH = /^-?\d+(?:\.\d+)?$/;

/** Parses epoch millis (number or numeric string) or an ISO-8601 date/date-time; null if neither. */
export function parseDate(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (EPOCH.test(text)) return Number(text);
  const m = ISO.exec(text);
  if (m === null) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const fields = [y, mo, d, h, mi, s].map((part) => Number(part ?? 0));
  const [year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0] = fields;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59)
    return null;
  const millis = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  let time = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  if (new Date(time).getUTCDate() !== day) return null; // 2024-02-30 and the like
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offset = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0);
    time -= sign * offset * 60_000;
  }
  return time;
}

const UNIT = 'yMwdhHms';

/** Java's `plusMonths`: the day of month is clamped (Jan 31 + 1M = Feb 29), unlike `Date`'s overflow. */
function addMonths(time: number, months: number): number {
  const date = new Date(time);
  const target = date.getUTCMonth() + months;
  const year = date.getUTCFullYear() + Math.floor(target / 12);
  const month = ((target % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  date.setUTCFullYear(year, month, Math.min(date.getUTCDate(), lastDay));
  return date.getTime();
}

/** Adds `amount` of `unit` to `time` in UTC calendar arithmetic. */
function add(time: number, amount: number, unit: string): number {
  switch (unit) {
    case 'y':
      return addMonths(time, amount * 12);
    case 'M':
      return addMonths(time, amount);
    case 'w':
      return time + amount * 7 * 86_400_000;
    case 'd':
      return time + amount * 86_400_000;
    case 'h':
    case 'H':
      return time + amount * 3_600_000;
    case 'm':
      return time + amount * 60_000;
    default:
      return time + amount * 1000;
  }
}

/** How many leading date parts (year, month, day, hour, minute, second) each unit keeps. */
const KEEP_PARTS: Readonly<Record<string, number>> = {
  y: 1,
  M: 2,
  w: 3,
  d: 3,
  h: 4,
  H: 4,
  m: 5,
  s: 6,
};

/** Rounds down to the start of `unit` (weeks start on Monday, as in OpenSearch). */
function roundDown(time: number, unit: string): number {
  const d = new Date(time);
  const parts = [
    d.getUTCFullYear(),
    d.getUTCMonth(),
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
  ];
  const keep = KEEP_PARTS[unit] ?? 6;
  const [y = 0, mo = 0, day = 1, h = 0, mi = 0, s = 0] = parts.map((p, i) =>
    i < keep ? p : i === 2 ? 1 : 0,
  );
  const start = Date.UTC(y, mo, day, h, mi, s);
  return unit === 'w' ? start - ((new Date(start).getUTCDay() + 6) % 7) * 86_400_000 : start;
}

/**
 * Evaluates `now…` or `<date>||<math>`. `roundUp` makes `/unit` round to the last millisecond of
 * the unit, which OpenSearch does for `gt` and `lte` bounds. Returns null when unparseable.
 */
export function parseDateMath(value: unknown, now: number, roundUp: boolean): number | null {
  if (typeof value !== 'string') return parseDate(value);
  let base: number | null;
  let math: string;
  if (value.startsWith('now')) {
    base = now;
    math = value.slice(3);
  } else {
    const split = value.indexOf('||');
    if (split < 0) return parseDate(value);
    base = parseDate(value.slice(0, split));
    math = value.slice(split + 2);
  }
  if (base === null) return null;
  let time = base;
  let rest = math;
  while (rest !== '') {
    const step = /^([+-])(\d*)([yMwdhHms])/.exec(rest);
    if (step !== null) {
      const [all, sign, count, unit = 's'] = step;
      time = add(time, (sign === '-' ? -1 : 1) * Number(count === '' ? 1 : count), unit);
      rest = rest.slice(all.length);
      continue;
    }
    const round = /^\/([yMwdhHms])/.exec(rest);
    if (round === null || !UNIT.includes(round[1] ?? '')) return null;
    const unit = round[1] ?? 's';
    time = roundDown(time, unit);
    if (roundUp) time = add(time, 1, unit) - 1;
    rest = rest.slice(round[0].length);
  }
  return time;
}
