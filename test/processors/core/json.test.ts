import { describe, expect, it } from 'vitest';
import { readFirstJsonValue } from '../../../src/processors/core/json-reader.js';
import { configError, create, ingestDocument, run, runError } from './helpers.js';

const parse = async (text: unknown, options: Record<string, unknown> = {}) =>
  ((await run('json', { field: 'raw', ...options }, { raw: text })) as { raw: unknown }).raw;

describe('json', () => {
  it('runs the docs example: raw_data parsed into parsed_data', async () => {
    const raw = '{"name":"John","age":30,"city":"New York"}';
    expect(
      await run('json', { field: 'raw_data', target_field: 'parsed_data' }, { raw_data: raw }),
    ).toEqual({
      raw_data: raw,
      parsed_data: { name: 'John', age: 30, city: 'New York' },
    });
  });

  it.each([
    ['an object', '{"a":{"b":[1,2.5,true,null]}}', { a: { b: [1, 2.5, true, null] } }],
    ['a list', '[1, "x"]', [1, 'x']],
    ['a string', '"text"', 'text'],
    ['a number', '-1.5e2', -150],
    ['a boolean', 'true', true],
    ['null', 'null', null],
    ['an empty string, as null', '', null],
    ['blank text, as null', '  \n ', null],
    ['only the first value', '123 "foo"', 123],
    ['an object followed by text', '{"a":1} trailing', { a: 1 }],
    ['comments', '/* c */ {"a": // c\n 1}', { a: 1 }],
    ['escapes', '"a\\"b\\\\c\\n\\u00e9\\/"', 'a"b\\c\né/'],
    ['a number field, through its text', 5, 5],
    ['a __proto__ key, as data', '{"__proto__":{"x":1}}', JSON.parse('{"__proto__":{"x":1}}')],
  ])('parses %s', async (_name, text, expected) => {
    expect(await parse(text)).toEqual(expected);
  });

  it('lets the last duplicate key win with allow_duplicate_keys', async () => {
    expect(await parse('{"a":1,"a":2}', { allow_duplicate_keys: true })).toEqual({ a: 2 });
  });

  it.each([
    [
      'an unknown token',
      'foo',
      "Unrecognized token 'foo': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
      1,
    ],
    ['a duplicate key', '{"a":1,"a":2}', "Duplicate field 'a'", 11],
    [
      'an unquoted key',
      '{a:1}',
      "Unexpected character ('a' (code 97)): was expecting double-quote to start field name",
      2,
    ],
    [
      'a missing colon',
      '{"a" 1}',
      "Unexpected character ('1' (code 49)): was expecting a colon to separate field name and value",
      6,
    ],
    [
      'a missing comma',
      '[1 2]',
      "Unexpected character ('2' (code 50)): was expecting comma to separate Array entries",
      4,
    ],
    [
      'an unclosed object',
      '{"a":1',
      'Unexpected end-of-input: expected close marker for Object',
      7,
    ],
    [
      'an unclosed string',
      '"abc',
      'Unexpected end-of-input: was expecting closing quote for a string value',
      5,
    ],
    ['a leading zero', '01', 'Invalid numeric value: Leading zeroes not allowed', 1],
    ['a number run into text', '123abc', 'Expected space separating root-level values', 1],
    [
      'a map field, through its Java text',
      { a: 1 },
      "Unexpected character ('a' (code 97)): was expecting double-quote to start field name",
      2,
    ],
  ])('fails on %s', async (_name, text, message, column) => {
    const error = await runError('json', { field: 'raw' }, { raw: text });
    expect(error).toMatchObject({
      status: 400,
      type: 'illegal_argument_exception',
      reason: `com.fasterxml.jackson.core.JsonParseException: ${message}\n at [line: 1, column: ${column}]`,
    });
  });

  it('fails on a missing field', async () => {
    expect((await runError('json', { field: 'missing' }, {})).reason).toBe(
      'field [missing] not present as part of path [missing]',
    );
  });

  it('adds an object to the root, replacing conflicting fields', async () => {
    const input = { raw: '{"a":{"y":2},"b":3}', a: { x: 1 }, c: 4 };
    expect(await run('json', { field: 'raw', add_to_root: true }, input)).toEqual({
      raw: input.raw,
      a: { y: 2 },
      b: 3,
      c: 4,
    });
  });

  it('merges objects into the root with the merge strategy', async () => {
    const input = { raw: '{"a":{"y":2,"z":{"q":1}},"b":3}', a: { x: 1, z: 'scalar' } };
    expect(
      await run(
        'json',
        { field: 'raw', add_to_root: true, add_to_root_conflict_strategy: 'MERGE' },
        input,
      ),
    ).toEqual({
      raw: input.raw,
      a: { x: 1, y: 2, z: { q: 1 } },
      b: 3,
    });
  });

  it('reads the add_to_root field as a top-level key, not a path', async () => {
    const document = ingestDocument({ 'a.b': '{"x":1}', a: { b: '{"y":2}' } });
    await create('json', { field: 'a.b', add_to_root: true }).execute(document);
    expect(document.getField('x')).toBe(1);
  });

  it.each([
    ['a list', '[1]'],
    ['a missing field', undefined],
  ])('refuses to add %s to the root', async (_name, raw) => {
    const error = await runError(
      'json',
      { field: 'raw', add_to_root: true },
      raw === undefined ? {} : { raw },
    );
    expect(error.reason).toBe('cannot add non-map fields to root of document');
  });

  it.each([
    {
      options: { field: 'a', add_to_root: true, target_field: 'b' },
      reason: '[target_field] Cannot set a target field while also setting `add_to_root` to true',
      property: 'target_field',
    },
    {
      options: { field: 'a', add_to_root_conflict_strategy: 'merge' },
      reason:
        '[add_to_root_conflict_strategy] Cannot set `add_to_root_conflict_strategy` if `add_to_root` is false',
      property: 'add_to_root_conflict_strategy',
    },
    {
      options: { field: 'a', add_to_root: true, add_to_root_conflict_strategy: 'union' },
      reason:
        '[add_to_root_conflict_strategy] conflict strategy [union] not supported, cannot convert field.',
      property: 'add_to_root_conflict_strategy',
    },
    { options: {}, reason: '[field] required property is missing', property: 'field' },
  ])('refuses $options', async ({ options, reason, property }) => {
    expect(await configError('json', options)).toMatchObject({
      type: 'parse_exception',
      reason,
      extra: { property_name: property, processor_type: 'json' },
    });
  });

  it('bounds nesting depth instead of overflowing the stack', () => {
    expect(() => readFirstJsonValue('['.repeat(5000), false)).toThrow(
      'Document nesting depth exceeds the maximum allowed (1000)',
    );
  });
});
