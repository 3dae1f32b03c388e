/**
 * `minimum_should_match`, as OpenSearch's `Queries.calculateMinShouldMatch` reads it: an integer
 * (negative = "all but n"), a percentage (negative = "all but n%", rounded down), or the
 * conditional form `"3<90%"` / `"2<-25% 9<-3"` (apply the spec when there are more clauses than
 * the number before `<`).
 */
import { badValue } from './errors.js';

const SIMPLE = /^-?\d+%?$/;
const CONDITIONAL = /^(\d+)<(-?\d+%?)$/;

/** Validates a spec at compile time so a typo is a 400, not a silent match-all. */
export function parseMinimumShouldMatch(raw: unknown, path: string): string {
  const spec = typeof raw === 'number' && Number.isInteger(raw) ? String(raw) : raw;
  if (typeof spec !== 'string')
    throw badValue(`[minimum_should_match] must be an integer or a string at [${path}]`);
  const parts = spec.trim().split(/\s+/);
  const valid =
    parts.length === 1 && SIMPLE.test(parts[0] ?? '')
      ? true
      : parts.every((p) => CONDITIONAL.test(p));
  if (!valid) throw badValue(`[minimum_should_match] cannot parse [${spec}] at [${path}]`);
  return spec.trim();
}

function applySimple(count: number, spec: string): number {
  if (spec.endsWith('%')) {
    const calc = Math.fround((count * Number(spec.slice(0, -1))) / 100);
    return calc < 0 ? count + Math.trunc(calc) : Math.trunc(calc);
  }
  const calc = Number(spec);
  return calc < 0 ? count + calc : calc;
}

/** How many of `count` optional clauses must match under `spec` (never negative). */
export function minimumShouldMatch(count: number, spec: string): number {
  let result = count;
  if (spec.includes('<')) {
    for (const part of spec.split(/\s+/)) {
      const [, upTo = '0', inner = '0'] = CONDITIONAL.exec(part) ?? [];
      if (count > Number(upTo)) result = applySimple(count, inner);
    }
  } else {
    result = applySimple(count, spec);
  }
  return Math.max(0, result);
}
