/**
 * `_source` filtering (`false`, `"pattern"`, `["a", "b.*"]`, `{includes, excludes}`) and the
 * service's always-hidden paths (credentials). Patterns use `*` (which may cross dots); a pattern
 * that matches an object includes or excludes the whole object, and a path also counts as matched
 * when a dotted prefix of it is (`{"connector": {"credential.key": ...}}` is hidden by
 * `connector.credential`). Objects are rebuilt with `Object.fromEntries`, so no source key can
 * reach a prototype.
 */
import { parsingException } from './errors.js';
import { GlobMatcher } from './glob.js';
import { childPath, expectString, isJsonMap, tokenName, type JsonMap } from './json.js';

/** What a search asked to return of each document's source. */
export type SourceFilter =
  | { readonly fetch: false }
  | {
      readonly fetch: true;
      readonly includes: readonly GlobMatcher[];
      readonly excludes: readonly GlobMatcher[];
    };

/** The default: the whole source. */
export const FETCH_ALL: SourceFilter = { fetch: true, includes: [], excludes: [] };

const patterns = (raw: unknown, path: string): GlobMatcher[] => {
  const list = typeof raw === 'string' ? [raw] : raw;
  if (!Array.isArray(list))
    throw parsingException(
      `[_source] expected a string or an array of strings, found [${tokenName(raw)}] at [${path}]`,
    );
  return list.map((p, i) => new GlobMatcher(expectString(p, childPath(path, i))));
};

/** Parses the `_source` body key. */
export function parseSourceFilter(raw: unknown, path = '_source'): SourceFilter {
  if (raw === undefined || raw === true) return FETCH_ALL;
  if (raw === false) return { fetch: false };
  if (typeof raw === 'string' || Array.isArray(raw))
    return { fetch: true, includes: patterns(raw, path), excludes: [] };
  if (!isJsonMap(raw))
    throw parsingException(
      `[_source] expected a boolean, string, array or object, found [${tokenName(raw)}] at [${path}]`,
    );
  let includes: GlobMatcher[] = [];
  let excludes: GlobMatcher[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'includes' || key === 'include') includes = patterns(value, childPath(path, key));
    else if (key === 'excludes' || key === 'exclude')
      excludes = patterns(value, childPath(path, key));
    else
      throw parsingException(
        `Expected one of [includes, excludes] but found [${key}] at [${path}]`,
      );
  }
  return { fetch: true, includes, excludes };
}

/** True when a matcher matches `path` or one of its dot-boundary prefixes. */
function matchesWithin(matchers: readonly GlobMatcher[], path: string): boolean {
  if (matchers.length === 0) return false;
  for (let i = path.indexOf('.'); i >= 0; i = path.indexOf('.', i + 1)) {
    const prefix = path.slice(0, i);
    if (matchers.some((m) => m.matches(prefix))) return true;
  }
  return matchers.some((m) => m.matches(path));
}

/** Filters one value found at `path`; `includes` null means "already included". */
function filterValue(
  value: unknown,
  path: string,
  includes: readonly GlobMatcher[] | null,
  excludes: readonly GlobMatcher[],
): unknown {
  if (isJsonMap(value)) return filterMap(value, path, includes, excludes);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const element of value) {
      if (isJsonMap(element) || Array.isArray(element)) {
        const filtered = filterValue(element, path, includes, excludes);
        const empty = isJsonMap(filtered)
          ? Object.keys(filtered).length === 0
          : Array.isArray(filtered) && filtered.length === 0;
        if (includes === null || !empty) out.push(filtered);
      } else if (includes === null) {
        out.push(element);
      }
    }
    return out;
  }
  return value;
}

function filterMap(
  map: JsonMap,
  prefix: string,
  includes: readonly GlobMatcher[] | null,
  excludes: readonly GlobMatcher[],
): JsonMap {
  const entries: Array<[string, unknown]> = [];
  for (const [key, value] of Object.entries(map)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (matchesWithin(excludes, path)) continue;
    if (includes === null || matchesWithin(includes, path)) {
      entries.push([key, filterValue(value, path, null, excludes)]);
      continue;
    }
    if (!includes.some((m) => m.canExtend(`${path}.`))) continue;
    const filtered = filterValue(value, path, includes, excludes);
    if (isJsonMap(filtered) && Object.keys(filtered).length > 0) entries.push([key, filtered]);
    if (Array.isArray(filtered) && filtered.length > 0) entries.push([key, filtered]);
  }
  return Object.fromEntries(entries);
}

/** Applies a parsed `_source` filter; returns undefined when `_source` is not to be returned. */
export function applySourceFilter(source: JsonMap, filter: SourceFilter): JsonMap | undefined {
  if (!filter.fetch) return undefined;
  if (filter.includes.length === 0 && filter.excludes.length === 0) return source;
  return filterMap(
    source,
    '',
    filter.includes.length === 0 ? null : filter.includes,
    filter.excludes,
  );
}

/** Removes every path matching one of `hidden` (e.g. `credential`, `connector.credential`). */
export function removePaths(source: JsonMap, hidden: readonly GlobMatcher[]): JsonMap {
  return hidden.length === 0 ? source : filterMap(source, '', null, hidden);
}
