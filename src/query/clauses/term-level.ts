/**
 * Term-level clauses: `term`, `terms`, `ids`, `prefix`, `wildcard`. None is analysed: on a `text`
 * field they compare against the analysed tokens, so `{"term":{"name":"Foo"}}` misses "Foo" (the
 * token is "foo") exactly as in OpenSearch. They score a constant 1 × boost.
 */
import { badValue, parsingException } from '../errors.js';
import { termTestNode, type TestFactory } from '../field-node.js';
import type { LeafType } from '../field-mapping.js';
import { wildcardRegExp } from '../glob.js';
import { childPath, expectMap, expectString, isJsonMap, tokenName } from '../json.js';
import {
  checkKeys,
  longForm,
  option,
  readBoost,
  readCaseInsensitive,
  readName,
  singleField,
} from '../parse-util.js';
import type { CompileEnv, QueryNode } from '../query-node.js';
import { queryTerm, type Term } from '../terms.js';

/** OpenSearch's `index.max_terms_count` default. */
const MAX_TERMS_COUNT = 65_536;

const lower = (term: Term): Term => (typeof term === 'string' ? term.toLowerCase() : term);

/** `{"term": {"f": v}}` or `{"term": {"f": {"value": v, "boost": b, "case_insensitive": c}}}`. */
export function compileTerm(body: unknown, env: CompileEnv, path: string): QueryNode {
  const entry = singleField('term', body, path);
  const { value, options, boost } = longForm('term', entry, 'value', ['case_insensitive']);
  const caseInsensitive = readCaseInsensitive(options, entry.path);
  const factory: TestFactory = (type) => {
    const wanted = queryTerm(type, value, { field: entry.field, now: env.now });
    if (caseInsensitive && typeof wanted === 'string') {
      const folded = wanted.toLowerCase();
      return (term) => lower(term) === folded;
    }
    return (term) => term === wanted;
  };
  return termTestNode(env.field(entry.field), factory, boost);
}

/** `{"terms": {"f": [v1, v2], "boost": b}}`; terms lookup (an object instead of the array) is not supported. */
export function compileTerms(body: unknown, env: CompileEnv, path: string): QueryNode {
  const map = expectMap(body, path);
  readName(map, path);
  const boost = readBoost(map, path);
  const fields = Object.keys(map).filter(
    (key) => key !== 'boost' && key !== '_name' && key !== 'value_type',
  );
  const [field, second] = fields;
  if (field === undefined) throw parsingException(`[terms] query requires a field at [${path}]`);
  if (second !== undefined) {
    throw parsingException(
      `[terms] query does not support multiple fields, found [${field}] and [${second}] at [${path}]`,
    );
  }
  const fieldPath = childPath(path, field);
  const values = map[field];
  if (isJsonMap(values))
    throw parsingException(`[terms] lookup is not supported by this service at [${fieldPath}]`);
  if (!Array.isArray(values)) {
    throw parsingException(
      `[terms] query requires an array of values, found [${tokenName(values)}] at [${fieldPath}]`,
    );
  }
  if (values.length > MAX_TERMS_COUNT) {
    throw badValue(
      `The number of terms [${values.length}] used in the Terms Query request has exceeded the allowed maximum of [${MAX_TERMS_COUNT}] at [${fieldPath}]`,
    );
  }
  const factory: TestFactory = (type: LeafType) => {
    const wanted = new Set(
      values.map((v, i) => queryTerm(type, v, { field: `${field}[${i}]`, now: env.now })),
    );
    return (term) => wanted.has(term);
  };
  return termTestNode(env.field(field), factory, boost);
}

/** `{"ids": {"values": ["a", "b"]}}`. */
export function compileIds(body: unknown, env: CompileEnv, path: string): QueryNode {
  const map = expectMap(body, path);
  checkKeys('ids', map, ['values', 'type'], path);
  readName(map, path);
  const raw = option(map, 'values') ?? [];
  if (!Array.isArray(raw))
    throw parsingException(
      `[ids] [values] must be an array, found [${tokenName(raw)}] at [${childPath(path, 'values')}]`,
    );
  const ids = new Set<Term>(
    raw.map((v, i) => {
      if (typeof v !== 'string' && typeof v !== 'number') {
        throw parsingException(
          `[ids] values must be strings, found [${tokenName(v)}] at [${childPath(path, 'values')}[${i}]]`,
        );
      }
      return String(v);
    }),
  );
  return termTestNode(env.field('_id'), () => (term) => ids.has(term), readBoost(map, path));
}

/** Prefix and wildcard only apply to string fields; OpenSearch words the refusal like this. */
function requireString(clause: string, field: string, type: LeafType): void {
  if (type !== 'keyword' && type !== 'text') {
    throw badValue(
      `Can only use ${clause} queries on keyword and text fields - not on [${field}] which is of type [${type}]`,
    );
  }
}

/** `{"prefix": {"f": "pre"}}` or the long form with `value`, `case_insensitive`, `rewrite`. */
export function compilePrefix(body: unknown, env: CompileEnv, path: string): QueryNode {
  const entry = singleField('prefix', body, path);
  const { value, options, boost } = longForm('prefix', entry, 'value', [
    'case_insensitive',
    'rewrite',
  ]);
  const prefix = expectString(value, entry.path);
  const caseInsensitive = readCaseInsensitive(options, entry.path);
  const wanted = caseInsensitive ? prefix.toLowerCase() : prefix;
  const factory: TestFactory = (type) => {
    requireString('prefix', entry.field, type);
    return (term) =>
      typeof term === 'string' && (caseInsensitive ? term.toLowerCase() : term).startsWith(wanted);
  };
  return termTestNode(env.field(entry.field), factory, boost);
}

/** `{"wildcard": {"f": "a*b?"}}` or the long form with `value` (or `wildcard`), `case_insensitive`. */
export function compileWildcard(body: unknown, env: CompileEnv, path: string): QueryNode {
  const entry = singleField('wildcard', body, path);
  const valueKey =
    isJsonMap(entry.value) && Object.hasOwn(entry.value, 'wildcard') ? 'wildcard' : 'value';
  const { value, options, boost } = longForm('wildcard', entry, valueKey, [
    'case_insensitive',
    'rewrite',
    'value',
    'wildcard',
  ]);
  const pattern = wildcardRegExp(
    expectString(value, entry.path),
    readCaseInsensitive(options, entry.path),
  );
  const factory: TestFactory = (type) => {
    requireString('wildcard', entry.field, type);
    return (term) => typeof term === 'string' && pattern.test(term);
  };
  return termTestNode(env.field(entry.field), factory, boost);
}
