import { describe, expect, it } from 'vitest';
import { configError, run, runError } from './helpers.js';

describe('gsub', () => {
  it.each([
    {
      name: 'the docs example replaces error with warning',
      options: { field: 'message', pattern: 'error', replacement: 'warning' },
      input: { message: 'This is an error message' },
      expected: { message: 'This is an warning message' },
    },
    {
      name: 'every match',
      options: { field: 'a', pattern: '\\.', replacement: '-' },
      input: { a: '1.2.3' },
      expected: { a: '1-2-3' },
    },
    {
      name: 'numbered groups',
      options: { field: 'a', pattern: '(\\w+)@(\\w+)', replacement: '$2 at $1' },
      input: { a: 'ada@example' },
      expected: { a: 'example at ada' },
    },
    {
      name: 'named groups',
      options: {
        field: 'a',
        pattern: '(?<year>\\d{4})-(?<month>\\d{2})',
        replacement: '${month}/${year}',
      },
      input: { a: '2024-05' },
      expected: { a: '05/2024' },
    },
    {
      name: 'an escaped dollar',
      options: { field: 'a', pattern: 'USD', replacement: '\\$' },
      input: { a: '5 USD' },
      expected: { a: '5 $' },
    },
    {
      name: 'every string of a list',
      options: { field: 'a', pattern: '\\d', replacement: '#' },
      input: { a: ['a1', 'b22'] },
      expected: { a: ['a#', 'b##'] },
    },
    {
      name: 'into target_field',
      options: { field: 'a', pattern: 'x', replacement: 'y', target_field: 'b' },
      input: { a: 'xx' },
      expected: { a: 'xx', b: 'yy' },
    },
    {
      name: 'ignore_missing',
      options: { field: 'missing', pattern: 'x', replacement: 'y', ignore_missing: true },
      input: { a: 'x' },
      expected: { a: 'x' },
    },
  ])('$name', async ({ options, input, expected }) => {
    expect(await run('gsub', options, input)).toEqual(expected);
  });

  it('fails on a group the pattern does not have, as Matcher.replaceAll does', async () => {
    expect(
      await runError('gsub', { field: 'a', pattern: '(x)', replacement: '$2' }, { a: 'x' }),
    ).toMatchObject({
      status: 500,
      type: 'index_out_of_bounds_exception',
      reason: 'No group 2',
    });
  });

  it('fails on a non-string field', async () => {
    expect(
      (await runError('gsub', { field: 'a', pattern: 'x', replacement: 'y' }, { a: 1 })).reason,
    ).toBe('field [a] of type [java.lang.Integer] cannot be cast to [java.lang.String]');
  });

  it('refuses a pattern that does not compile when the pipeline is built', async () => {
    const error = await configError('gsub', { field: 'a', pattern: '(', replacement: '' });
    expect(error).toMatchObject({
      type: 'parse_exception',
      extra: { property_name: 'pattern', processor_type: 'gsub' },
    });
    expect(error.reason).toMatch(
      /^\[pattern\] Invalid regex pattern\. invalid regular expression \[\(\]/,
    );
  });

  it.each([
    { options: { field: 'a', pattern: 'x' }, reason: '[replacement] required property is missing' },
    { options: { field: 'a', replacement: 'x' }, reason: '[pattern] required property is missing' },
  ])('refuses $options', async ({ options, reason }) => {
    expect((await configError('gsub', options)).reason).toBe(reason);
  });
});
