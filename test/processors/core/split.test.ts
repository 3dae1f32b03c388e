import { describe, expect, it } from 'vitest';
import { configError, run, runError } from './helpers.js';

describe('split', () => {
  it.each([
    {
      name: 'the docs example splits log_message on commas',
      options: { field: 'log_message', separator: ',', target_field: 'log_parts' },
      input: { log_message: 'error,warning,info' },
      expected: { log_message: 'error,warning,info', log_parts: ['error', 'warning', 'info'] },
    },
    {
      name: 'a regular expression',
      options: { field: 'a', separator: '\\s+' },
      input: { a: 'one  two\tthree' },
      expected: { a: ['one', 'two', 'three'] },
    },
    {
      name: 'a regex metacharacter escaped',
      options: { field: 'a', separator: '\\|' },
      input: { a: 'a|b' },
      expected: { a: ['a', 'b'] },
    },
    {
      name: 'trailing empty strings dropped',
      options: { field: 'a', separator: ',' },
      input: { a: 'a,,b,,' },
      expected: { a: ['a', '', 'b'] },
    },
    {
      name: 'preserve_trailing keeps them',
      options: { field: 'a', separator: ',', preserve_trailing: true },
      input: { a: 'a,,b,,' },
      expected: { a: ['a', '', 'b', '', ''] },
    },
    {
      name: 'no separator gives one element',
      options: { field: 'a', separator: ',' },
      input: { a: 'abc' },
      expected: { a: ['abc'] },
    },
    {
      name: 'an empty string',
      options: { field: 'a', separator: ',' },
      input: { a: '' },
      expected: { a: [''] },
    },
    {
      name: 'case-insensitive inline flag',
      options: { field: 'a', separator: '(?i)x' },
      input: { a: 'AxbXc' },
      expected: { a: ['A', 'b', 'c'] },
    },
    {
      name: 'ignore_missing',
      options: { field: 'missing', separator: ',', ignore_missing: true },
      input: { a: 'x' },
      expected: { a: 'x' },
    },
    {
      name: 'ignore_missing on null',
      options: { field: 'a', separator: ',', ignore_missing: true },
      input: { a: null },
      expected: { a: null },
    },
  ])('$name', async ({ options, input, expected }) => {
    expect(await run('split', options, input)).toEqual(expected);
  });

  it.each([
    {
      name: 'a missing field',
      field: 'missing',
      reason: 'field [missing] not present as part of path [missing]',
    },
    { name: 'a null field', field: 'empty', reason: 'field [empty] is null, cannot split.' },
    {
      name: 'a list',
      field: 'list',
      reason: 'field [list] of type [java.util.ArrayList] cannot be cast to [java.lang.String]',
    },
  ])('fails on $name', async ({ field, reason }) => {
    expect(
      await runError('split', { field, separator: ',' }, { empty: null, list: ['a,b'] }),
    ).toMatchObject({ status: 400, type: 'illegal_argument_exception', reason });
  });

  it('fails a document on a separator that is not a valid pattern, as String.split does', async () => {
    const error = await runError('split', { field: 'a', separator: '(' }, { a: 'x' });
    expect(error).toMatchObject({ status: 400, type: 'pattern_syntax_exception' });
    expect(error.reason).toMatch(/^invalid regular expression \[\(\]/);
  });

  it.each([
    { options: { field: 'a' }, reason: '[separator] required property is missing' },
    { options: { separator: ',' }, reason: '[field] required property is missing' },
    {
      options: { field: 'a', separator: ',', preserve_trailing: 'true' },
      reason: "[preserve_trailing] property isn't a boolean, but of type [java.lang.String]",
    },
  ])('refuses $options', async ({ options, reason }) => {
    expect((await configError('split', options)).reason).toBe(reason);
  });
});
