/**
 * `search_after`: parsing the values (an array of scalars, as OpenSearch's `SearchAfterBuilder`
 * reads it), checking them against the sort on evaluation (`from` must be 0, a sort is needed,
 * one value per sort key) and converting each to the key's term type, with OpenSearch's
 * messages. A hit is kept when its sort values come strictly after the given ones.
 */
import { badValue, parsingException } from './errors.js';
import { fixedType } from './field-node.js';
import { tokenName } from './json.js';
import type { SortKey } from './sort.js';
import { queryTerm, type Term } from './terms.js';

/** A `search_after` value as given: JSON scalars. */
export type SearchAfterValue = string | number | boolean | null;

/** Parses the `search_after` body key. */
export function parseSearchAfter(raw: unknown): SearchAfterValue[] {
  if (!Array.isArray(raw)) {
    throw parsingException(
      `Expected [START_ARRAY] in [search_after] but found [${tokenName(raw)}] inside search_after`,
    );
  }
  const values = raw.map((value): SearchAfterValue => {
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value))
      return value as SearchAfterValue;
    throw parsingException(
      `Expected [VALUE_STRING] or [VALUE_NUMBER] or [VALUE_BOOLEAN] or [VALUE_NULL] but found [${tokenName(value)}] inside search_after.`,
    );
  });
  if (values.length === 0) throw badValue('Values must contains at least one value.');
  return values;
}

const unparsable = (key: SortKey): Error =>
  badValue(`Failed to parse search_after value for field [${key.name}].`);

function toNumber(key: SortKey, value: string | number | boolean): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  const blank = typeof value === 'string' && value.trim() === '';
  if (!Number.isFinite(n) || blank) throw unparsable(key);
  return n;
}

function convert(key: SortKey, value: SearchAfterValue): Term | null {
  if (value === null) return null;
  if (key.kind === 'score') return toNumber(key, value);
  if (key.kind === 'doc') return Math.trunc(toNumber(key, value));
  const type = (key.field === null ? null : fixedType(key.field)) ?? key.unmappedType;
  switch (type) {
    case null:
      // A dynamic field: the value keeps its JSON type (booleans index as 1/0).
      return typeof value === 'boolean' ? (value ? 1 : 0) : value;
    case 'long':
      return Math.trunc(toNumber(key, value));
    case 'double':
      return toNumber(key, value);
    case 'date':
    case 'boolean':
      return queryTerm(type, value, { field: key.name, now: Date.now() });
    default:
      return String(value);
  }
}

/**
 * The sort values hits must come after. Throws OpenSearch's 400s: `from` set, no sort (or only
 * `_score`), a value count that differs from the sort's, a value the key's type cannot take.
 */
export function searchAfterTerms(
  values: readonly SearchAfterValue[],
  sort: readonly SortKey[] | null,
  from: number,
): Array<Term | null> {
  if (from > 0) throw badValue('`from` parameter must be set to 0 when `search_after` is used.');
  if (sort === null || sort.length === 0) throw badValue('Sort must contain at least one field.');
  if (values.length !== sort.length) {
    throw badValue(
      `search_after has ${values.length} value(s) but sort has ${sort.length}.`,
    );
  }
  return sort.map((key, i) => convert(key, values[i] ?? null));
}
