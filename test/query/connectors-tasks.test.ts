/**
 * flat_object, nested and hidden-credential behaviour over connectors, and keyword/float/flat
 * fields over tasks.
 */
import { describe, expect, it } from 'vitest';
import {
  ML_CONNECTOR_INDEX,
  ML_CONNECTOR_MAPPING,
  ML_MODEL_MAPPING,
  ML_TASK_INDEX,
  ML_TASK_MAPPING,
  search,
} from '../../src/query/index.js';
import { CONNECTORS, MODELS, TASKS, idfRef, tfRef } from './fixtures.js';

const HIDDEN = ['credential'];
const connectors = (body: unknown) =>
  search({
    records: CONNECTORS,
    body,
    mapping: ML_CONNECTOR_MAPPING,
    index: ML_CONNECTOR_INDEX,
    excludeSourceFields: HIDDEN,
  });
const tasks = (body: unknown) =>
  search({ records: TASKS, body, mapping: ML_TASK_MAPPING, index: ML_TASK_INDEX });
const ids = (response: ReturnType<typeof search>) => response.hits.hits.map((h) => h._id);

// owner.name over nested documents: alice, bob, carol, alice (4 docs, 1 token each).
const ALICE = idfRef(2, 4) * tfRef(1, 1, 1);

const CONNECTOR_ROWS: Array<{ name: string; query: unknown; ids: string[]; scores?: number[] }> = [
  {
    name: 'flat_object dotted key',
    query: { term: { 'parameters.model': 'text-embedding-ada-002' } },
    ids: ['c1'],
  },
  { name: 'flat_object root: any leaf', query: { term: { parameters: 'us-east-1' } }, ids: ['c4'] },
  {
    name: 'flat_object key must match fully',
    query: { term: { 'parameters.region': 'bedrock' } },
    ids: [],
  },
  {
    name: 'flat_object literal dotted key',
    query: { term: { 'parameters.nested.key': 'dotted' } },
    ids: ['c4'],
  },
  {
    name: 'flat_object values are keywords (exact)',
    query: { match: { 'parameters.model': 'embed-english-v3.0' } },
    ids: ['c3'],
  },
  { name: 'flat_object prefix', query: { prefix: { 'parameters.model': 'embed' } }, ids: ['c3'] },
  {
    name: 'flat_object exists',
    query: { exists: { field: 'parameters.input_type' } },
    ids: ['c3'],
  },
  {
    name: 'text field with keyword array',
    query: { term: { 'backend_roles.keyword': 'data' } },
    ids: ['c1'],
  },
  {
    name: 'nested fields outside nested match nothing',
    query: { term: { 'owner.name.keyword': 'alice' } },
    ids: [],
  },
  {
    name: 'nested: conditions must hold in one object',
    query: {
      nested: {
        path: 'owner',
        query: {
          bool: {
            must: [
              { term: { 'owner.name.keyword': 'bob' } },
              { term: { 'owner.backend_roles.keyword': 'ml-admins' } },
            ],
          },
        },
      },
    },
    ids: [],
  },
  {
    name: 'nested: same object matches',
    query: {
      nested: {
        path: 'owner',
        query: {
          bool: {
            must: [
              { term: { 'owner.name.keyword': 'carol' } },
              { term: { 'owner.backend_roles.keyword': 'ml-admins' } },
            ],
          },
        },
      },
    },
    ids: ['c2'],
    scores: [2],
  },
  {
    name: 'nested score_mode sum',
    query: {
      nested: {
        path: 'owner',
        score_mode: 'sum',
        query: { terms: { 'owner.backend_roles.keyword': ['ml-admins', 'data'] } },
      },
    },
    ids: ['c2', 'c1', 'c3'],
    scores: [2, 1, 1],
  },
  {
    name: 'nested score_mode avg (default) with BM25 over nested docs',
    query: { nested: { path: 'owner', query: { match: { 'owner.name': 'Alice' } } } },
    ids: ['c1', 'c3'],
    scores: [ALICE, ALICE],
  },
  {
    name: 'nested score_mode none',
    query: { nested: { path: 'owner', score_mode: 'none', query: { match_all: {} } } },
    ids: ['c1', 'c2', 'c3'],
    scores: [0, 0, 0],
  },
  {
    name: 'nested ignore_unmapped',
    query: { nested: { path: 'parameters', ignore_unmapped: true, query: { match_all: {} } } },
    ids: [],
  },
  {
    name: 'hidden credential cannot be matched',
    query: { term: { 'credential.openAI_key': 'sk-secret-123' } },
    ids: [],
  },
  {
    name: 'hidden credential cannot be probed by prefix',
    query: { prefix: { 'credential.access_key': 'AKIA' } },
    ids: [],
  },
  {
    name: 'hidden credential root cannot be probed',
    query: { wildcard: { credential: '*' } },
    ids: [],
  },
  { name: 'hidden credential does not exist', query: { exists: { field: 'credential' } }, ids: [] },
];

