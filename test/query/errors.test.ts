/** Bad search bodies: each is a 400 of the expected type whose reason names the problem. */
import { describe, expect, it } from 'vitest';
import { isOpenSearchError } from '../../src/errors/opensearch-error.js';
import { ML_MODEL_MAPPING, search, validateSearchBody } from '../../src/query/index.js';
import { MODELS } from './fixtures.js';

const PARSING = 'parsing_exception';
const ILLEGAL = 'illegal_argument_exception';
const XCONTENT = 'x_content_parse_exception';

let deep: unknown = { match_all: {} };
for (let i = 0; i < 40; i++) deep = { bool: { must: [deep] } };

const BAD: Array<{ name: string; body: unknown; type: string; reason: string }> = [
  // clauses
  {
    name: 'known but unsupported clause',
    body: { query: { fuzzy: { name: 'x' } } },
    type: PARSING,
    reason:
      'query [fuzzy] is not supported by this service; supported: bool, boosting, constant_score, dis_max, exists, ids,',
  },
  {
    name: 'query_string',
    body: { query: { query_string: { query: 'x' } } },
    type: PARSING,
    reason: 'query [query_string] is not supported',
  },
  {
    name: 'simple_query_string',
    body: { query: { simple_query_string: { query: 'x' } } },
    type: PARSING,
    reason: 'query [simple_query_string] is not supported',
  },
  {
    name: 'unknown clause',
    body: { query: { bogus: {} } },
    type: PARSING,
    reason: 'unknown query [bogus]',
  },
  {
    name: 'unknown clause deep inside bool',
    body: { query: { bool: { filter: [{ match_all: {} }, { regexpx: {} }] } } },
    type: PARSING,
    reason: 'unknown query [regexpx] at [query.bool.filter[1].regexpx]',
  },
  {
    name: '__proto__ clause',
    body: JSON.parse('{"query": {"__proto__": {}}}'),
    type: PARSING,
    reason: 'unknown query [__proto__]',
  },
  {
    name: 'two clause keys',
    body: { query: { term: { a: 1 }, match: { b: 2 } } },
    type: PARSING,
    reason: '[term] malformed query, expected [END_OBJECT] but found [FIELD_NAME]',
  },
  {
    name: 'empty query object',
    body: { query: {} },
    type: PARSING,
    reason: 'query malformed, empty clause found at [query]',
  },
  {
    name: 'query is a string',
    body: { query: 'match_all' },
    type: PARSING,
    reason: 'must start with start_object, found [VALUE_STRING] at [query]',
  },
  {
    name: 'clause body not an object',
    body: { query: { match_all: [] } },
    type: PARSING,
    reason: '[match_all] query malformed, no start_object after query name',
  },
  {
    name: 'bool occurrence not an object',
    body: { query: { bool: { must: 'x' } } },
    type: PARSING,
    reason: 'at [query.bool.must]',
  },
  {
    name: 'bool array element not an object',
    body: { query: { bool: { should: [1] } } },
    type: PARSING,
    reason: 'at [query.bool.should[0]]',
  },
  {
    name: 'bool unknown key',
    body: { query: { bool: { musts: [] } } },
    type: PARSING,
    reason: '[bool] query does not support [musts]',
  },
  {
    name: 'term without field',
    body: { query: { bool: { must: [{ term: {} }] } } },
    type: ILLEGAL,
    reason: '[term] field name is null or empty at [query.bool.must[0].term]',
  },
  {
    name: 'term with two fields',
    body: { query: { term: { a: 1, b: 2 } } },
    type: PARSING,
    reason: "[term] query doesn't support multiple fields, found [a] and [b]",
  },
  {
    name: 'term unknown option',
    body: { query: { term: { name: { value: 'x', foo: 1 } } } },
    type: PARSING,
    reason: '[term] query does not support [foo] at [query.term.name.foo]',
  },
  {
    name: 'term array value',
    body: { query: { term: { name: ['a', 'b'] } } },
    type: PARSING,
    reason: '[term] query does not support array of values',
  },
  {
    name: 'term long form without value',
    body: { query: { term: { name: { boost: 2 } } } },
    type: PARSING,
    reason: '[term] requires [value]',
  },
  {
    name: 'term object value',
    body: { query: { term: { model_state: { value: {} } } } },
    type: XCONTENT,
    reason: '[model_state] expected a scalar value',
  },
  {
    name: 'term on boolean field',
    body: { query: { term: { is_hidden: 'maybe' } } },
    type: ILLEGAL,
    reason: "Can't parse boolean value [maybe]",
  },
  {
    name: 'term on binary field',
    body: { query: { term: { model_content: 'abc' } } },
    type: ILLEGAL,
    reason: 'Binary fields do not support searching',
  },
  {
    name: 'terms without array',
    body: { query: { terms: { model_state: 'DEPLOYED' } } },
    type: PARSING,
    reason: '[terms] query requires an array of values',
  },
  {
    name: 'terms lookup',
    body: { query: { terms: { model_state: { index: 'i', id: '1', path: 'p' } } } },
    type: PARSING,
    reason: '[terms] lookup is not supported',
  },
  {
    name: 'terms non-number on long',
    body: { query: { terms: { version: [1, 'two'] } } },
    type: ILLEGAL,
    reason: 'For input string: "two"',
  },
  {
    name: 'ids values not an array',
    body: { query: { ids: { values: 'm1' } } },
    type: PARSING,
    reason: '[ids] [values] must be an array',
  },
  {
    name: 'exists without field',
    body: { query: { exists: {} } },
    type: PARSING,
    reason: '[exists] must be provided with a [field]',
  },
  {
    name: 'exists with pattern',
    body: { query: { exists: { field: 'model_*' } } },
    type: ILLEGAL,
    reason: 'field patterns are not supported',
  },
  {
    name: 'prefix on date',
    body: { query: { prefix: { created_time: '17' } } },
    type: ILLEGAL,
    reason:
      'Can only use prefix queries on keyword and text fields - not on [created_time] which is of type [date]',
  },
  {
    name: 'wildcard on long',
    body: { query: { wildcard: { version: '1*' } } },
    type: ILLEGAL,
    reason:
      'Can only use wildcard queries on keyword and text fields - not on [version] which is of type [long]',
  },
  {
    name: 'range bad date',
    body: { query: { range: { created_time: { gte: 'yesterday' } } } },
    type: ILLEGAL,
    reason: 'failed to parse date field [yesterday]',
  },
  {
    name: 'range bad number',
    body: { query: { range: { model_content_size_in_bytes: { gt: 'abc' } } } },
    type: ILLEGAL,
    reason: 'For input string: "abc"',
  },
  {
    name: 'range unknown key',
    body: { query: { range: { created_time: { above: 1 } } } },
    type: PARSING,
    reason: '[range] query does not support [above]',
  },
  {
    name: 'range time_zone',
    body: { query: { range: { created_time: { gte: 1, time_zone: '+01:00' } } } },
    type: ILLEGAL,
    reason: 'time_zone [+01:00] is not supported',
  },
  {
    name: 'range format',
    body: { query: { range: { created_time: { gte: 1, format: 'dd/MM/yyyy' } } } },
    type: ILLEGAL,
    reason: 'format [dd/MM/yyyy] is not supported',
  },
  {
    name: 'range on _id',
    body: { query: { range: { _id: { gte: 'a' } } } },
    type: ILLEGAL,
    reason: 'does not support range queries',
  },
  {
    name: 'range not an object',
    body: { query: { range: { created_time: 5 } } },
    type: XCONTENT,
    reason: '[query.range.created_time] expected an object',
  },
  {
    name: 'match fuzziness',
    body: { query: { match: { name: { query: 'x', fuzziness: 'AUTO' } } } },
    type: PARSING,
    reason: 'fuzziness is not supported',
  },
  {
    name: 'match operator',
    body: { query: { match: { name: { query: 'x', operator: 'xor' } } } },
    type: ILLEGAL,
    reason: 'operator [xor] is not valid',
  },
  {
    name: 'match without query',
    body: { query: { match: { name: { operator: 'and' } } } },
    type: PARSING,
    reason: '[match] requires [query]',
  },
  {
    name: 'match bad minimum_should_match',
    body: { query: { match: { name: { query: 'x', minimum_should_match: 'most' } } } },
    type: ILLEGAL,
    reason: '[minimum_should_match] cannot parse [most]',
  },
  {
    name: 'match unknown analyzer',
    body: { query: { match: { name: { query: 'x', analyzer: 'english' } } } },
    type: ILLEGAL,
    reason: 'analyzer [english] not found',
  },
  {
    name: 'match number on integer field',
    body: { query: { match: { 'model_config.embedding_dimension': 'abc' } } },
    type: ILLEGAL,
    reason: 'For input string: "abc"',
  },
  {
    name: 'match_phrase slop',
    body: { query: { match_phrase: { name: { query: 'a b', slop: 2 } } } },
    type: PARSING,
    reason: 'slop other than 0 is not supported',
  },
  {
    name: 'multi_match without fields',
    body: { query: { multi_match: { query: 'x' } } },
    type: PARSING,
    reason: '[multi_match] requires [fields]',
  },
  {
    name: 'multi_match unsupported type',
    body: { query: { multi_match: { query: 'x', fields: ['name'], type: 'cross_fields' } } },
    type: PARSING,
    reason: 'type [cross_fields] is not supported',
  },
  {
    name: 'bool bad minimum_should_match',
    body: { query: { bool: { should: [{ match_all: {} }], minimum_should_match: '5%x' } } },
    type: ILLEGAL,
    reason: 'cannot parse [5%x]',
  },
  {
    name: 'constant_score without filter',
    body: { query: { constant_score: { boost: 2 } } },
    type: PARSING,
    reason: "[constant_score] requires a 'filter' element",
  },
  {
    name: 'negative boost',
    body: { query: { match_all: { boost: -1 } } },
    type: ILLEGAL,
    reason: 'negative [boost] are not allowed',
  },
  {
    name: 'boost not a number',
    body: { query: { match_all: { boost: 'high' } } },
    type: XCONTENT,
    reason: '[query.match_all.boost] expected a number',
  },
  {
    name: 'nested on a non-nested path',
    body: { query: { nested: { path: 'model_config', query: { match_all: {} } } } },
    type: ILLEGAL,
    reason: '[nested] failed to find nested object under path [model_config]',
  },
  {
    name: 'nested inner_hits',
    body: { query: { nested: { path: 'user', query: { match_all: {} }, inner_hits: {} } } },
    type: PARSING,
    reason: 'inner_hits is not supported',
  },
  {
    name: 'too deep',
    body: { query: deep },
    type: ILLEGAL,
    reason: 'nested deeper than [32] levels',
  },
  // top-level keys
  {
    name: 'aggs',
    body: { aggs: { a: { terms: { field: 'model_state' } } } },
    type: PARSING,
    reason: '[aggs] is not supported by this service',
  },
  {
    name: 'aggregations',
    body: { aggregations: {} },
    type: PARSING,
    reason: '[aggregations] is not supported',
  },
  {
    name: 'highlight',
    body: { highlight: { fields: { name: {} } } },
    type: PARSING,
    reason: '[highlight] is not supported',
  },
  { name: 'suggest', body: { suggest: {} }, type: PARSING, reason: '[suggest] is not supported' },
  {
    name: 'collapse',
    body: { collapse: { field: 'model_group_id' } },
    type: PARSING,
    reason: '[collapse] is not supported',
  },
  {
    name: 'search_after that is not an array',
    body: { sort: ['rank'], search_after: 1 },
    type: PARSING,
    reason: 'Expected [START_ARRAY] in [search_after] but found [VALUE_NUMBER] inside search_after',
  },
  {
    name: 'search_after with an object value',
    body: { sort: ['rank'], search_after: [{ a: 1 }] },
    type: PARSING,
    reason:
      'Expected [VALUE_STRING] or [VALUE_NUMBER] or [VALUE_BOOLEAN] or [VALUE_NULL] but found [START_OBJECT] inside search_after.',
  },
  {
    name: 'an empty search_after',
    body: { sort: ['rank'], search_after: [] },
    type: ILLEGAL,
    reason: 'Values must contains at least one value.',
  },
  {
    name: 'search_after without a sort',
    body: { search_after: [1] },
    type: ILLEGAL,
    reason: 'Sort must contain at least one field.',
  },
  {
    name: 'search_after with only a _score sort',
    body: { sort: ['_score'], search_after: [1] },
    type: ILLEGAL,
    reason: 'Sort must contain at least one field.',
  },
  {
    name: 'search_after shorter than the sort',
    body: { sort: ['rank', '_id'], search_after: [1] },
    type: ILLEGAL,
    reason: 'search_after has 1 value(s) but sort has 2.',
  },
  {
    name: 'search_after with from',
    body: { sort: ['rank'], search_after: [1], from: 2 },
    type: ILLEGAL,
    reason: '`from` parameter must be set to 0 when `search_after` is used.',
  },
  {
    name: 'a search_after value a number field cannot take',
    body: { sort: ['model_config.embedding_dimension'], search_after: ['high'] },
    type: ILLEGAL,
    reason: 'Failed to parse search_after value for field [model_config.embedding_dimension].',
  },
  {
    name: 'sort on _version (no field data)',
    body: { sort: ['_version'] },
    type: ILLEGAL,
    reason: 'Fielddata is not supported on field [_version] of type [_version]',
  },
  {
    name: 'sort on _primary_term (not a field)',
    body: { sort: ['_primary_term'] },
    type: ILLEGAL,
    reason: 'No mapping found for [_primary_term] in order to sort on',
  },
  {
    name: 'script_fields',
    body: { script_fields: {} },
    type: PARSING,
    reason: '[script_fields] is not supported',
  },
  { name: 'knn', body: { knn: {} }, type: PARSING, reason: '[knn] is not supported' },
  {
    name: 'stored_fields, even _none_',
    body: { stored_fields: '_none_' },
    type: PARSING,
    reason: '[stored_fields] is not supported',
  },
  {
    name: 'unknown top-level key',
    body: { foo: 1 },
    type: PARSING,
    reason: 'Unknown key for a VALUE_NUMBER in [foo].',
  },
  {
    name: 'explain true',
    body: { explain: true },
    type: PARSING,
    reason: '[explain] true is not supported',
  },
  { name: 'body not an object', body: [1], type: XCONTENT, reason: '[body] expected an object' },
  {
    name: 'negative from',
    body: { from: -1 },
    type: ILLEGAL,
    reason: '[from] parameter cannot be negative',
  },
  {
    name: 'size not a number',
    body: { size: 'ten' },
    type: XCONTENT,
    reason: '[size] expected a number',
  },
  {
    name: 'result window by size',
    body: { size: 10001 },
    type: ILLEGAL,
    reason:
      'Result window is too large, from + size must be less than or equal to: [10000] but was [10001]',
  },
  {
    name: 'result window by from + size',
    body: { from: 9995, size: 10 },
    type: ILLEGAL,
    reason: 'but was [10005]. See the scroll api',
  },
  {
    name: 'track_total_hits bad',
    body: { track_total_hits: 'lots' },
    type: XCONTENT,
    reason: '[track_total_hits] expected a number',
  },
  {
    name: 'timeout bad',
    body: { timeout: 'soon' },
    type: ILLEGAL,
    reason: 'failed to parse setting [timeout] with value [soon]',
  },
  // sort and _source
  {
    name: 'sort on text',
    body: { sort: 'name' },
    type: ILLEGAL,
    reason:
      'Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [name]',
  },
  {
    name: 'sort on dynamic text',
    body: { sort: ['tags'] },
    type: ILLEGAL,
    reason: 'set fielddata=true on [tags]',
  },
  {
    name: 'sort bad order',
    body: { sort: [{ created_time: 'up' }] },
    type: ILLEGAL,
    reason: '[sort] order [up] is not valid',
  },
  {
    name: 'sort unmapped',
    body: { sort: 'nope' },
    type: ILLEGAL,
    reason: 'No mapping found for [nope] in order to sort on',
  },
  {
    name: 'sort on object',
    body: { sort: 'model_config' },
    type: ILLEGAL,
    reason: 'No mapping found for [model_config] in order to sort on',
  },
  {
    name: 'sort inside nested',
    body: { sort: 'user.name.keyword' },
    type: ILLEGAL,
    reason: 'inside nested object [user]',
  },
  {
    name: 'sort bad missing for date',
    body: { sort: { created_time: { missing: 'later' } } },
    type: ILLEGAL,
    reason: 'failed to parse date field [later]',
  },
  {
    name: '_source number',
    body: { _source: 5 },
    type: PARSING,
    reason: '[_source] expected a boolean, string, array or object',
  },
  {
    name: '_source unknown key',
    body: { _source: { only: ['name'] } },
    type: PARSING,
    reason: 'Expected one of [includes, excludes] but found [only]',
  },
];

