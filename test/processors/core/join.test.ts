import { describe, expect, it } from 'vitest';
import { configError, run, runError } from './helpers.js';

describe('join', () => {
  it.each([
    {
      name: 'the docs example joins uri with /',
      options: { field: 'uri', separator: '/' },
      input: { uri: ['app', 'home', 'overview'] },
      expected: { uri: 'app/home/overview' },
    },
    {
      name: 'into target_field',
      options: { field: 'a', separator: '-', target_field: 'b' },
      input: { a: ['x', 'y'] },
      expected: { a: ['x', 'y'], b: 'x-y' },
    },
    {
      name: 'values printed as Java prints them',
      options: { field: 'a', separator: ',' },
      input: { a: [1, 1.5, true, ['x'], { k: 'v' }] },
      expected: { a: '1,1.5,true,[x],{k=v}' },
    },
    {
      name: 'an empty separator',
      options: { field: 'a', separator: '' },
      input: { a: ['x', 'y'] },
      expected: { a: 'xy' },
    },
    {
      name: 'an empty list',
      options: { field: 'a', separator: ',' },
      input: { a: [] },
      expected: { a: '' },
    },
  ])('$name', async ({ options, input, expected }) => {
    expect(await run('join', options, input)).toEqual(expected);
  });

  it.each([
    { field: 'missing', reason: 'field [missing] not present as part of path [missing]' },
    { field: 'empty', reason: 'field [empty] is null, cannot join.' },
    {
      field: 'text',
      reason: 'field [text] of type [java.lang.String] cannot be cast to [java.util.List]',
    },
  ])('fails on $field', async ({ field, reason }) => {
    expect(
      await runError('join', { field, separator: ',' }, { empty: null, text: 'a,b' }),
    ).toMatchObject({ status: 400, reason });
  });

  it.each([
    { options: { field: 'a' }, reason: '[separator] required property is missing' },
    {
      options: { field: 'a', separator: ',', ignore_missing: true },
      reason:
        "processor [join] doesn't support one or more provided configuration parameters [ignore_missing]",
    },
  ])('refuses $options', async ({ options, reason }) => {
    expect((await configError('join', options)).reason).toBe(reason);
  });
});
