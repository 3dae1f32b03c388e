import { describe, expect, it } from 'vitest';
import { configError, create, ingestDocument, run, runError } from './helpers.js';

const logLine = '192.168.1.10 - - [03/Nov/2023:15:20:45 +0000] "POST /login HTTP/1.1" 200 3456';

describe('rename', () => {
  it.each([
    {
      name: 'the docs example moves message.content to the root',
      options: { field: 'message.content', target_field: 'content' },
      input: { message: { type: 'nginx', content: logLine } },
      expected: { message: { type: 'nginx' }, content: logLine },
    },
    {
      name: 'into a new object',
      options: { field: 'a', target_field: 'b.c' },
      input: { a: [1] },
      expected: { b: { c: [1] } },
    },
    {
      name: 'a null value',
      options: { field: 'a', target_field: 'b' },
      input: { a: null },
      expected: { b: null },
    },
    {
      name: 'templated names',
      options: { field: '{{from}}', target_field: '{{to}}' },
      input: { from: 'x', to: 'y', x: 1 },
      expected: { from: 'x', to: 'y', y: 1 },
    },
    {
      name: 'ignore_missing',
      options: { field: 'missing', target_field: 'b', ignore_missing: true },
      input: { a: 1 },
      expected: { a: 1 },
    },
    {
      name: 'override_target replaces',
      options: { field: 'a', target_field: 'b', override_target: true },
      input: { a: 1, b: 2 },
      expected: { b: 1 },
    },
  ])('$name', async ({ options, input, expected }) => {
    expect(await run('rename', options, input)).toEqual(expected);
  });

  it.each([
    {
      name: 'a missing field',
      options: { field: 'missing', target_field: 'b' },
      reason: "field [missing] doesn't exist",
    },
    {
      name: 'an empty rendered field',
      options: { field: '{{nothing}}', target_field: 'b' },
      reason: 'field path cannot be null nor empty',
    },
    {
      name: 'an existing target',
      options: { field: 'a', target_field: 'b' },
      reason: 'field [b] already exists',
    },
    {
      name: 'an index past the end, even with ignore_missing',
      options: { field: 'list.5', target_field: 'x', ignore_missing: true },
      reason: '[5] is out of bounds for array with length [2] as part of path [list.5]',
    },
    {
      name: 'a target index past the end',
      options: { field: 'a', target_field: 'list.3', override_target: true },
      reason: '[3] is out of bounds for array with length [2] as part of path [list.3]',
    },
  ])('fails on $name', async ({ options, reason }) => {
    expect(await runError('rename', options, { a: 1, b: 2, list: [1, 2] })).toMatchObject({
      status: 400,
      type: 'illegal_argument_exception',
      reason,
    });
  });

  it('puts the field back when the target cannot be written', async () => {
    const error = await runError(
      'rename',
      { field: 'a', target_field: 's.x' },
      { a: 1, s: 'text' },
    );
    expect(error.reason).toBe(
      'cannot set [x] with parent object of type [java.lang.String] as part of path [s.x]',
    );
  });

  it('leaves the document as it was after a failure', async () => {
    const document = ingestDocument({ a: 1, s: 'text' });
    await expect(
      create('rename', { field: 'a', target_field: 's.x' }).execute(document),
    ).rejects.toThrow();
    expect(document.source()).toEqual({ a: 1, s: 'text' });
  });

  it.each([
    { options: { field: 'a' }, reason: '[target_field] required property is missing' },
    { options: { target_field: 'a' }, reason: '[field] required property is missing' },
    {
      options: { field: 'a', target_field: 'b', override_target: 1 },
      reason: "[override_target] property isn't a boolean, but of type [java.lang.Integer]",
    },
  ])('refuses $options', async ({ options, reason }) => {
    expect((await configError('rename', options)).reason).toBe(reason);
  });
});
