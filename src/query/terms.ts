/**
 * Converts stored values and query values into comparable index terms per field type, the way
 * OpenSearch's field mappers do: keywords are exact strings, numbers are coerced (long truncates),
 * dates become epoch millis, booleans become 0/1 (Lucene's doc-value encoding, which is also what
 * OpenSearch returns as a boolean sort value).
 */
import { DYNAMIC_KEYWORD_IGNORE_ABOVE, type LeafType } from './field-mapping.js';
import { badValue, wrongType } from './errors.js';
import { parseDate, parseDateMath } from './dates.js';
import { tokenName } from './json.js';

/** An indexed term: strings for text tokens and keywords, numbers for numeric/date/boolean. */
export type Term = string | number;

/** Maps UTF-16 code units so that comparing them orders strings by code point (= UTF-8 bytes). */
const codePointRank = (unit: number): number =>
  unit >= 0xd800 ? (unit < 0xe000 ? unit + 0x2000 : unit - 0x800) : unit;

/** Lucene's term order: strings by UTF-8 bytes, numbers numerically. */
export function compareTerms(a: Term, b: Term): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const diff = codePointRank(x.charCodeAt(i)) - codePointRank(y.charCodeAt(i));
    if (diff !== 0) return diff;
  }
  return x.length - y.length;
}

const toNumber = (value: unknown): number | null => {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
};

const toBoolean = (value: unknown): number | null => {
  if (value === true || value === 'true') return 1;
  if (value === false || value === 'false' || value === '') return 0;
  return null;
};

/** The terms one stored scalar contributes to a non-text field (empty if it would not index). */
export function storedTerm(type: LeafType, value: unknown, ignoreAbove?: number): Term | null {
  switch (type) {
    case 'keyword':
    case 'text': {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
        return null;
      const text = String(value);
      return ignoreAbove !== undefined && text.length > ignoreAbove ? null : text;
    }
    case 'long': {
      const n = toNumber(value);
      return n === null ? null : Math.trunc(n);
    }
    case 'double':
      return toNumber(value);
    case 'date':
      return parseDate(value);
    case 'boolean':
      return toBoolean(value);
    default:
      return null;
  }
}

/** The dynamic type OpenSearch would give a JSON scalar (strings get a `.keyword` too). */
export function dynamicTypeOf(value: unknown): LeafType | null {
  if (typeof value === 'string') return 'text';
  if (typeof value === 'number') return Number.isInteger(value) ? 'long' : 'double';
  if (typeof value === 'boolean') return 'boolean';
  return null;
}

/** Dynamic mapping's `ignore_above` for the keyword sub-field of strings. */
export const dynamicIgnoreAbove = DYNAMIC_KEYWORD_IGNORE_ABOVE;

/** Options for turning a query value into a term. */
export interface QueryTermOptions {
  readonly field: string;
  readonly now: number;
  /** For range bounds: `/unit` rounding goes to the unit's end. */
  readonly roundUp?: boolean;
}

/** Converts a query value into a term for `type`, throwing OpenSearch's 400 when it cannot. */
export function queryTerm(type: LeafType, value: unknown, options: QueryTermOptions): Term {
  if (value === null || typeof value === 'object') {
    throw wrongType(`[${options.field}] expected a scalar value but found [${tokenName(value)}]`);
  }
  switch (type) {
    case 'keyword':
    case 'text':
      return String(value);
    case 'long':
    case 'double': {
      const n = toNumber(value);
      if (n === null)
        throw badValue(
          `failed to create query: For input string: "${String(value)}" on field [${options.field}]`,
        );
      return n;
    }
    case 'date': {
      const time = parseDateMath(value, options.now, options.roundUp ?? false);
      if (time === null) {
        throw badValue(
          `failed to parse date field [${String(value)}] with format [strict_date_optional_time||epoch_millis] on field [${options.field}]`,
        );
      }
      return time;
    }
    case 'boolean': {
      const b = toBoolean(value);
      if (b === null)
        throw badValue(
          `Can't parse boolean value [${String(value)}], expected [true] or [false] on field [${options.field}]`,
        );
      return b;
    }
    default:
      throw badValue(`Binary fields do not support searching: [${options.field}]`);
  }
}
