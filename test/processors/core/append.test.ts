import { describe, expect, it } from 'vitest';
import { configError, run } from './helpers.js';

describe('append', () => {
  it.each([
    {
      name: 'the docs example creates event_types',
      options: { field: 'event_types', value: ['page_view'] },
      input: {},
      expected: { event_types: ['page_view'] },
    },
    {
      name: 'to an existing list',
      options: { field: 'tags', value: 'c' },
      input: { tags: ['a', 'b'] },
      expected: { tags: ['a', 'b', 'c'] },
    },
    {
      name: 'each value of a list',
      options: { field: 'tags', value: ['c', 'd'] },
      input: { tags: ['a'] },
      expected: { tags: ['a', 'c', 'd'] },
    },
    {
      name: 'a scalar becomes a list',
      options: { field: 'tag', value: 'b' },
      input: { tag: 'a' },
      expected: { tag: ['a', 'b'] },
    },
    {
      name: 'a null becomes a list',
      options: { field: 'tag', value: 'b' },
      input: { tag: null },
      expected: { tag: [null, 'b'] },
    },
    {
      name: 'a templated value',
      options: { field: 'tags', value: '{{{user}}}-{{{env}}}' },
      input: { user: 'ada', env: 'prod' },
      expected: { user: 'ada', env: 'prod', tags: ['ada-prod'] },
    },
    {
      name: 'a templated field',
      options: { field: '{{kind}}s', value: 1 },
      input: { kind: 'hit' },
      expected: { kind: 'hit', hits: [1] },
    },
    {
      name: 'into a new nested object',
      options: { field: 'a.b', value: 1 },
      input: {},
      expected: { a: { b: [1] } },
    },
    {
      name: 'duplicates by default',
      options: { field: 'tags', value: 'a' },
      input: { tags: ['a'] },
      expected: { tags: ['a', 'a'] },
    },
    {
      name: 'allow_duplicates false skips values already there',
      options: { field: 'tags', value: ['a', 'c'], allow_duplicates: false },
      input: { tags: ['a', 'b'] },
      expected: { tags: ['a', 'b', 'c'] },
    },
    {
      name: 'allow_duplicates false leaves a scalar alone when nothing is added',
      options: { field: 'tag', value: 'a', allow_duplicates: false },
      input: { tag: 'a' },
      expected: { tag: 'a' },
    },
    {
      name: 'allow_duplicates false compares maps regardless of key order',
      options: { field: 'items', value: { b: 2, a: 1 }, allow_duplicates: false },
      input: { items: [{ a: 1, b: 2 }] },
      expected: { items: [{ a: 1, b: 2 }] },
    },
    {
      name: 'allow_duplicates false keeps repeats in the values of a new field',
      options: { field: 'tags', value: ['a', 'a'], allow_duplicates: false },
      input: {},
      expected: { tags: ['a', 'a'] },
    },
    {
      name: 'an empty list still turns a scalar into a list',
      options: { field: 'tag', value: [] },
      input: { tag: 'a' },
      expected: { tag: ['a'] },
    },
  ])('$name', async ({ options, input, expected }) => {
    expect(await run('append', options, input)).toEqual(expected);
  });

  it.each([
    { options: { field: 'a' }, reason: '[value] required property is missing' },
    { options: { field: 'a', value: null }, reason: '[value] required property is missing' },
    { options: { value: 1 }, reason: '[field] required property is missing' },
    {
      options: { field: 'a', value: 1, allow_duplicates: 'no' },
      reason: "[allow_duplicates] property isn't a boolean, but of type [java.lang.String]",
    },
  ])('refuses $options', async ({ options, reason }) => {
    expect(await configError('append', options)).toMatchObject({
      type: 'parse_exception',
      reason,
      extra: { processor_type: 'append' },
    });
  });
});
