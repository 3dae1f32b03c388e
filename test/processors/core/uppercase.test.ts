import { describe, expect, it } from 'vitest';
import { configError, run, runError } from './helpers.js';

describe('uppercase', () => {
  it.each([
    {
      name: 'the docs example uppercases the name',
      options: { field: 'name' },
      input: { name: 'John' },
      expected: { name: 'JOHN' },
    },
    {
      name: 'every string of a list',
      options: { field: 'tags' },
      input: { tags: ['a', 'straße'] },
      expected: { tags: ['A', 'STRASSE'] },
    },
    {
      name: 'into target_field',
      options: { field: 'a', target_field: 'b' },
      input: { a: 'x' },
      expected: { a: 'x', b: 'X' },
    },
    {
      name: 'ignore_missing',
      options: { field: 'missing', ignore_missing: true },
      input: {},
      expected: {},
    },
  ])('$name', async ({ options, input, expected }) => {
    expect(await run('uppercase', options, input)).toEqual(expected);
  });

  it.each([
    { field: 'missing', reason: 'field [missing] not present as part of path [missing]' },
    {
      field: 'flag',
      reason: 'field [flag] of type [java.lang.Boolean] cannot be cast to [java.lang.String]',
    },
    {
      field: 'big',
      reason: 'field [big] of type [java.lang.Long] cannot be cast to [java.lang.String]',
    },
    {
      field: 'nested',
      reason:
        'value [[a]] of type [java.util.ArrayList] in list field [nested] cannot be cast to [java.lang.String]',
    },
  ])('fails on $field', async ({ field, reason }) => {
    expect(
      (await runError('uppercase', { field }, { flag: true, big: 2 ** 40, nested: [['a']] }))
        .reason,
    ).toBe(reason);
  });

  it('refuses an unknown option', async () => {
    expect((await configError('uppercase', { field: 'a', locale: 'tr' })).reason).toBe(
      "processor [uppercase] doesn't support one or more provided configuration parameters [locale]",
    );
  });
});
