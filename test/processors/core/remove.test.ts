import { describe, expect, it } from 'vitest';
import { configError, create, errorOf, ingestDocument, run, runError } from './helpers.js';

describe('remove', () => {
  it.each([
    {
      name: 'the docs example removes ip_address',
      options: { field: 'ip_address' },
      input: { ip_address: '203.0.113.1', name: 'John Doe' },
      expected: { name: 'John Doe' },
    },
    {
      name: 'a list of fields',
      options: { field: ['a', 'b'] },
      input: { a: 1, b: 2, c: 3 },
      expected: { c: 3 },
    },
    {
      name: 'a nested field',
      options: { field: 'a.b' },
      input: { a: { b: 1, c: 2 } },
      expected: { a: { c: 2 } },
    },
    {
      name: 'a list element',
      options: { field: 'list.0' },
      input: { list: ['x', 'y'] },
      expected: { list: ['y'] },
    },
    {
      name: 'a templated name',
      options: { field: '{{which}}' },
      input: { which: 'a', a: 1 },
      expected: { which: 'a' },
    },
    { name: 'a null field', options: { field: 'a' }, input: { a: null, b: 1 }, expected: { b: 1 } },
    {
      name: 'ignore_missing skips a missing field',
      options: { field: ['missing', 'a'], ignore_missing: true },
      input: { a: 1, b: 2 },
      expected: { b: 2 },
    },
    {
      name: 'ignore_missing skips an empty rendered path',
      options: { field: '{{nothing}}', ignore_missing: true },
      input: { a: 1 },
      expected: { a: 1 },
    },
    {
      name: 'exclude_field keeps one field',
      options: { exclude_field: 'keep' },
      input: { keep: 1, drop: 2, other: { x: 1 } },
      expected: { keep: 1 },
    },
    {
      name: 'exclude_field keeps a list of fields',
      options: { exclude_field: ['a', '{{which}}'] },
      input: { a: 1, b: 2, which: 'b', c: 3 },
      expected: { a: 1, b: 2 },
    },
    {
      name: 'exclude_field names only top-level fields',
      options: { exclude_field: 'user.name' },
      input: { user: { name: 'x' }, other: 1 },
      expected: {},
    },
    {
      name: 'exclude_field rendering empty removes nothing',
      options: { exclude_field: '{{nothing}}' },
      input: { a: 1 },
      expected: { a: 1 },
    },
  ])('$name', async ({ options, input, expected }) => {
    expect(await run('remove', options, input)).toEqual(expected);
  });

  it('keeps metadata fields with exclude_field', async () => {
    const document = ingestDocument({ keep: 1, drop: 2 }, { _routing: 'r' });
    await create('remove', { exclude_field: 'keep' }).execute(document);
    expect(document.sourceAndMetadata).toEqual({
      keep: 1,
      _index: 'my-index',
      _id: '1',
      _routing: 'r',
    });
  });

  it.each([
    {
      name: 'a missing field',
      options: { field: 'missing' },
      reason: "field [missing] doesn't exist",
    },
    {
      name: 'the second of two fields missing',
      options: { field: ['a', 'missing'] },
      reason: "field [missing] doesn't exist",
    },
    {
      name: 'an empty rendered path',
      options: { field: '{{nothing}}' },
      reason: 'field path cannot be null nor empty',
    },
    {
      name: '_index',
      options: { field: '_index' },
      reason: 'cannot remove metadata field [_index]',
    },
  ])('fails on $name', async ({ options, reason }) => {
    expect(await runError('remove', options, { a: 1 })).toMatchObject({
      status: 400,
      type: 'illegal_argument_exception',
      reason,
    });
  });

  it('refuses _version and _version_type, and _id with an external version', async () => {
    const metadata = { _version: 3, _version_type: 'external' };
    for (const field of ['_version', '_version_type']) {
      const error = await errorOf(() =>
        create('remove', { field }).execute(ingestDocument({}, metadata)),
      );
      expect(error.reason).toBe(`cannot remove metadata field [${field}]`);
    }
    const error = await errorOf(() =>
      create('remove', { field: '_id' }).execute(ingestDocument({}, metadata)),
    );
    expect(error.reason).toBe(
      'cannot remove metadata field [_id] when specifying external version for the document, version: 3, version_type: external',
    );
  });

  it('removes _id under internal versioning', async () => {
    const document = ingestDocument({ a: 1 }, { _version_type: 'internal' });
    await create('remove', { field: '_id' }).execute(document);
    expect(document.hasField('_id')).toBe(false);
  });

  it.each([
    { name: 'neither field nor exclude_field', options: {} },
    { name: 'both field and exclude_field', options: { field: 'a', exclude_field: 'b' } },
  ])('refuses $name', async ({ options }) => {
    expect(await configError('remove', options)).toMatchObject({
      type: 'parse_exception',
      reason: '[field] either field or exclude_field must be set',
      extra: { property_name: 'field', processor_type: 'remove' },
    });
  });

  it('refuses a field that is neither a string nor a list', async () => {
    expect((await configError('remove', { field: 5 })).reason).toBe(
      "[field] property isn't a string, but of type [java.lang.Integer]",
    );
  });
});
