/**
 * Query clauses over model records: expected ids in order and, where scoring matters, expected
 * scores derived by hand from Lucene's BM25 (see fixtures.ts) or the constant-score rules.
 */
import { describe, expect, it } from 'vitest';
import { ML_MODEL_INDEX, ML_MODEL_MAPPING, search } from '../../src/query/index.js';
import { IDF_EMBEDDING, IDF_MODEL, MODELS, NAME_AVG, idfRef, tfRef } from './fixtures.js';

const NOW = Date.UTC(2023, 10, 16, 2, 0, 0); // 2023-11-16T02:00:00Z
const run = (body: unknown) =>
  search({ records: MODELS, body, mapping: ML_MODEL_MAPPING, index: ML_MODEL_INDEX, now: NOW });

// Hand-computed BM25 pieces (field `name`; `description` has 3 docs / 12 tokens).
const TF3 = tfRef(1, 3, NAME_AVG);
const M1_EMBEDDING_MODEL = (IDF_EMBEDDING + IDF_MODEL) * TF3;
const M3_EMBEDDING = IDF_EMBEDDING * tfRef(2, 2, NAME_AVG);
const MODEL_ONLY = IDF_MODEL * TF3;
const DESC_TITAN_OR_EMBEDDING = idfRef(1, 3) * tfRef(1, 5, 4);
const NAME_TITAN = idfRef(1, 6) * TF3;

interface Row {
  readonly name: string;
  readonly query: unknown;
  readonly ids: readonly string[];
  /** One score per hit, or one score every hit must have. */
  readonly scores?: readonly number[] | number;
}

