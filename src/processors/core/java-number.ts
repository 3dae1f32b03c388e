/**
 * Java's number parsing as the `convert` processor relies on it: `Integer.parseInt` /
 * `Long.parseLong` (with `decode` for `0x` hex), `Double.parseDouble` and `Float.parseFloat`.
 * Each returns undefined where Java throws NumberFormatException.
 */
import { javaTrim } from './string-processor.js';

const INTEGER_RANGES = {
  32: { min: -(2n ** 31n), max: 2n ** 31n - 1n },
  64: { min: -(2n ** 63n), max: 2n ** 63n - 1n },
} as const;

/**
 * `Integer.parseInt` (bits 32) or `Long.parseLong` (bits 64); text starting with `0x` or `-0x`
 * goes through `decode`, as ConvertProcessor does. Longs beyond 2^53 lose precision in JS.
 */
export function parseJavaInteger(text: string, bits: 32 | 64): number | undefined {
  let digits: string;
  let radix: 10 | 16;
  let negative = false;
  if (text.startsWith('0x') || text.startsWith('-0x')) {
    negative = text.startsWith('-');
    digits = text.slice(negative ? 3 : 2);
    radix = 16;
    if (!/^[0-9a-fA-F]+$/.test(digits)) return undefined;
  } else {
    const match = /^([+-]?)([0-9]+)$/.exec(text);
    if (match === null) return undefined;
    negative = match[1] === '-';
    digits = match[2]!;
    radix = 10;
  }
  const magnitude = BigInt(radix === 16 ? `0x${digits}` : digits);
  const value = negative ? -magnitude : magnitude;
  const { min, max } = INTEGER_RANGES[bits];
  return value < min || value > max ? undefined : Number(value);
}

// FloatingDecimal.readJavaFormatString, after trim(): decimal with an optional f/F/d/D suffix,
// NaN, Infinity, or a hexadecimal significand with a binary exponent.
const DECIMAL = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?)$/;
const HEXADECIMAL = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)[fFdD]?$/;

/** `Double.parseDouble`. */
export function parseJavaDouble(text: string): number | undefined {
  const trimmed = javaTrim(text);
  if (DECIMAL.test(trimmed)) {
    if (trimmed.endsWith('NaN')) return Number.NaN;
    return Number(trimmed.replace(/[fFdD]$/, ''));
  }
  const hex = HEXADECIMAL.exec(trimmed);
  const whole = hex?.[2] ?? '';
  const fraction = hex?.[3] ?? '';
  if (hex === null || whole + fraction === '') return undefined;
  const significand = Number(BigInt(`0x${whole}${fraction}`));
  const value = significand * 2 ** (Number(hex[4]) - 4 * fraction.length);
  return hex[1] === '-' ? -value : value;
}

/**
 * `Float.parseFloat`, rounded to float precision and returned with the shortest decimal digits
 * that identify that float, so `"1.1"` stays `1.1` as Java's `Float.toString` prints it.
 */
export function parseJavaFloat(text: string): number | undefined {
  const double = parseJavaDouble(text);
  if (double === undefined) return undefined;
  const float = Math.fround(double);
  if (!Number.isFinite(float) || float === 0) return float;
  for (let precision = 1; precision <= 9; precision++) {
    const shortest = Number(float.toPrecision(precision));
    if (Math.fround(shortest) === float) return shortest;
  }
  return float;
}
