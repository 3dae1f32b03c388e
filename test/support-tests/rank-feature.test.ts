/**
 * The stand-in's `rank_feature` query on `rank_feature` and `rank_features` fields: the score
 * functions, Lucene's 9-bit storage of feature values, a `bool` of `linear` clauses scoring the
 * dot product, the errors OpenSearch answers, and the index-time checks of feature values.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { at, ids, ndjson, scores, useStandIn } from './stand-in-client.js';

const DOCS: Record<string, Record<string, number>> = {
  a: { cat: 2, dog: 0.5 },
  b: { cat: 1.5, fish: 3 },
  c: { dog: 4 },
  d: { cat: 0.25, dog: 1, fish: 1 },
};

describe('OpenSearch stand-in: rank_feature', () => {
  const { request } = useStandIn();

  beforeEach(async () => {
    await request('PUT', '/sparse', {
      mappings: {
        properties: {
          tokens: { type: 'rank_features' },
          popularity: { type: 'rank_feature' },
          age: { type: 'rank_feature', positive_score_impact: false },
          title: { type: 'text' },
        },
      },
    });
    const lines = Object.entries(DOCS).flatMap(([id, tokens], index) => [
      { index: { _id: id } },
      { tokens, popularity: index + 1, age: 2 * (index + 1), title: id },
    ]);
    const bulk = await request('POST', '/sparse/_bulk?refresh=true', ndjson(...lines));
    expect(at(bulk.json, 'errors')).toBe(false);
  });

  const search = (query: unknown) => request('POST', '/sparse/_search', { query });
  const linear = (token: string, boost: number) => ({ rank_feature: { field: `tokens.${token}`, linear: {}, boost } });

  it('scores a bool of linear clauses as the dot product of the query weights and the stored features', async () => {
    const weights = { cat: 1.5, dog: 2, fish: 0.5 };
    const answer = await search({ bool: { should: Object.entries(weights).map(([token, weight]) => linear(token, weight)) } });
    const expected = Object.entries(DOCS)
      .map(([id, tokens]) => ({ id, score: Object.entries(weights).reduce((sum, [token, weight]) => sum + weight * (tokens[token] ?? 0), 0) }))
      .sort((left, right) => right.score - left.score);
    expect(ids(answer)).toEqual(expected.map((entry) => entry.id));
    expect(scores(answer)).toEqual(expected.map((entry) => entry.score));
  });

  it('matches only documents that have the feature, and none for an unmapped field', async () => {
    expect(ids(await search(linear('fish', 1)))).toEqual(['b', 'd']);
    expect(ids(await search({ rank_feature: { field: 'tokens.bird', linear: {} } }))).toEqual([]);
    expect(ids(await search({ rank_feature: { field: 'nothing', linear: {} } }))).toEqual([]);
  });

  it('keeps 9 significant bits of a stored value, as Lucene FeatureField does', async () => {
    await request('PUT', '/sparse/_doc/e?refresh=true', { tokens: { owl: 1.2345678 } });
    const answer = await search(linear('owl', 1));
    // 1.2345678 keeps 8 bits after the leading one: 1 + 60/256.
    expect(scores(answer)).toEqual([1 + 60 / 256]);
  });

  it.each<[string, Record<string, unknown>, (value: number) => number]>([
    ['saturation with a pivot', { saturation: { pivot: 2 } }, (value) => value / (value + 2)],
    ['log', { log: { scaling_factor: 4 } }, (value) => Math.log(4 + value)],
    ['sigmoid', { sigmoid: { pivot: 2, exponent: 0.5 } }, (value) => value ** 0.5 / (value ** 0.5 + 2 ** 0.5)],
    // Lucene's pivot: the stored frequencies' mean (32800, the float bits >>> 15 of 1..4) decoded: 2.25.
    ['saturation without a pivot (the decoded mean of the stored frequencies)', {}, (value) => value / (value + 2.25)],
  ])('scores %s on a rank_feature field', async (_name, options, expected) => {
    const answer = await search({ rank_feature: { field: 'popularity', boost: 2, ...options } });
    expect(ids(answer)).toEqual(['d', 'c', 'b', 'a']);
    (scores(answer) as number[]).forEach((score, index) => expect(score).toBeCloseTo(2 * expected(4 - index), 6));
  });

  it('inverts the value of a field with positive_score_impact false', async () => {
    const answer = await search({ rank_feature: { field: 'age', linear: {} } });
    expect(ids(answer)).toEqual(['a', 'b', 'c', 'd']);
    // 1/6 keeps 8 bits after its leading one: 0.16650390625.
    expect(scores(answer)).toEqual([0.5, 0.25, 0.16650390625, 0.125]);
  });

  it('refuses a field of another type with the query_shard_exception OpenSearch answers', async () => {
    const answer = await search({ rank_feature: { field: 'title', linear: {} } });
    expect(answer.status).toBe(400);
    expect(at(answer.json, 'error', 'caused_by', 'reason')).toBe(
      'failed to create query: [rank_feature] query only works on [rank_feature] fields and features of [rank_features] fields, not [text]',
    );
  });

  it.each<[string, unknown, string]>([
    ['two functions', { field: 'popularity', linear: {}, log: { scaling_factor: 1 } }, '[rank_feature] can only have one of [saturation, log, sigmoid, linear]'],
    ['an unknown option', { field: 'popularity', colour: 1 }, '[rank_feature] unknown field [colour]'],
    ['no field', { linear: {} }, 'Required [field]'],
  ])('refuses %s', async (_name, body, reason) => {
    const answer = await search({ rank_feature: body });
    expect(answer.status).toBe(400);
    expect(at(answer.json, 'error', 'reason')).toBe(reason);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a zero feature', { tokens: { cat: 0 } }, 'featureValue must be a positive normal float, got: 0 for feature: cat which is less than the minimum positive normal float: 1.17549435E-38'],
    ['a text feature', { tokens: { cat: 'x' } }, '[rank_features] fields take hashes that map a feature to a strictly positive float, but got unexpected token VALUE_STRING'],
    ['a number for rank_features', { tokens: 3 }, '[rank_features] fields must be json objects, expected a START_OBJECT but got: VALUE'],
  ])('refuses to index %s', async (_name, source, reason) => {
    const answer = await request('PUT', '/sparse/_doc/bad', source);
    expect(answer.status).toBe(400);
    expect(at(answer.json, 'error', 'type')).toBe('mapper_parsing_exception');
    expect(at(answer.json, 'error', 'caused_by', 'reason')).toBe(reason);
  });
});
