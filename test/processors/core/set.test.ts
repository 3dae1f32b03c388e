import { describe, expect, it } from 'vitest';
import { TIMESTAMP, configError, create, ingestDocument, run, runError } from './helpers.js';

describe('set', () => {
  it.each([
    {
      name: 'the docs example adds new_field',
      options: { field: 'new_field', value: 'some_value' },
      input: { existing_field: 'value' },
      expected: { existing_field: 'value', new_field: 'some_value' },
    },
    {
      name: 'override replaces by default',
      options: { field: 'a', value: 2 },
      input: { a: 1 },
      expected: { a: 2 },
    },
    {
      name: 'override false keeps a value',
      options: { field: 'a', value: 2, override: false },
      input: { a: 1 },
      expected: { a: 1 },
    },
    {
      name: 'override false fills a null',
      options: { field: 'a', value: 2, override: false },
      input: { a: null },
      expected: { a: 2 },
    },
    {
      name: 'override false fills a missing field',
      options: { field: 'a', value: 2, override: false },
      input: {},
      expected: { a: 2 },
    },
    {
      name: 'creates intermediate objects',
      options: { field: 'a.b.c', value: true },
      input: {},
      expected: { a: { b: { c: true } } },
    },
    {
      name: 'sets a list element',
      options: { field: 'list.1', value: 'x' },
      input: { list: ['a', 'b'] },
      expected: { list: ['a', 'x'] },
    },
    {
      name: 'triple braces insert raw values',
      options: { field: 'full', value: '{{{first}}} {{{last}}}' },
      input: { first: 'John', last: 'Doe' },
      expected: { first: 'John', last: 'Doe', full: 'John Doe' },
    },
    {
      name: 'double braces JSON-escape, as the json media type does',
      options: { field: 'copy', value: '{{quote}}' },
      input: { quote: 'say "hi"' },
      expected: { quote: 'say "hi"', copy: 'say \\"hi\\"' },
    },
    {
      name: 'a templated field name',
      options: { field: '{{service}}_status', value: 'up' },
      input: { service: 'web' },
      expected: { service: 'web', web_status: 'up' },
    },
    {
      name: 'any JSON value, templated inside (map keys too)',
      options: { field: 'out', value: { list: [1, { inner: '{{x}}' }], '{{k}}': true, n: null } },
      input: { x: 'X', k: 'key' },
      expected: { x: 'X', k: 'key', out: { list: [1, { inner: 'X' }], key: true, n: null } },
    },
    { name: 'a number', options: { field: 'n', value: 5 }, input: {}, expected: { n: 5 } },
    {
      name: 'a template always gives a string',
      options: { field: 'n', value: '{{count}}' },
      input: { count: 5 },
      expected: { count: 5, n: '5' },
    },
    {
      name: '_source in a template',
      options: { field: 'b', value: '{{_source.a.b}}' },
      input: { a: { b: 'deep' } },
      expected: { a: { b: 'deep' }, b: 'deep' },
    },
    {
      name: '_ingest.timestamp in a template',
      options: { field: 'at', value: '{{_ingest.timestamp}}' },
      input: {},
      expected: { at: TIMESTAMP },
    },
    {
      name: 'a missing field renders empty',
      options: { field: 'a', value: 'x{{missing}}y' },
      input: {},
      expected: { a: 'xy' },
    },
    {
      name: 'ignore_empty_value skips a template that renders empty',
      options: { field: 'a', value: '{{missing}}', ignore_empty_value: true },
      input: {},
      expected: {},
    },
    {
      name: 'ignore_empty_value still sets a literal empty string (only templates count)',
      options: { field: 'a', value: '', ignore_empty_value: true },
      input: {},
      expected: { a: '' },
    },
    {
      name: 'copy_from deep-copies another field',
      options: { field: 'b', copy_from: 'a' },
      input: { a: { list: [1, 2] } },
      expected: { a: { list: [1, 2] }, b: { list: [1, 2] } },
    },
    {
      name: 'copy_from with ignore_empty_value skips a missing field',
      options: { field: 'b', copy_from: 'missing', ignore_empty_value: true },
      input: { a: 1 },
      expected: { a: 1 },
    },
    {
      name: 'copy_from with ignore_empty_value skips an empty string',
      options: { field: 'b', copy_from: 'a', ignore_empty_value: true },
      input: { a: '' },
      expected: { a: '' },
    },
    {
      name: 'copy_from respects override false',
      options: { field: 'b', copy_from: 'a', override: false },
      input: { a: 1, b: 2 },
      expected: { a: 1, b: 2 },
    },
  ])('$name', async ({ options, input, expected }) => {
    expect(await run('set', options, input)).toEqual(expected);
  });

  it('copies, so changing the copy leaves the source alone', async () => {
    const document = ingestDocument({ a: { list: [1] } });
    await create('set', { field: 'b', copy_from: 'a' }).execute(document);
    (document.getField('b.list') as number[]).push(2);
    expect(document.getField('a')).toEqual({ list: [1] });
  });

  it('gives each document its own copy of a configured object', async () => {
    const processor = create('set', { field: 'b', value: { list: [1] } });
    const first = ingestDocument({});
    const second = ingestDocument({});
    await processor.execute(first);
    await processor.execute(second);
    (first.getField('b.list') as number[]).push(2);
    expect(second.getField('b')).toEqual({ list: [1] });
  });

  it('writes into _ingest metadata', async () => {
    const document = ingestDocument({});
    await create('set', { field: '_ingest.seen', value: true }).execute(document);
    expect(document.ingestMetadata).toEqual({ timestamp: TIMESTAMP, seen: true });
    expect(document.source()).toEqual({});
  });

  it.each([
    {
      name: 'a missing copy_from field',
      options: { field: 'b', copy_from: 'a' },
      reason: 'field [a] not present as part of path [a]',
    },
    {
      name: 'an empty copy_from',
      options: { field: 'b', copy_from: '' },
      reason: 'copy_from cannot be empty',
    },
    {
      name: 'a path through a string',
      options: { field: 's.x', value: 1 },
      reason: 'cannot set [x] with parent object of type [java.lang.String] as part of path [s.x]',
    },
  ])('fails on $name', async ({ options, reason }) => {
    expect(await runError('set', options, { s: 'text' })).toMatchObject({
      status: 400,
      type: 'illegal_argument_exception',
      reason,
    });
  });

  it.each([
    {
      name: 'no field',
      options: { value: 1 },
      reason: '[field] required property is missing',
      property: 'field',
    },
    {
      name: 'a non-string field',
      options: { field: 5, value: 1 },
      reason: "[field] property isn't a string, but of type [java.lang.Integer]",
      property: 'field',
    },
    {
      name: 'no value',
      options: { field: 'a' },
      reason: '[value] required property is missing',
      property: 'value',
    },
    {
      name: 'a null value',
      options: { field: 'a', value: null },
      reason: '[value] required property is missing',
      property: 'value',
    },
    {
      name: 'value and copy_from',
      options: { field: 'a', value: 1, copy_from: 'b' },
      reason: '[copy_from] either copy_from or value can be set',
      property: 'copy_from',
    },
    {
      name: 'a non-boolean override',
      options: { field: 'a', value: 1, override: 'no' },
      reason: "[override] property isn't a boolean, but of type [java.lang.String]",
      property: 'override',
    },
  ])('refuses $name', async ({ options, reason, property }) => {
    expect(await configError('set', options)).toMatchObject({
      status: 400,
      type: 'parse_exception',
      reason,
      extra: { property_name: property, processor_type: 'set' },
    });
  });

  it('refuses an unknown option', async () => {
    expect(
      await configError('set', { field: 'a', value: 1, media_type: 'text/plain' }),
    ).toMatchObject({
      reason:
        "processor [set] doesn't support one or more provided configuration parameters [media_type]",
    });
  });

  it('refuses a template that does not parse, when the pipeline is built', async () => {
    expect(await configError('set', { field: 'a', value: '{{#open}}' })).toMatchObject({
      status: 400,
      type: 'script_exception',
      reason: "Failed to close 'open' tag @[query-template:1]",
      extra: { property_name: 'value', processor_type: 'set' },
    });
  });
});
