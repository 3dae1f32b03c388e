import { describe, expect, it } from 'vitest';
import { configError, run, runError } from './helpers.js';

describe('lowercase', () => {
  it.each([
    {
      name: 'the docs example lowercases the title',
      options: { field: 'title' },
      input: { title: 'WAR AND PEACE' },
      expected: { title: 'war and peace' },
    },
    {
      name: 'every string of a list',
      options: { field: 'tags' },
      input: { tags: ['A', 'bC'] },
      expected: { tags: ['a', 'bc'] },
    },
    {
      name: 'into target_field',
      options: { field: 'a', target_field: 'b.c' },
      input: { a: 'ÉCOLE' },
      expected: { a: 'ÉCOLE', b: { c: 'école' } },
    },
    {
      name: 'ignore_missing on a missing field',
      options: { field: 'missing', ignore_missing: true },
      input: { a: 'X' },
      expected: { a: 'X' },
    },
    {
      name: 'ignore_missing on a null field',
      options: { field: 'a', ignore_missing: true },
      input: { a: null },
      expected: { a: null },
    },
  ])('$name', async ({ options, input, expected }) => {
    expect(await run('lowercase', options, input)).toEqual(expected);
  });

  it.each([
    {
      name: 'a missing field',
      field: 'missing',
      reason: 'field [missing] not present as part of path [missing]',
    },
    { name: 'a null field', field: 'empty', reason: 'field [empty] is null, cannot process it.' },
    {
      name: 'a number',
      field: 'number',
      reason: 'field [number] of type [java.lang.Integer] cannot be cast to [java.lang.String]',
    },
    {
      name: 'an object',
      field: 'object',
      reason:
        'field [object] of type [java.util.LinkedHashMap] cannot be cast to [java.lang.String]',
    },
    {
      name: 'a number in a list',
      field: 'mixed',
      reason:
        'value [1.5] of type [java.lang.Double] in list field [mixed] cannot be cast to [java.lang.String]',
    },
  ])('fails on $name', async ({ field, reason }) => {
    const source = { empty: null, number: 3, object: { a: 'A' }, mixed: ['A', 1.5] };
    expect(await runError('lowercase', { field }, source)).toMatchObject({
      status: 400,
      type: 'illegal_argument_exception',
      reason,
    });
  });

  it('fails on a wrong type even with ignore_missing', async () => {
    expect(
      (await runError('lowercase', { field: 'n', ignore_missing: true }, { n: 1 })).reason,
    ).toBe('field [n] of type [java.lang.Integer] cannot be cast to [java.lang.String]');
  });

  it('refuses a missing field option', async () => {
    expect(await configError('lowercase', { target_field: 'x' })).toMatchObject({
      reason: '[field] required property is missing',
      extra: { processor_type: 'lowercase' },
    });
  });
});
