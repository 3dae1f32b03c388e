import { describe, expect, it } from 'vitest';
import {
  TIMESTAMP,
  configError,
  create,
  errorOf,
  ingestDocument,
  run,
  runError,
} from './helpers.js';

describe('foreach', () => {
  it('runs the docs example: lowercases every protocol and leaves _ingest._value null', async () => {
    const document = ingestDocument({ protocols: ['HTTP', 'HTTPS', 'TCP', 'UDP'] });
    await create('foreach', {
      field: 'protocols',
      processor: { lowercase: { field: '_ingest._value' } },
    }).execute(document);
    expect(document.source()).toEqual({ protocols: ['http', 'https', 'tcp', 'udp'] });
    expect(document.ingestMetadata).toEqual({ _value: null, timestamp: TIMESTAMP });
  });

  it.each([
    {
      name: 'a nested uppercase',
      options: { field: 'tags', processor: { uppercase: { field: '_ingest._value' } } },
      input: { tags: ['a', 'b'] },
      expected: { tags: ['A', 'B'] },
    },
    {
      name: 'a nested set on objects, reading the element in a template',
      options: {
        field: 'items',
        processor: { set: { field: '_ingest._value.label', value: 'item {{_ingest._value.id}}' } },
      },
      input: { items: [{ id: 1 }, { id: 2 }] },
      expected: {
        items: [
          { id: 1, label: 'item 1' },
          { id: 2, label: 'item 2' },
        ],
      },
    },
    {
      name: 'a nested set replacing each element',
      options: {
        field: 'items',
        processor: { set: { field: '_ingest._value', value: '{{_ingest._value}}!' } },
      },
      input: { items: ['a', 'b'] },
      expected: { items: ['a!', 'b!'] },
    },
    {
      name: 'a nested processor writing elsewhere in the document',
      options: {
        field: 'tags',
        processor: { append: { field: 'seen', value: '{{_ingest._value}}' } },
      },
      input: { tags: ['x', 'y'] },
      expected: { tags: ['x', 'y'], seen: ['x', 'y'] },
    },
    {
      name: 'a nested foreach over lists of lists',
      options: {
        field: 'rows',
        processor: {
          foreach: {
            field: '_ingest._value',
            processor: { uppercase: { field: '_ingest._value' } },
          },
        },
      },
      input: { rows: [['a'], ['b', 'c']] },
      expected: { rows: [['A'], ['B', 'C']] },
    },
    {
      name: 'an empty list',
      options: { field: 'tags', processor: { uppercase: { field: '_ingest._value' } } },
      input: { tags: [] },
      expected: { tags: [] },
    },
    {
      name: 'ignore_missing on a missing field',
      options: {
        field: 'missing',
        ignore_missing: true,
        processor: { uppercase: { field: '_ingest._value' } },
      },
      input: { a: 1 },
      expected: { a: 1 },
    },
  ])('$name', async ({ options, input, expected }) => {
    expect(await run('foreach', options, input)).toEqual(expected);
  });

  it('puts back an outer _ingest._value', async () => {
    const document = ingestDocument({ tags: ['a'] });
    document.ingestMetadata['_value'] = 'outer';
    await create('foreach', {
      field: 'tags',
      processor: { uppercase: { field: '_ingest._value' } },
    }).execute(document);
    expect(document.ingestMetadata['_value']).toBe('outer');
  });

  it('drops the document when the nested processor drops it', async () => {
    const document = ingestDocument({ tags: ['a', 'b'] });
    expect(
      await create('foreach', { field: 'tags', processor: { drop: {} } }).execute(document),
    ).toBe('drop');
  });

  it('fails on the first failing element without writing the list back', async () => {
    const document = ingestDocument({ tags: ['a', 1, 'c'] });
    const error = await errorOf(() =>
      create('foreach', {
        field: 'tags',
        processor: { uppercase: { field: '_ingest._value' } },
      }).execute(document),
    );
    expect(error.reason).toBe(
      'field [_ingest._value] of type [java.lang.Integer] cannot be cast to [java.lang.String]',
    );
    expect(document.source()).toEqual({ tags: ['a', 1, 'c'] });
  });

  it.each([
    {
      name: 'a missing field',
      input: {},
      reason: 'field [tags] not present as part of path [tags]',
    },
    {
      name: 'a null field',
      input: { tags: null },
      reason: 'field [tags] is null, cannot loop over its elements.',
    },
    {
      name: 'a string',
      input: { tags: 'a' },
      reason: 'field [tags] of type [java.lang.String] cannot be cast to [java.util.List]',
    },
  ])('fails on $name', async ({ input, reason }) => {
    expect(
      await runError(
        'foreach',
        { field: 'tags', processor: { uppercase: { field: '_ingest._value' } } },
        input,
      ),
    ).toMatchObject({ status: 400, reason });
  });

  it.each([
    {
      options: { field: 'a', processor: {} },
      reason: '[processor] Must specify exactly one processor type',
    },
    {
      options: { field: 'a', processor: { uppercase: { field: 'x' }, lowercase: { field: 'x' } } },
      reason: '[processor] Must specify exactly one processor type',
    },
    {
      options: { field: 'a', processor: 'uppercase' },
      reason: "[processor] property isn't a map, but of type [java.lang.String]",
    },
    { options: { processor: { drop: {} } }, reason: '[field] required property is missing' },
  ])('refuses $options', async ({ options, reason }) => {
    expect(await configError('foreach', options)).toMatchObject({
      type: 'parse_exception',
      reason,
      extra: { processor_type: 'foreach' },
    });
  });

  it('validates the nested processor when the pipeline is built', async () => {
    expect(
      await configError('foreach', { field: 'a', processor: { uppercase: {} } }),
    ).toMatchObject({
      reason: '[field] required property is missing',
      extra: { processor_type: 'uppercase' },
    });
  });
});
