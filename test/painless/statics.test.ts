import { describe, expect, it } from 'vitest';
import { run, runError } from './helpers.js';

describe('static methods and fields', () => {
  it.each([
    ["String.join(', ', ['a', 'b', 'c'])", 'a, b, c'],
    ["String.join('-', 'x', 'y')", 'x-y'],
    ["String.join(',', [])", ''],
    ['String.valueOf(1.0)', '1.0'],
    ['String.valueOf([1, 2])', '[1, 2]'],
    ['String.valueOf(null)', 'null'],
    ["Integer.parseInt('42')", 42],
    ["Integer.parseInt('-17')", -17],
    ["Integer.parseInt('+8')", 8],
    ["Integer.parseInt('ff', 16)", 255],
    ["Integer.valueOf('12') + 1", 13],
    ['Integer.toString(5)', '5'],
    ["Long.parseLong('10000000000')", 10000000000],
    ["'' + Double.parseDouble('2')", '2.0'],
    ["Double.parseDouble(' 1.5 ')", 1.5],
    ["'' + Double.parseDouble('1e3')", '1000.0'],
    ["Double.parseDouble('2.5f')", 2.5],
    ["Boolean.parseBoolean('TRUE')", true],
    ["Boolean.parseBoolean('yes')", false],
    ['Objects.equals(null, null)', true],
    ['Objects.isNull(params.missing)', true],
    ['Math.min(3, 7)', 3],
    ['Math.max(3, 7)', 7],
    ["'' + Math.max(3, 7.0)", '7.0'],
    ['Math.abs(-4)', 4],
    ["'' + Math.abs(-4.0)", '4.0'],
    ["'' + Math.floor(2.7)", '2.0'],
    ["'' + Math.ceil(2.1)", '3.0'],
    ['Math.round(2.5)', 3],
    ['Math.round(-2.5)', -2],
    ["'' + Math.round(2.4)", '2'],
    ["'' + Math.sqrt(16)", '4.0'],
    ["'' + Math.pow(2, 10)", '1024.0'],
    ["'' + Math.log10(1000)", '3.0'],
    ['Integer.MAX_VALUE', 2147483647],
    ['Integer.MIN_VALUE', -2147483648],
    ["'' + Math.PI", '3.141592653589793'],
    ["'' + Double.POSITIVE_INFINITY", 'Infinity'],
  ])('%s is %j', (source, expected) => {
    expect(run(source, { params: {} })).toEqual(expected);
  });

  it.each([
    ["Integer.parseInt('abc')", 'For input string: "abc"', 'number_format_exception'],
    ["Integer.parseInt('')", 'For input string: ""', 'number_format_exception'],
    ["Integer.parseInt('3000000000')", 'For input string: "3000000000"', 'number_format_exception'],
    ["Integer.parseInt(' 1')", 'For input string: " 1"', 'number_format_exception'],
    ["Double.parseDouble('1.2.3')", 'For input string: "1.2.3"', 'number_format_exception'],
    ["Double.parseDouble('')", 'empty String', 'number_format_exception'],
    [
      "String.join(',', [1, 2])",
      'String.join needs String elements, found [1]',
      'class_cast_exception',
    ],
  ])('%s fails with %j', (source, message, causeType) => {
    const error = runError(source);
    expect(error.reason).toMatch(
      new RegExp(
        `^Painless runtime error at line 1, column \\d+: ${message.replace(/[.[\]]/g, '\\$&')}$`,
      ),
    );
    expect(error.extra['caused_by']).toEqual({ type: causeType, reason: message });
  });
});

describe('constructors', () => {
  it.each([
    ['new ArrayList()', []],
    ['new ArrayList(10)', []],
    ['new HashMap()', {}],
    ['new LinkedHashMap()', {}],
    ['new StringBuilder("x").toString()', 'x'],
    ["new IllegalArgumentException('m').getMessage()", 'm'],
    ['new RuntimeException().getMessage()', null],
  ])('%s gives %j', (source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  it('creates maps without an Object prototype', () => {
    const created = run('new HashMap()') as object;
    expect(Object.getPrototypeOf(created)).toBeNull();
    const literal = run("['k': 1]") as object;
    expect(Object.getPrototypeOf(literal)).toBeNull();
  });
});