describe('connectors', () => {
  it.each(CONNECTOR_ROWS)('$name', ({ query, ids: expected, scores }) => {
    const response = connectors({ query });
    expect(ids(response)).toEqual(expected);
    scores?.forEach((score, i) => expect(response.hits.hits[i]?._score).toBeCloseTo(score, 5));
  });

  it('never returns credentials, even when asked for them', () => {
    for (const source of [undefined, true, ['credential', 'name'], { includes: ['cred*'] }, '*']) {
      const response = connectors({ _source: source });
      for (const hit of response.hits.hits) {
        expect(hit._source).toBeDefined();
        expect(Object.hasOwn(hit._source ?? {}, 'credential')).toBe(false);
        expect(JSON.stringify(hit._source)).not.toMatch(/sk-secret|AKIA|shh/);
      }
    }
  });

  it('removes an embedded connector credential by dotted path and keeps the rest', () => {
    const response = search({
      records: MODELS,
      body: { query: { ids: { values: ['m4'] } }, _source: ['connector'] },
      mapping: ML_MODEL_MAPPING,
      index: '.plugins-ml-model',
      excludeSourceFields: ['credential', 'connector.credential'],
    });
    expect(response.hits.hits[0]?._source).toEqual({
      connector: {
        name: 'bedrock',
        protocol: 'aws_sigv4',
        parameters: { region: 'us-east-1', model: 'amazon.titan-embed-text-v1' },
      },
    });
  });

  it('hides a credential stored under a literal dotted key', () => {
    const record = {
      collection: 'm',
      id: 'x',
      version: 1,
      seqNo: 0,
      primaryTerm: 1,
      source: { connector: { 'credential.key': 'secret' }, name: 'x' },
    };
    const response = search({
      records: [record],
      body: { query: { term: { 'connector.credential.key': 'secret' } } },
      mapping: ML_MODEL_MAPPING,
      index: 'i',
      excludeSourceFields: ['connector.credential'],
    });
    expect(response.hits.hits).toEqual([]);
    const all = search({
      records: [record],
      body: {},
      mapping: ML_MODEL_MAPPING,
      index: 'i',
      excludeSourceFields: ['connector.credential'],
    });
    expect(all.hits.hits[0]?._source).toEqual({ connector: {}, name: 'x' });
  });
});

const TASK_ROWS: Array<{ name: string; query: unknown; ids: string[] }> = [
  {
    name: 'terms on keyword',
    query: { terms: { state: ['FAILED', 'RUNNING'] } },
    ids: ['t2', 't3'],
  },
  { name: 'range on float', query: { range: { progress: { gte: 0.5 } } }, ids: ['t1', 't2'] },
  { name: 'match on text error', query: { match: { error: 'TIMED out' } }, ids: ['t2'] },
  { name: 'keyword array element', query: { term: { worker_node: 'node-2' } }, ids: ['t3'] },
  {
    name: 'flat_object remote_job',
    query: { term: { 'remote_job.status': 'InProgress' } },
    ids: ['t4'],
  },
  { name: 'exists text', query: { exists: { field: 'error' } }, ids: ['t2'] },
  { name: 'boolean', query: { term: { is_async: true } }, ids: ['t1'] },
  {
    name: 'bool filter + must_not',
    query: {
      bool: {
        filter: { term: { function_name: 'REMOTE' } },
        must_not: { term: { task_type: 'BATCH_PREDICTION' } },
      },
    },
    ids: ['t1', 't2'],
  },
];

describe('tasks', () => {
  it.each(TASK_ROWS)('$name', ({ query, ids: expected }) => {
    expect(ids(tasks({ query }))).toEqual(expected);
  });

  it('sorts by a float desc with missing last, then missing first', () => {
    const last = tasks({ sort: [{ progress: { order: 'desc' } }] });
    expect(ids(last)).toEqual(['t1', 't2', 't3', 't4']);
    expect(last.hits.hits.map((h) => h.sort)).toEqual([[1], [0.5], [0.25], [null]]);
    expect(ids(tasks({ sort: [{ progress: { order: 'desc', missing: '_first' } }] }))).toEqual([
      't4',
      't1',
      't2',
      't3',
    ]);
    expect(ids(tasks({ sort: [{ progress: { order: 'asc', missing: 0.3 } }] }))).toEqual([
      't3',
      't4',
      't2',
      't1',
    ]);
  });
});
