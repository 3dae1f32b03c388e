import { cloneJson, isJsonObject } from '../../util/json.js';
import { readPath, type PathLookup } from './json-path.js';
import { childClauseSlots, clauseAt, replaceClause } from './query-tree.js';

type JsonObject = Record<string, unknown>;
type Normaliser = (inner: JsonObject) => JsonObject | undefined;

/**
 * The search body as OpenSearch re-serialises it (`SearchSourceBuilder.toString()`), which is what
 * ML Commons and neural-search evaluate request paths against: `query` and `post_filter` in their
 * printed long forms, everything else as sent. Clause types it does not know are kept as they are.
 */
export function normaliseSearchBody(body: Readonly<JsonObject>): JsonObject {
  const copy = cloneJson(body) as JsonObject;
  for (const key of ['query', 'post_filter']) {
    if (isJsonObject(copy[key])) copy[key] = normaliseOwned(copy[key]);
  }
  return copy;
}

/**
 * One query clause in its printed long form: `{"term":{"f":"x"}}` becomes
 * `{"term":{"f":{"value":"x","boost":1.0}}}`, `match` gains its defaults (`operator: "OR"`, ...),
 * `bool` clauses become lists. A malformed clause is returned unchanged: OpenSearch rejects it.
 */
export function normaliseQuery(clause: Readonly<JsonObject>): JsonObject {
  return normaliseOwned(cloneJson(clause) as JsonObject);
}

// Normalises a clause the caller owns: child lists are rewritten in place.
function normaliseOwned(clause: JsonObject): JsonObject {
  const entries = Object.entries(clause);
  if (entries.length !== 1) return clause;
  const [type, inner] = entries[0] as [string, unknown];
  if (!isJsonObject(inner)) return clause;
  const normalised = NORMALISERS[type]?.(inner) ?? inner;
  for (const slot of childClauseSlots(type, normalised)) {
    const child = clauseAt(slot);
    if (isJsonObject(child)) replaceClause(slot, normaliseOwned(child));
  }
  return { [type]: normalised };
}

/**
 * Reads a request path against the normalised body, falling back to the body as sent, so paths
 * written for the short forms work too. Where the long form wraps a scalar the user sent
 * (`query.term.f` is `"x"` as sent, `{"value": "x", ...}` normalised), the scalar is what the path means.
 */
export function readRequestPath(normalised: unknown, original: unknown, path: string): PathLookup {
  const long = readPath(normalised, path);
  const sent = readPath(original, path);
  if (long.found && sent.found && typeof long.value === 'object' && typeof sent.value !== 'object') return sent;
  return long.found ? long : sent;
}

const boostAndName = (inner: JsonObject): JsonObject => ({
  boost: inner['boost'] ?? 1,
  ...(inner['_name'] === undefined ? {} : { _name: inner['_name'] }),
});

/** Only the listed keys (plus `boost` and `_name`) are allowed; anything else is left for OpenSearch to reject. */
const onlyKeys = (inner: JsonObject, allowed: readonly string[]): boolean =>
  Object.keys(inner).every((key) => key === 'boost' || key === '_name' || allowed.includes(key));

const defined = (entries: Record<string, unknown>): JsonObject =>
  Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined));

/** `{"<field>": value}` or `{"<field>": {...}}`: the single-field shape of term-level and full-text queries. */
function singleField(expand: (value: unknown) => JsonObject | undefined): Normaliser {
  return (inner) => {
    const entries = Object.entries(inner);
    if (entries.length !== 1) return undefined;
    const [field, value] = entries[0] as [string, unknown];
    const expanded = expand(value);
    return expanded === undefined ? undefined : { [field]: expanded };
  };
}

/** `term` and `prefix`: `{value, case_insensitive?, rewrite?, boost}`. */
const valueQuery = (extra: readonly string[]): Normaliser =>
  singleField((value) => {
    if (!isJsonObject(value)) return { value, boost: 1 };
    if (value['value'] === undefined || !onlyKeys(value, ['value', ...extra])) return undefined;
    return defined({ value: value['value'], ...Object.fromEntries(extra.map((key) => [key, value[key]])), ...boostAndName(value) });
  });

const upper = (value: unknown, fallback: string): unknown => (typeof value === 'string' ? value.toUpperCase() : (value ?? fallback));
const asText = (value: unknown): unknown => (value === undefined || value === null ? undefined : String(value));

const MATCH_KEYS = [
  'query', 'operator', 'analyzer', 'fuzziness', 'prefix_length', 'max_expansions', 'minimum_should_match', 'fuzzy_rewrite',
  'fuzzy_transpositions', 'lenient', 'zero_terms_query', 'cutoff_frequency', 'auto_generate_synonyms_phrase_query',
];

