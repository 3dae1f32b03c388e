import { describe, expect, it } from 'vitest';
import { filterQueryProcessor } from '../../../src/processors/search/filter-query.js';
import { build, requestContext } from './helpers.js';

type Json = Record<string, unknown>;

const visibility = { term: { visibility: 'public' } };

describe('filter_query', () => {
  it.each<[string, Json, Json]>([
    [
      'wraps the query in a bool with the filter',
      { query: { match: { text: 'hello' } }, size: 5 },
      { query: { bool: { must: [{ match: { text: 'hello' } }], filter: [visibility], adjust_pure_negative: true, boost: 1 } }, size: 5 },
    ],
    ['filters alone when the search has no query', { size: 5 }, { query: { bool: { filter: [visibility], adjust_pure_negative: true, boost: 1 } }, size: 5 }],
  ])('%s', async (_name, body, expected) => {
    const context = requestContext(body);
    await build(filterQueryProcessor, { query: visibility }).processRequest(context);
    expect(context.body).toEqual(expected);
  });

  it('should give every search its own copy of the filter', async () => {
    const processor = build(filterQueryProcessor, { query: visibility });
    const first = requestContext({});
    await processor.processRequest(first);
    ((first.body['query'] as { bool: { filter: Json[] } }).bool.filter[0] as Json)['term'] = 'changed';
    const second = requestContext({});
    await processor.processRequest(second);
    expect((second.body['query'] as { bool: { filter: Json[] } }).bool.filter[0]).toEqual(visibility);
  });

  it.each<[string, Json, Json]>([
    ['no query', {}, { type: 'illegal_argument_exception', reason: 'Did not specify the query property in processor of type filter_query' }],
    ['a query that is not an object', { query: 'x' }, { type: 'parse_exception', reason: "[query] property isn't a map, but of type [java.lang.String]" }],
    ['an empty query', { query: {} }, { type: 'illegal_argument_exception', reason: 'inner clause [filter] cannot be null.' }],
    ['two clause types', { query: { term: { a: 1 }, match: { b: 2 } } }, { type: 'parsing_exception', reason: '[term] malformed query, expected [END_OBJECT] but found [FIELD_NAME]' }],
    ['an unknown option', { query: visibility, mode: 'x' }, { type: 'parse_exception', reason: "processor [filter_query] doesn't support one or more provided configuration parameters: [mode]" }],
  ])('should refuse %s', (_name, options, error) => {
    expect(() => build(filterQueryProcessor, options)).toThrow(expect.objectContaining({ status: 400, ...error }));
  });
});
