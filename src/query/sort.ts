/**
 * `sort`: field names, `{"f": "asc"}`, `{"f": {"order", "missing", "mode", "unmapped_type"}}`,
 * `_score`, `_id`, `_doc`, and arrays of these. Sorting a `text` field is OpenSearch's fielddata
 * 400; ties fall back to record order, like Lucene's doc id. Sort values are reported raw, as
 * OpenSearch does: dates as epoch millis, booleans as 0/1, and a missing value as null.
 */
import { badValue, parsingException } from './errors.js';
import { leafTypeOf, type FieldMapping, type LeafType } from './field-mapping.js';
import { childPath, expectMap, expectString, isJsonMap, tokenName, type JsonMap } from './json.js';
import { fixedType } from './field-node.js';
import { checkKeys, option } from './parse-util.js';
import { resolveField, type ResolvedField } from './resolve-field.js';
import { queryTerm, type Term } from './terms.js';

const SORT_MODES = ['min', 'max', 'sum', 'avg', 'median'] as const;
/** How a multi-valued field collapses to one sort value. */
export type SortMode = (typeof SORT_MODES)[number];
const isSortMode = (value: string): value is SortMode =>
  (SORT_MODES as readonly string[]).includes(value);

/** One parsed sort key. */
export interface SortKey {
  readonly kind: 'score' | 'doc' | 'field';
  readonly name: string;
  readonly field: ResolvedField | null;
  readonly descending: boolean;
  /** `_first`, `_last`, or a custom value (already converted to the field's term type). */
  readonly missing: 'first' | 'last' | { readonly term: Term };
  readonly mode: SortMode | null;
  readonly unmappedType: LeafType | null;
}

/** OpenSearch's refusal to sort a text field (no fielddata). */
export const fielddataError = (field: string): Error =>
  badValue(
    `Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [${field}] in order to load field data by uninverting the inverted index. Note that this can use significant memory.`,
  );
/** OpenSearch's refusal to sort a field no document has mapped. */
export const noMapping = (field: string): Error =>
  badValue(`No mapping found for [${field}] in order to sort on`);

/** Refuses, at parse time, sorts the mapping alone shows OpenSearch would refuse. */
function checkSortable(key: SortKey): void {
  const { field } = key;
  if (field === null) return;
  if (field.kind === 'leaf' && field.nestedPath !== null) {
    throw badValue(
      `sorting on [${key.name}] inside nested object [${field.nestedPath}] is not supported by this service`,
    );
  }
  if (field.kind === 'leaf' && field.type === 'text') throw fielddataError(key.name);
  if (field.kind === 'leaf' && field.type === 'binary')
    throw badValue(`Can't sort on field [${key.name}] of type [binary]`);
  if (field.kind === 'flat' && field.key === null)
    throw badValue(`Can't sort on field [${key.name}] of type [flat_object]`);
  if ((field.kind === 'object' || field.kind === 'none') && key.unmappedType === null)
    throw noMapping(key.name);
}

function parseKey(name: string, spec: unknown, mapping: FieldMapping, now: number, path: string): SortKey {
  const kind = name === '_score' ? 'score' : name === '_doc' ? 'doc' : 'field';
  let options: JsonMap = {};
  if (typeof spec === 'string') options = { order: spec };
  else if (spec !== undefined) options = expectMap(spec, path);
  checkKeys(
    'sort',
    options,
    [
      'order',
      'missing',
      'mode',
      'unmapped_type',
      'numeric_type',
      'format',
      'nested',
      'nested_path',
      'nested_filter',
    ],
    path,
  );
  for (const key of ['nested', 'nested_path', 'nested_filter']) {
    if (Object.hasOwn(options, key))
      throw parsingException(
        `[sort] [${key}] is not supported by this service at [${childPath(path, key)}]`,
      );
  }
  const order = expectString(
    option(options, 'order') ?? (kind === 'score' ? 'desc' : 'asc'),
    childPath(path, 'order'),
  ).toLowerCase();
  if (order !== 'asc' && order !== 'desc')
    throw badValue(
      `[sort] order [${order}] is not valid, expected [asc] or [desc] at [${childPath(path, 'order')}]`,
    );
  const field = kind === 'field' ? resolveField(mapping, name) : null;
  const rawMode = option(options, 'mode');
  const modeName = rawMode === undefined ? null : expectString(rawMode, childPath(path, 'mode'));
  const mode = modeName === null ? null : isSortMode(modeName) ? modeName : null;
  if (modeName !== null && mode === null) {
    throw badValue(`[sort] unknown mode [${modeName}] at [${childPath(path, 'mode')}]`);
  }
  const rawUnmapped = option(options, 'unmapped_type');
  const unmappedType =
    rawUnmapped === undefined
      ? null
      : leafTypeOf(expectString(rawUnmapped, childPath(path, 'unmapped_type')));
  if (rawUnmapped !== undefined && unmappedType === null)
    throw badValue(`[sort] no mapper found for unmapped_type [${String(rawUnmapped)}]`);
  const rawMissing = option(options, 'missing');
  let missing: SortKey['missing'] = 'last';
  if (rawMissing === '_first') missing = 'first';
  else if (rawMissing !== undefined && rawMissing !== '_last') {
    const type =
      (field === null ? null : fixedType(field)) ??
      unmappedType ??
      (typeof rawMissing === 'number' ? 'double' : 'keyword');
    missing = { term: queryTerm(type, rawMissing, { field: name, now }) };
  }
  const key: SortKey = {
    kind,
    name,
    field,
    descending: order === 'desc',
    missing,
    mode,
    unmappedType,
  };
  checkSortable(key);
  return key;
}

/**
 * Parses the `sort` body key; null when it asks for plain relevance order (`_score` desc). `now` is
 * what date math in a `missing` value means (the search's injected time, as for its query).
 */
export function parseSort(raw: unknown, mapping: FieldMapping, now: number, path = 'sort'): SortKey[] | null {
  const list = Array.isArray(raw) ? raw : [raw];
  const keys: SortKey[] = [];
  list.forEach((item, i) => {
    const itemPath = Array.isArray(raw) ? childPath(path, i) : path;
    if (typeof item === 'string') keys.push(parseKey(item, undefined, mapping, now, itemPath));
    else if (isJsonMap(item))
      for (const [name, spec] of Object.entries(item))
        keys.push(parseKey(name, spec, mapping, now, childPath(itemPath, name)));
    else
      throw parsingException(
        `[sort] expected a string or an object, found [${tokenName(item)}] at [${itemPath}]`,
      );
  });
  const [first] = keys;
  if (keys.length === 1 && first?.kind === 'score' && first.descending) return null;
  return keys;
}

/** True when the sort needs scores computed. */
export const sortNeedsScores = (keys: readonly SortKey[]): boolean =>
  keys.some((k) => k.kind === 'score');