// MatchQueryBuilder.doXContent's order and defaults.
const match: Normaliser = singleField((value) => {
  const options = isJsonObject(value) ? value : { query: value };
  if (options['query'] === undefined || !onlyKeys(options, MATCH_KEYS)) return undefined;
  const fuzziness = options['fuzziness'];
  return defined({
    query: options['query'],
    operator: upper(options['operator'], 'OR'),
    analyzer: options['analyzer'],
    fuzziness: typeof fuzziness === 'string' && fuzziness.toLowerCase() === 'auto' ? 'AUTO' : asText(fuzziness),
    prefix_length: options['prefix_length'] ?? 0,
    max_expansions: options['max_expansions'] ?? 50,
    minimum_should_match: asText(options['minimum_should_match']),
    fuzzy_rewrite: options['fuzzy_rewrite'],
    fuzzy_transpositions: options['fuzzy_transpositions'] ?? true,
    lenient: options['lenient'] ?? false,
    zero_terms_query: upper(options['zero_terms_query'], 'NONE'),
    cutoff_frequency: options['cutoff_frequency'],
    auto_generate_synonyms_phrase_query: options['auto_generate_synonyms_phrase_query'] ?? true,
    ...boostAndName(options),
  });
});

const matchPhrase: Normaliser = singleField((value) => {
  const options = isJsonObject(value) ? value : { query: value };
  if (options['query'] === undefined || !onlyKeys(options, ['query', 'analyzer', 'slop', 'zero_terms_query'])) return undefined;
  return defined({
    query: options['query'],
    analyzer: options['analyzer'],
    slop: options['slop'] ?? 0,
    zero_terms_query: upper(options['zero_terms_query'], 'NONE'),
    ...boostAndName(options),
  });
});

const wildcard: Normaliser = singleField((value) => {
  if (!isJsonObject(value)) return { wildcard: value, boost: 1 };
  const pattern = value['wildcard'] ?? value['value'];
  if (pattern === undefined || !onlyKeys(value, ['wildcard', 'value', 'rewrite', 'case_insensitive'])) return undefined;
  return defined({ wildcard: pattern, rewrite: value['rewrite'], case_insensitive: value['case_insensitive'], ...boostAndName(value) });
});

// RangeQueryBuilder prints gt/gte/lt/lte as from/to with include_lower/include_upper.
const range: Normaliser = singleField((value) => {
  const allowed = ['from', 'to', 'gt', 'gte', 'lt', 'lte', 'include_lower', 'include_upper', 'format', 'time_zone', 'relation'];
  if (!isJsonObject(value) || !onlyKeys(value, allowed)) return undefined;
  let from = value['from'] ?? null;
  let to = value['to'] ?? null;
  let includeLower = value['include_lower'] ?? true;
  let includeUpper = value['include_upper'] ?? true;
  if (value['gt'] !== undefined) [from, includeLower] = [value['gt'], false];
  if (value['gte'] !== undefined) [from, includeLower] = [value['gte'], true];
  if (value['lt'] !== undefined) [to, includeUpper] = [value['lt'], false];
  if (value['lte'] !== undefined) [to, includeUpper] = [value['lte'], true];
  return defined({
    from, to, include_lower: includeLower, include_upper: includeUpper,
    time_zone: value['time_zone'], format: value['format'], relation: value['relation'],
    ...boostAndName(value),
  });
});

const terms: Normaliser = (inner) => {
  const fields = Object.keys(inner).filter((key) => key !== 'boost' && key !== '_name');
  const field = fields[0];
  if (fields.length !== 1 || field === undefined || !Array.isArray(inner[field])) return undefined;
  return { [field]: inner[field], ...boostAndName(inner) };
};

const bool: Normaliser = (inner) => {
  const occurrences = ['must', 'filter', 'must_not', 'should'];
  if (!onlyKeys(inner, [...occurrences, 'adjust_pure_negative', 'minimum_should_match'])) return undefined;
  const clauses: JsonObject = {};
  for (const occurrence of occurrences) {
    const value = inner[occurrence];
    const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
    if (list.length > 0) clauses[occurrence] = list;
  }
  return defined({
    ...clauses,
    adjust_pure_negative: inner['adjust_pure_negative'] ?? true,
    minimum_should_match: asText(inner['minimum_should_match']),
    ...boostAndName(inner),
  });
};

const withDefaults =
  (allowed: readonly string[], defaults: JsonObject): Normaliser =>
  (inner) =>
    onlyKeys(inner, allowed) ? { ...defaults, ...inner, ...boostAndName(inner) } : undefined;

// NeuralQueryBuilder prints k = 10 when none of k, min_score and max_distance is given.
const neural: Normaliser = singleField((value) => {
  if (!isJsonObject(value)) return undefined;
  const hasRadius = ['k', 'min_score', 'max_distance'].some((key) => value[key] !== undefined);
  return { ...value, ...(hasRadius ? {} : { k: 10 }), ...boostAndName(value) };
});

const NORMALISERS: Readonly<Record<string, Normaliser>> = {
  term: valueQuery(['case_insensitive']),
  prefix: valueQuery(['rewrite', 'case_insensitive']),
  match,
  match_phrase: matchPhrase,
  wildcard,
  range,
  terms,
  bool,
  match_all: withDefaults([], {}),
  match_none: withDefaults([], {}),
  exists: withDefaults(['field'], {}),
  constant_score: withDefaults(['filter'], {}),
  dis_max: withDefaults(['queries', 'tie_breaker'], { tie_breaker: 0 }),
  nested: withDefaults(['query', 'path', 'ignore_unmapped', 'score_mode', 'inner_hits'], { ignore_unmapped: false, score_mode: 'avg' }),
  neural,
};
