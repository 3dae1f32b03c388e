import { describe, expect, it } from 'vitest';
import { configError, run, runError } from './helpers.js';

describe('trim', () => {
  it.each([
    {
      name: 'the docs example trims raw_text into trimmed_text',
      options: { field: 'raw_text', target_field: 'trimmed_text' },
      input: { raw_text: '   Hello, world!   ' },
      expected: { raw_text: '   Hello, world!   ', trimmed_text: 'Hello, world!' },
    },
    {
      name: 'tabs, newlines and control characters',
      options: { field: 'a' },
      input: { a: '\t\n\u0001x y\r\n' },
      expected: { a: 'x y' },
    },
    {
      name: 'not other Unicode spaces, as Java',
      options: { field: 'a' },
      input: { a: '\u00a0x\u2003' },
      expected: { a: '\u00a0x\u2003' },
    },
    {
      name: 'every string of a list',
      options: { field: 'a' },
      input: { a: [' x ', 'y '] },
      expected: { a: ['x', 'y'] },
    },
    {
      name: 'ignore_missing',
      options: { field: 'missing', ignore_missing: true },
      input: { a: ' x ' },
      expected: { a: ' x ' },
    },
  ])('$name', async ({ options, input, expected }) => {
    expect(await run('trim', options, input)).toEqual(expected);
  });

  it('fails on a number', async () => {
    expect((await runError('trim', { field: 'a' }, { a: 1 })).reason).toBe(
      'field [a] of type [java.lang.Integer] cannot be cast to [java.lang.String]',
    );
  });

  it('refuses a non-string target_field', async () => {
    expect((await configError('trim', { field: 'a', target_field: ['b'] })).reason).toBe(
      "[target_field] property isn't a string, but of type [java.util.ArrayList]",
    );
  });
});
