import { describe, expect, it } from 'vitest';
import {
  parseJavaDouble,
  parseJavaFloat,
  parseJavaInteger,
} from '../../../src/processors/core/java-number.js';
import { configError, run, runError } from './helpers.js';

const convert = async (type: string, value: unknown) =>
  ((await run('convert', { field: 'v', type }, { v: value })) as { v: unknown }).v;

describe('convert', () => {
  it('runs the docs example: price to a float in price_float', async () => {
    expect(
      await run(
        'convert',
        { field: 'price', type: 'float', target_field: 'price_float' },
        { price: '-10.5' },
      ),
    ).toEqual({
      price: '-10.5',
      price_float: -10.5,
    });
  });

  it.each([
    ['integer', '42', 42],
    ['integer', '+7', 7],
    ['integer', '-2147483648', -2147483648],
    ['integer', '0x1F', 31],
    ['integer', '-0x1f', -31],
    ['integer', 12, 12],
    ['long', '2147483648', 2147483648],
    ['long', '-0x80000000', -2147483648],
    ['double', '1e3', 1000],
    ['double', ' 2.5 ', 2.5],
    ['double', '5d', 5],
    ['double', '.5', 0.5],
    ['double', '0x1p3', 8],
    ['double', '-Infinity', -Infinity],
    ['double', 3, 3],
    ['float', '1.1', 1.1],
    ['float', '3.141592653589793', 3.1415927],
    ['float', '1e40', Infinity],
    ['boolean', 'TRUE', true],
    ['boolean', 'false', false],
    ['boolean', true, true],
    ['string', 42, '42'],
    ['string', 1.5, '1.5'],
    ['string', true, 'true'],
    ['string', { a: 1 }, '{a=1}'],
    ['string', 1e21, '1.0E21'],
    ['ip', '192.168.0.1', '192.168.0.1'],
    ['ip', '2001:db8::1', '2001:db8::1'],
    ['auto', 'true', true],
    ['auto', '42', 42],
    ['auto', '9007199254740991', 9007199254740991],
    ['auto', '1.5', 1.5],
    ['auto', 'abc', 'abc'],
    ['auto', 5, 5],
    ['auto', { a: '1' }, { a: '1' }],
    ['Integer', '1', 1],
  ])('%s of %j is %j', async (type, value, expected) => {
    expect(await convert(type, value)).toEqual(expected);
  });

  it('converts each element of a list', async () => {
    expect(await run('convert', { field: 'v', type: 'integer' }, { v: ['1', '2', 3] })).toEqual({
      v: [1, 2, 3],
    });
    expect(await run('convert', { field: 'v', type: 'string' }, { v: [1, [2]] })).toEqual({
      v: ['1', '[2]'],
    });
  });

  it.each([
    ['integer', '2147483648', 'unable to convert [2147483648] to integer'],
    ['integer', '1.5', 'unable to convert [1.5] to integer'],
    ['integer', 1.5, 'unable to convert [1.5] to integer'],
    ['integer', '', 'unable to convert [] to integer'],
    ['integer', ' 1', 'unable to convert [ 1] to integer'],
    ['integer', '0X1F', 'unable to convert [0X1F] to integer'],
    ['integer', '0x', 'unable to convert [0x] to integer'],
    ['integer', '0x-1', 'unable to convert [0x-1] to integer'],
    ['long', '9223372036854775808', 'unable to convert [9223372036854775808] to long'],
    ['double', 'abc', 'unable to convert [abc] to double'],
    ['double', '0x10', 'unable to convert [0x10] to double'],
    ['double', 'Infinityd', 'unable to convert [Infinityd] to double'],
    ['float', '1.2.3', 'unable to convert [1.2.3] to float'],
    ['boolean', 'yes', '[yes] is not a boolean value, cannot convert to boolean'],
    ['boolean', 1, '[1] is not a boolean value, cannot convert to boolean'],
    ['ip', '999.1.1.1', '[999.1.1.1] is not a valid ipv4/ipv6 address'],
    ['ip', '01.1.1.1', '[01.1.1.1] is not a valid ipv4/ipv6 address'],
    ['ip', 5, '[5] is not a valid ipv4/ipv6 address'],
  ])('%s of %j fails: %s', async (type, value, reason) => {
    expect(await runError('convert', { field: 'v', type }, { v: value })).toMatchObject({
      status: 400,
      type: 'illegal_argument_exception',
      reason,
    });
  });

  it.each([
    {
      options: { field: 'v', type: 'integer' },
      reason: 'Field [v] is null, cannot be converted to type [integer]',
    },
    {
      options: { field: 'missing', type: 'integer' },
      reason: 'field [missing] not present as part of path [missing]',
    },
  ])('fails on $options.field', async ({ options, reason }) => {
    expect((await runError('convert', options, { v: null })).reason).toBe(reason);
  });

  it('skips a missing or null field with ignore_missing', async () => {
    expect(
      await run(
        'convert',
        { field: 'missing', type: 'integer', ignore_missing: true },
        { v: null },
      ),
    ).toEqual({ v: null });
    expect(
      await run('convert', { field: 'v', type: 'integer', ignore_missing: true }, { v: null }),
    ).toEqual({ v: null });
  });

  it.each([
    {
      options: { field: 'v', type: 'date' },
      reason: '[type] type [date] not supported, cannot convert field.',
      property: 'type',
    },
    { options: { field: 'v' }, reason: '[type] required property is missing', property: 'type' },
    {
      options: { type: 'integer' },
      reason: '[field] required property is missing',
      property: 'field',
    },
  ])('refuses $options', async ({ options, reason, property }) => {
    expect(await configError('convert', options)).toMatchObject({
      type: 'parse_exception',
      reason,
      extra: { property_name: property, processor_type: 'convert' },
    });
  });
});

describe("Java's number parsing", () => {
  it('bounds int and long', () => {
    expect(parseJavaInteger('2147483647', 32)).toBe(2147483647);
    expect(parseJavaInteger('-2147483649', 32)).toBeUndefined();
    expect(parseJavaInteger('-9223372036854775808', 64)).toBe(-9223372036854775808);
    expect(parseJavaInteger('0x7fffffffffffffff', 64)).toBe(9223372036854775807);
  });

  it('reads doubles as Double.parseDouble does', () => {
    expect(parseJavaDouble('NaN')).toBeNaN();
    expect(parseJavaDouble('-0x1.8p1')).toBe(-3);
    expect(parseJavaDouble('1.')).toBe(1);
    expect(parseJavaDouble('.')).toBeUndefined();
    expect(parseJavaDouble('1e')).toBeUndefined();
  });

  it('rounds floats to float precision with the shortest digits', () => {
    expect(parseJavaFloat('0.1')).toBe(0.1);
    expect(parseJavaFloat('16777217')).toBe(16777216);
    expect(parseJavaFloat('-0')).toBe(-0);
  });
});
