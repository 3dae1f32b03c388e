/**
 * `range` over numbers, dates (epoch millis, ISO-8601, date math), strings (keyword values, text
 * tokens; compared by code point like Lucene's byte order) and booleans. Constant score.
 */
import { badValue, parsingException } from '../errors.js';
import { termTestNode, type TestFactory } from '../field-node.js';
import { childPath, expectBoolean, expectMap, expectString, type JsonMap } from '../json.js';
import { checkKeys, option, readBoost, readName, singleField } from '../parse-util.js';
import type { CompileEnv, QueryNode } from '../query-node.js';
import { compareTerms, queryTerm, type Term } from '../terms.js';

const RANGE_KEYS = [
  'gt',
  'gte',
  'lt',
  'lte',
  'from',
  'to',
  'include_lower',
  'include_upper',
  'format',
  'time_zone',
  'relation',
];
/** Date formats whose inputs our parser reads the same way OpenSearch would. */
const FORMATS = new Set([
  'epoch_millis',
  'strict_date_optional_time',
  'date_optional_time',
  'strict_date_time',
  'date_time',
  'strict_date',
  'date',
  'yyyy-MM-dd',
]);
const UTC_ZONES = new Set(['Z', 'UTC', 'GMT', 'Etc/UTC', '+00:00', '-00:00', '+0000', '00:00']);

interface Bound {
  readonly value: unknown;
  readonly inclusive: boolean;
  /** Date math rounds up for `gt` and `lte`, down for `gte` and `lt`. */
  readonly roundUp: boolean;
}

/** Reads the lower and upper bound, accepting the legacy `from`/`to`/`include_*` spelling. */
function readBounds(options: JsonMap, path: string): { lower: Bound | null; upper: Bound | null } {
  const flag = (key: string) => {
    const raw = option(options, key);
    return raw === undefined ? true : expectBoolean(raw, childPath(path, key));
  };
  const pick = (
    strict: string,
    inclusive: string,
    legacy: string,
    legacyInclusive: boolean,
    up: boolean,
  ): Bound | null => {
    for (const [key, incl, roundUp] of [
      [strict, false, up],
      [inclusive, true, !up],
      [legacy, legacyInclusive, legacyInclusive ? !up : up],
    ] as const) {
      const value = option(options, key);
      if (value !== undefined && value !== null) return { value, inclusive: incl, roundUp };
    }
    return null;
  };
  return {
    lower: pick('gt', 'gte', 'from', flag('include_lower'), true),
    upper: pick('lt', 'lte', 'to', flag('include_upper'), false),
  };
}

/** `{"range": {"f": {"gte": a, "lt": b, "format": ..., "time_zone": "UTC"}}}`. */
export function compileRange(body: unknown, env: CompileEnv, path: string): QueryNode {
  const entry = singleField('range', body, path);
  const options = expectMap(entry.value, entry.path);
  checkKeys('range', options, RANGE_KEYS, entry.path);
  readName(options, entry.path);
  const boost = readBoost(options, entry.path);
  const format = option(options, 'format');
  if (format !== undefined) {
    for (const part of expectString(format, childPath(entry.path, 'format')).split('||')) {
      if (!FORMATS.has(part))
        throw badValue(
          `[range] format [${part}] is not supported by this service at [${childPath(entry.path, 'format')}]`,
        );
    }
  }
  const zone = option(options, 'time_zone');
  if (
    zone !== undefined &&
    !UTC_ZONES.has(expectString(zone, childPath(entry.path, 'time_zone')))
  ) {
    throw badValue(
      `[range] time_zone [${String(zone)}] is not supported by this service (UTC only) at [${childPath(entry.path, 'time_zone')}]`,
    );
  }
  const relation = option(options, 'relation');
  if (
    relation !== undefined &&
    expectString(relation, childPath(entry.path, 'relation')).toUpperCase() !== 'INTERSECTS'
  ) {
    throw parsingException(
      `[range] relation [${String(relation)}] only applies to range fields, which this service does not have, at [${entry.path}]`,
    );
  }
  const { lower, upper } = readBounds(options, entry.path);
  const field = env.field(entry.field);
  if (field.kind === 'meta' && field.meta !== '_seq_no')
    throw badValue(
      `Field [${entry.field}] of type [${entry.field}] does not support range queries`,
    );
  const factory: TestFactory = (type) => {
    const convert = (bound: Bound | null): Term | null =>
      bound === null
        ? null
        : queryTerm(type, bound.value, {
            field: entry.field,
            now: env.now,
            roundUp: bound.roundUp,
          });
    const low = convert(lower);
    const high = convert(upper);
    return (term) => {
      if (low !== null) {
        const c = compareTerms(term, low);
        if (c < 0 || (c === 0 && lower?.inclusive !== true)) return false;
      }
      if (high !== null) {
        const c = compareTerms(term, high);
        if (c > 0 || (c === 0 && upper?.inclusive !== true)) return false;
      }
      return true;
    };
  };
  return termTestNode(field, factory, boost);
}
