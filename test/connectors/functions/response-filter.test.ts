import { JSONPath } from 'jsonpath-plus';
import { describe, expect, it } from 'vitest';
import { applyResponseFilter, dataTypeFromFilter } from '../../../src/connectors/functions/index.js';

const openAi = { data: [{ embedding: [1, 2] }, { index: 1 }, { embedding: [3] }] };

describe('applyResponseFilter (Jayway result shapes)', () => {
  it.for([
    { path: '$.data[*].embedding', response: openAi, expected: [[1, 2], [3]] },
    { path: '$.embedding', response: { embedding: [0.5, 0.25] }, expected: [0.5, 0.25] },
    { path: '$.embeddings.float', response: { embeddings: { float: [[1]] } }, expected: [[1]] },
    { path: "$['embeddings']['int8']", response: { embeddings: { int8: [[7]] } }, expected: [[7]] },
    { path: '$.embedding', response: { embedding: null }, expected: null },
    { path: '$.embedding', response: { other: 1 }, expected: undefined },
    { path: '$.data[*].missing', response: openAi, expected: [] },
    { path: '$', response: [[1], [2]], expected: [[1], [2]] },
    { path: '$[*]', response: [[1], [2]], expected: [[1], [2]] },
    { path: '$[*]', response: { a: 1, b: 2 }, expected: [1, 2] },
    { path: '$.results', response: { results: [] }, expected: [] },
    { path: '$.data[0].embedding', response: openAi, expected: [1, 2] },
    { path: '$..embedding', response: openAi, expected: [[1, 2], [3]] },
    { path: '$.data[0,2].embedding', response: openAi, expected: [[1, 2], [3]] },
    { path: '$.data[0:1].embedding', response: openAi, expected: [[1, 2]] },
    { path: "$.items[?(@.type == 'x')].value", response: { items: [{ type: 'x', value: 1 }, { type: 'y', value: 2 }] }, expected: [1] },
    { path: '$', response: null, expected: undefined },
    { path: '$[*]', response: null, expected: [] },
  ])('$path', ({ path, response, expected }) => {
    expect(applyResponseFilter(response, path)).toStrictEqual(expected);
  });
});

describe('dataTypeFromFilter (parseMLResultDataTypeFromResponseFilter)', () => {
  it.for([
    ['$.embeddings.int8', 'INT8'],
    ['$.embeddings.uint8', 'UINT8'],
    ['$.embeddings.binary', 'BINARY'],
    ['$.embeddings.ubinary', 'UBINARY'],
    ['$.embeddingsByType.binary', 'BINARY'],
    ['$.embeddings.float', 'FLOAT32'],
    ['$.data[*].embedding', 'FLOAT32'],
    ['$.Embeddings.INT8', 'INT8'],
    ['$.result.float16', 'FLOAT16'],
    ['$.result.float64[*]', 'FLOAT64'],
    ['$.int8_values', 'INT8'],
    ['$.embedding', 'FLOAT32'],
  ] as const)('%s → %s', ([path, expected]) => {
    expect(dataTypeFromFilter(path)).toBe(expected);
  });
});

describe('applyResponseFilter: simple paths evaluated directly, as jsonpath-plus evaluates them', () => {
  const documents: unknown[] = [
    { a: null },
    { a: [1, 2] },
    { a: { x: 1, y: [2] } },
    { a: [{ b: 1 }] },
    { data: [{ embedding: [1] }, { x: 2 }, { embedding: null }] },
    [1, 2],
    5,
    { a: 'str' },
    { a: { b: { c: [{ d: 1 }, { d: [2, 3] }] } } },
    { data: { x: { embedding: 1 }, y: { embedding: 2 } } },
    { embeddings: { float: [[1], [2]] } },
  ];
  const paths = ['$', '$.a', '$.a[*]', '$.a.b', '$.data[*].embedding', '$[*]', '$.a.b.c[*].d', '$.a.b.c[*].d[*]', '$.data[*]', '$.embeddings.float', '$.embeddings.float[*]', '$[*][*]', '$.a.length'];
  it.each(paths)('%s', (path) => {
    const indefinite = path.includes('*');
    for (const json of documents) {
      const found = JSONPath({ path, json: json as object, wrap: true }) as unknown[];
      const expected = indefinite ? found : found.length === 0 ? undefined : found[0];
      expect(applyResponseFilter(json, path), JSON.stringify(json)).toEqual(expected);
    }
  });
});