const ROWS: Row[] = [
  // match_all / match_none
  {
    name: 'match_all',
    query: { match_all: {} },
    ids: ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'],
    scores: 1,
  },
  {
    name: 'match_all boost',
    query: { match_all: { boost: 2.5 } },
    ids: ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'],
    scores: 2.5,
  },
  { name: 'match_none', query: { match_none: {} }, ids: [] },
  // term
  {
    name: 'term keyword',
    query: { term: { model_state: 'DEPLOYED' } },
    ids: ['m1', 'm3', 'm5'],
    scores: 1,
  },
  {
    name: 'term long form boost',
    query: { term: { model_state: { value: 'DEPLOYED', boost: 3 } } },
    ids: ['m1', 'm3', 'm5'],
    scores: 3,
  },
  { name: 'term keyword is exact', query: { term: { model_state: 'deployed' } }, ids: [] },
  {
    name: 'term keyword case_insensitive',
    query: { term: { model_state: { value: 'deployed', case_insensitive: true } } },
    ids: ['m1', 'm3', 'm5'],
  },
  { name: 'term on text misses original case', query: { term: { name: 'OpenAI' } }, ids: [] },
  {
    name: 'term on text hits a token',
    query: { term: { name: 'openai' } },
    ids: ['m1'],
    scores: 1,
  },
  {
    name: 'term on text never matches the whole value',
    query: { term: { name: 'openai embedding model' } },
    ids: [],
  },
  {
    name: 'term on .keyword is exact',
    query: { term: { 'name.keyword': 'OpenAI embedding model' } },
    ids: ['m1'],
  },
  {
    name: 'term on .keyword is case sensitive',
    query: { term: { 'name.keyword': 'openai embedding model' } },
    ids: [],
  },
  { name: 'term boolean', query: { term: { is_hidden: true } }, ids: ['m3', 'm4', 'm6'] },
  {
    name: 'term boolean as string',
    query: { term: { is_hidden: 'false' } },
    ids: ['m1', 'm2', 'm5'],
  },
  {
    name: 'term object sub-field',
    query: { term: { 'model_config.model_type': 'bert' } },
    ids: ['m1', 'm5'],
  },
  {
    name: 'term integer from string',
    query: { term: { 'model_config.embedding_dimension': '384' } },
    ids: ['m5'],
  },
  { name: 'term date epoch', query: { term: { created_time: 1700000100000 } }, ids: ['m2'] },
  {
    name: 'term date ISO matches an ISO-stored value',
    query: { term: { created_time: '2023-11-16T00:00:00.000Z' } },
    ids: ['m3'],
  },
  { name: 'term sidecar id keyword', query: { term: { connector_id: 'Conn-A1' } }, ids: ['m1'] },
  {
    name: 'term sidecar id keyword via .keyword',
    query: { term: { 'connector_id.keyword': 'conn-b2' } },
    ids: ['m2'],
  },
  { name: 'term _id', query: { term: { _id: 'm4' } }, ids: ['m4'] },
  {
    name: 'term _index',
    query: { term: { _index: ML_MODEL_INDEX } },
    ids: ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'],
  },
  { name: 'term unmapped field', query: { term: { nope: 'x' } }, ids: [] },
  { name: 'term dynamic number', query: { term: { rank: 3 } }, ids: ['m1'] },
  { name: 'term dynamic string is text', query: { term: { tags: 'chat' } }, ids: ['m2'] },
  { name: 'term dynamic .keyword', query: { term: { 'tags.keyword': 'llm' } }, ids: ['m2'] },
  {
    name: 'term __proto__ field is just unmapped',
    query: JSON.parse('{"term":{"__proto__":"x"}}'),
    ids: [],
  },
  {
    name: 'term constructor field is just unmapped',
    query: { term: { constructor: 'x' } },
    ids: [],
  },
  // terms / ids
  {
    name: 'terms',
    query: { terms: { model_state: ['DEPLOYED', 'REGISTERED'] } },
    ids: ['m1', 'm2', 'm3', 'm5'],
    scores: 1,
  },
  {
    name: 'terms boost',
    query: { terms: { model_state: ['UNDEPLOYED'], boost: 4 } },
    ids: ['m6'],
    scores: 4,
  },
  { name: 'terms on _id', query: { terms: { _id: ['m4', 'm2', 'zz'] } }, ids: ['m2', 'm4'] },
  {
    name: 'terms on text compares tokens',
    query: { terms: { name: ['cohere', 'Titan'] } },
    ids: ['m2'],
  },
  {
    name: 'ids',
    query: { ids: { values: ['m6', 'm1', 'missing'] } },
    ids: ['m1', 'm6'],
    scores: 1,
  },
  // exists
  {
    name: 'exists leaf',
    query: { exists: { field: 'created_time' } },
    ids: ['m1', 'm2', 'm3', 'm4', 'm5'],
  },
  {
    name: 'exists skips null',
    query: { exists: { field: 'description' } },
    ids: ['m1', 'm2', 'm4'],
  },
  { name: 'exists object', query: { exists: { field: 'model_config' } }, ids: ['m1', 'm5'] },
  {
    name: 'exists object sub-field',
    query: { exists: { field: 'model_config.framework_type' } },
    ids: ['m5'],
  },
  { name: 'exists dynamic', query: { exists: { field: 'tags' } }, ids: ['m2'] },
  {
    name: 'exists nested field outside nested matches nothing',
    query: { exists: { field: 'user.name' } },
    ids: [],
  },
  // prefix / wildcard
  {
    name: 'prefix keyword',
    query: { prefix: { model_state: 'DEPLOY' } },
    ids: ['m1', 'm3', 'm4', 'm5'],
    scores: 1,
  },
  { name: 'prefix text tokens', query: { prefix: { name: 'emb' } }, ids: ['m1', 'm3', 'm4'] },
  { name: 'prefix text is not analysed', query: { prefix: { name: 'Emb' } }, ids: [] },
  {
    name: 'prefix case_insensitive',
    query: { prefix: { 'name.keyword': { value: 'local', case_insensitive: true } } },
    ids: ['m5'],
  },
  {
    name: 'prefix _id',
    query: { prefix: { _id: 'm' } },
    ids: ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'],
  },
  { name: 'wildcard star', query: { wildcard: { algorithm: '*EMBED*' } }, ids: ['m5'] },
  {
    name: 'wildcard .keyword suffix',
    query: { wildcard: { 'name.keyword': '*model' } },
    ids: ['m1', 'm2', 'm6'],
  },
  {
    name: 'wildcard question mark',
    query: { wildcard: { model_state: { value: 'DEPLOYE?', boost: 2 } } },
    ids: ['m1', 'm3', 'm5'],
    scores: 2,
  },
  {
    name: 'wildcard regex characters are literal',
    query: { wildcard: { 'name.keyword': 'OpenAI.*' } },
    ids: [],
  },
  // range
  {
    name: 'range date epoch',
    query: { range: { created_time: { gte: 1700000000000 } } },
    ids: ['m1', 'm2', 'm3', 'm4'],
  },
  {
    name: 'range date exclusive',
    query: { range: { created_time: { gt: 1700000000000, lt: 1700000300000 } } },
    ids: ['m2'],
  },
  {
    name: 'range date ISO bound',
    query: { range: { created_time: { gte: '2023-11-15T00:00:00Z' } } },
    ids: ['m3'],
  },
  {
    name: 'range date lte ISO date-only',
    query: { range: { created_time: { lte: '2023-11-14' } } },
    ids: [],
  },
  { name: 'range date math', query: { range: { created_time: { gte: 'now-1d' } } }, ids: ['m3'] },
  {
    name: 'range date math rounded down for gte',
    query: { range: { created_time: { gte: 'now/d' } } },
    ids: ['m3'],
  },
  {
    name: 'range date math rounded up for gt',
    query: { range: { created_time: { gt: 'now/d' } } },
    ids: [],
  },
  {
    name: 'range legacy from/to',
    query: {
      range: { created_time: { from: 1700000100000, to: 1700000300000, include_upper: false } },
    },
    ids: ['m2'],
  },
  {
    name: 'range keyword by code point',
    query: { range: { model_state: { gte: 'DEPLOYED', lt: 'R' } } },
    ids: ['m1', 'm3', 'm4', 'm5'],
    scores: 1,
  },
  {
    name: 'range long',
    query: { range: { model_content_size_in_bytes: { gt: 1000000 } } },
    ids: ['m5'],
  },
  {
    name: 'range integer sub-field',
    query: { range: { 'model_config.embedding_dimension': { gte: 500, boost: 2 } } },
    ids: ['m1'],
    scores: 2,
  },
  { name: 'range dynamic number', query: { range: { rank: { gte: 2 } } }, ids: ['m1'] },
  // match
  {
    name: 'match BM25',
    query: { match: { name: 'embedding model' } },
    ids: ['m1', 'm3', 'm2', 'm6'],
    scores: [M1_EMBEDDING_MODEL, M3_EMBEDDING, MODEL_ONLY, MODEL_ONLY],
  },
  {
    name: 'match is analysed',
    query: { match: { name: 'EMBEDDING, Model!' } },
    ids: ['m1', 'm3', 'm2', 'm6'],
    scores: [M1_EMBEDDING_MODEL, M3_EMBEDDING, MODEL_ONLY, MODEL_ONLY],
  },
  {
    name: 'match operator and',
    query: { match: { name: { query: 'embedding model', operator: 'and' } } },
    ids: ['m1'],
    scores: [M1_EMBEDDING_MODEL],
  },
  {
    name: 'match minimum_should_match 100%',
    query: { match: { name: { query: 'embedding model', minimum_should_match: '100%' } } },
    ids: ['m1'],
  },
  {
    name: 'match minimum_should_match 2',
    query: { match: { name: { query: 'openai embedding model', minimum_should_match: 2 } } },
    ids: ['m1'],
  },
  {
    name: 'match minimum_should_match -1',
    query: { match: { name: { query: 'titan model', minimum_should_match: '-1' } } },
    ids: ['m4', 'm1', 'm2', 'm6'],
  },
  {
    name: 'match boost',
    query: { match: { name: { query: 'embedding', boost: 2 } } },
    ids: ['m3', 'm1'],
    scores: [2 * M3_EMBEDDING, 2 * IDF_EMBEDDING * TF3],
  },
  {
    name: 'match keyword field is exact',
    query: { match: { model_state: 'DEPLOYED' } },
    ids: ['m1', 'm3', 'm5'],
    scores: 1,
  },
  {
    name: 'match keyword field is not analysed',
    query: { match: { model_state: 'deployed' } },
    ids: [],
  },
  { name: 'match zero terms none', query: { match: { name: '!!!' } }, ids: [] },
  {
    name: 'match zero terms all',
    query: { match: { name: { query: '!!!', zero_terms_query: 'all' } } },
    ids: ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'],
  },
  {
    name: 'match dynamic text',
    query: { match: { tags: 'chat' } },
    ids: ['m2'],
    scores: [idfRef(1, 1) * tfRef(1, 2, 2)],
  },
  {
    name: 'match number field',
    query: { match: { 'model_config.embedding_dimension': '1536' } },
    ids: ['m1'],
  },
  {
    name: 'match lenient ignores unparseable',
    query: { match: { 'model_config.embedding_dimension': { query: 'abc', lenient: true } } },
    ids: [],
  },
  // match_phrase
  {
    name: 'match_phrase',
    query: { match_phrase: { name: 'Embedding Model' } },
    ids: ['m1'],
    scores: [M1_EMBEDDING_MODEL],
  },
  {
    name: 'match_phrase order matters',
    query: { match_phrase: { name: 'model embedding' } },
    ids: [],
  },
  {
    name: 'match_phrase single token',
    query: { match_phrase: { name: { query: 'titan', boost: 2 } } },
    ids: ['m4'],
    scores: [2 * NAME_TITAN],
  },
  // multi_match
  {
    name: 'multi_match best_fields with field boost',
    query: { multi_match: { query: 'embedding', fields: ['name^2', 'description'] } },
    ids: ['m3', 'm1', 'm4'],
    scores: [2 * M3_EMBEDDING, 2 * IDF_EMBEDDING * TF3, DESC_TITAN_OR_EMBEDDING],
  },
  {
    name: 'multi_match best_fields tie_breaker',
    query: { multi_match: { query: 'titan', fields: ['name', 'description'], tie_breaker: 0.3 } },
    ids: ['m4'],
    scores: [NAME_TITAN + 0.3 * DESC_TITAN_OR_EMBEDDING],
  },
  {
    name: 'multi_match most_fields',
    query: {
      multi_match: { query: 'titan', fields: ['name', 'description'], type: 'most_fields' },
    },
    ids: ['m4'],
    scores: [NAME_TITAN + DESC_TITAN_OR_EMBEDDING],
  },
  {
    name: 'multi_match phrase',
    query: {
      multi_match: { query: 'embedding model', type: 'phrase', fields: ['name', 'description'] },
    },
    ids: ['m4', 'm1'],
    scores: [2 * idfRef(1, 3) * tfRef(1, 5, 4), M1_EMBEDDING_MODEL],
  },
  // bool
  {
    name: 'bool must + filter: filter does not score',
    query: {
      bool: {
        must: [{ match: { name: 'embedding' } }],
        filter: { term: { model_state: 'DEPLOYED' } },
      },
    },
    ids: ['m3', 'm1'],
    scores: [M3_EMBEDDING, IDF_EMBEDDING * TF3],
  },
  {
    name: 'bool filter only scores 0',
    query: { bool: { filter: [{ term: { model_state: 'DEPLOYED' } }] } },
    ids: ['m1', 'm3', 'm5'],
    scores: 0,
  },
  {
    name: 'bool must_not only scores 0',
    query: { bool: { must_not: { term: { model_state: 'DEPLOYED' } } } },
    ids: ['m2', 'm4', 'm6'],
    scores: 0,
  },
  {
    name: 'bool should-only needs one should, sums matches',
    query: {
      bool: { should: [{ term: { model_state: 'DEPLOYED' } }, { term: { is_hidden: true } }] },
    },
    ids: ['m3', 'm1', 'm4', 'm5', 'm6'],
    scores: [2, 1, 1, 1, 1],
  },
  {
    name: 'bool minimum_should_match',
    query: {
      bool: {
        should: [{ term: { model_state: 'DEPLOYED' } }, { term: { is_hidden: true } }],
        minimum_should_match: 2,
      },
    },
    ids: ['m3'],
    scores: [2],
  },
  {
    name: 'bool must + optional should',
    query: {
      bool: {
        must: { term: { algorithm: 'REMOTE' } },
        should: { term: { model_state: { value: 'DEPLOYED', boost: 0.5 } } },
      },
    },
    ids: ['m1', 'm3', 'm2', 'm4'],
    scores: [1.5, 1.5, 1, 1],
  },
  {
    name: 'bool must_not excludes',
    query: {
      bool: {
        must: { match_all: {} },
        must_not: [{ terms: { _id: ['m1', 'm2'] } }, { term: { is_hidden: true } }],
      },
    },
    ids: ['m5'],
    scores: [1],
  },
  {
    name: 'bool empty is match_all',
    query: { bool: {} },
    ids: ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'],
    scores: 1,
  },
  {
    name: 'bool boost multiplies',
    query: { bool: { must: { term: { _id: 'm2' } }, boost: 3 } },
    ids: ['m2'],
    scores: [3],
  },
  {
    name: 'bool nested bools',
    query: {
      bool: {
        should: [
          {
            bool: {
              must: [{ term: { model_group_id: 'g1' } }, { term: { model_state: 'REGISTERED' } }],
            },
          },
          { bool: { filter: { term: { _id: 'm6' } } } },
        ],
      },
    },
    ids: ['m2', 'm6'],
    scores: [2, 0],
  },
  // other compounds
  {
    name: 'constant_score',
    query: { constant_score: { filter: { match: { name: 'embedding' } }, boost: 1.5 } },
    ids: ['m1', 'm3'],
    scores: 1.5,
  },
  {
    name: 'constant_score default boost',
    query: { constant_score: { filter: { term: { _id: 'm5' } } } },
    ids: ['m5'],
    scores: 1,
  },
  {
    name: 'dis_max',
    query: {
      dis_max: {
        queries: [
          { term: { _id: { value: 'm1', boost: 3 } } },
          { term: { model_state: 'DEPLOYED' } },
        ],
        tie_breaker: 0.5,
      },
    },
    ids: ['m1', 'm3', 'm5'],
    scores: [3.5, 1, 1],
  },
  {
    name: 'boosting demotes',
    query: {
      boosting: {
        positive: { match_all: {} },
        negative: { term: { is_hidden: true } },
        negative_boost: 0.5,
      },
    },
    ids: ['m1', 'm2', 'm5', 'm3', 'm4', 'm6'],
    scores: [1, 1, 1, 0.5, 0.5, 0.5],
  },
  // nested (models keep their owner under `user`)
  {
    name: 'nested user',
    query: { nested: { path: 'user', query: { term: { 'user.name.keyword': 'admin' } } } },
    ids: ['m1'],
    scores: [1],
  },
  // flat_object under an object (the embedded connector)
  {
    name: 'flat_object dotted key under object',
    query: { term: { 'connector.parameters.region': 'us-east-1' } },
    ids: ['m4'],
  },
  {
    name: 'flat_object root matches any leaf',
    query: { term: { 'connector.parameters': 'amazon.titan-embed-text-v1' } },
    ids: ['m4'],
  },
];

describe('query clauses over models', () => {
  it.each(ROWS)('$name', ({ query, ids, scores }) => {
    const response = run({ query });
    const hits = response.hits.hits;
    expect(hits.map((h) => h._id)).toEqual(ids);
    expect(response.hits.total).toEqual({ value: ids.length, relation: 'eq' });
    if (scores === undefined) return;
    const expected = typeof scores === 'number' ? ids.map(() => scores) : scores;
    expect(hits).toHaveLength(expected.length);
    hits.forEach((hit, i) => expect(hit._score).toBeCloseTo(expected[i] ?? Number.NaN, 5));
    if (hits.length > 0) expect(response.hits.max_score).toBeCloseTo(Math.max(...expected), 5);
  });

  it('has no max_score without hits', () => {
    expect(run({ query: { match_none: {} } }).hits.max_score).toBeNull();
  });
});
