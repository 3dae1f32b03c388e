import { describe, expect, it } from 'vitest';
import { configError, create, ingestDocument, run, runError } from './helpers.js';

describe('copy', () => {
  it.each([
    {
      // OpenSearch's code leaves the emptied parent object behind, which the docs' response omits.
      name: 'the docs example copies message.content to the root and removes the source',
      options: {
        source_field: 'message.content',
        target_field: 'content',
        ignore_missing: true,
        override_target: true,
        remove_source: true,
      },
      input: { message: { content: { foo: 'bar', zoo: [1, 2, 3] } } },
      expected: { message: {}, content: { foo: 'bar', zoo: [1, 2, 3] } },
    },
    {
      name: 'a scalar',
      options: { source_field: 'a', target_field: 'b' },
      input: { a: 1 },
      expected: { a: 1, b: 1 },
    },
    {
      name: 'into a null target',
      options: { source_field: 'a', target_field: 'b' },
      input: { a: 1, b: null },
      expected: { a: 1, b: 1 },
    },
    {
      name: 'override_target',
      options: { source_field: 'a', target_field: 'b', override_target: true },
      input: { a: 1, b: 2 },
      expected: { a: 1, b: 1 },
    },
    {
      name: 'templated names',
      options: { source_field: '{{from}}', target_field: '{{from}}_copy' },
      input: { from: 'x', x: [1] },
      expected: { from: 'x', x: [1], x_copy: [1] },
    },
    {
      name: 'ignore_missing',
      options: { source_field: 'missing', target_field: 'b', ignore_missing: true },
      input: { a: 1 },
      expected: { a: 1 },
    },
  ])('$name', async ({ options, input, expected }) => {
    expect(await run('copy', options, input)).toEqual(expected);
  });

  it('copies deeply', async () => {
    const document = ingestDocument({ a: { list: [1] } });
    await create('copy', { source_field: 'a', target_field: 'b' }).execute(document);
    (document.getField('b.list') as number[]).push(2);
    expect(document.getField('a.list')).toEqual([1]);
  });

  it.each([
    {
      name: 'a missing source',
      options: { source_field: 'missing', target_field: 'b' },
      reason: "source field [missing] doesn't exist",
    },
    {
      name: 'an empty source path',
      options: { source_field: '{{nothing}}', target_field: 'b' },
      reason: 'source field path cannot be null nor empty',
    },
    {
      name: 'an empty target path',
      options: { source_field: 'a', target_field: '{{nothing}}' },
      reason: 'target field path cannot be null nor empty',
    },
    {
      name: 'the same path',
      options: { source_field: 'a', target_field: 'a' },
      reason: 'source field path and target field path cannot be same',
    },
    {
      name: 'an existing target',
      options: { source_field: 'a', target_field: 'b' },
      reason: 'target field [b] already exists',
    },
  ])('fails on $name', async ({ options, reason }) => {
    expect(await runError('copy', options, { a: 1, b: 2 })).toMatchObject({
      status: 400,
      type: 'illegal_argument_exception',
      reason,
    });
  });

  it.each([
    { options: { target_field: 'b' }, reason: '[source_field] required property is missing' },
    { options: { source_field: 'a' }, reason: '[target_field] required property is missing' },
    {
      options: { source_field: 'a', target_field: 'b', remove_source: 'yes' },
      reason: "[remove_source] property isn't a boolean, but of type [java.lang.String]",
    },
  ])('refuses $options', async ({ options, reason }) => {
    expect((await configError('copy', options)).reason).toBe(reason);
  });
});