describe('bad search bodies', () => {
  it.each(BAD)('$name', ({ body, type, reason }) => {
    let thrown: unknown;
    try {
      search({ records: MODELS, body, mapping: ML_MODEL_MAPPING, index: '.plugins-ml-model' });
    } catch (error) {
      thrown = error;
    }
    expect(isOpenSearchError(thrown)).toBe(true);
    if (!isOpenSearchError(thrown)) return;
    expect(thrown.status).toBe(400);
    expect(thrown.type).toBe(type);
    expect(thrown.reason).toContain(reason);
  });

  it('validateSearchBody raises the same errors without records (mapping-only checks)', () => {
    expect(() => validateSearchBody({ query: { fuzzy: { name: 'x' } } }, ML_MODEL_MAPPING)).toThrow(
      'query [fuzzy] is not supported',
    );
    expect(() => validateSearchBody({ sort: 'name' }, ML_MODEL_MAPPING)).toThrow(
      'fielddata=true on [name]',
    );
    expect(() =>
      validateSearchBody(
        { query: { match: { name: 'x' } }, sort: 'name.keyword', size: 5 },
        ML_MODEL_MAPPING,
      ),
    ).not.toThrow();
    expect(() => validateSearchBody(undefined, ML_MODEL_MAPPING)).not.toThrow();
  });
});
