import { describe, expect, it } from 'vitest';
import { javaToString } from '../../src/painless/index.js';
import { run } from './helpers.js';

describe('Java string conversion inside scripts', () => {
  it.each([
    ['"" + 3', '3'],
    ['"" + -5', '-5'],
    ['"" + 10000000000L', '10000000000'],
    ['"" + 1.0', '1.0'],
    ['"" + 3.0', '3.0'],
    ['"" + 0.1', '0.1'],
    ['"" + 100.0', '100.0'],
    ['"" + 3.14', '3.14'],
    ['"" + 1e10', '1.0E10'],
    ['"" + 1.0E7', '1.0E7'],
    ['"" + 9999999.0', '9999999.0'],
    ['"" + 0.001', '0.001'],
    ['"" + 0.0001', '1.0E-4'],
    ['"" + 123456789.123', '1.23456789123E8'],
    ['"" + 1.5e300', '1.5E300'],
    ['"" + 1e-300', '1.0E-300'],
    ['"" + (1 / 3.0)', '0.3333333333333333'],
    ['"" + (0.1 + 0.2)', '0.30000000000000004'],
    ['"" + -0.0', '-0.0'],
    ['"" + (0.0 / 0.0)', 'NaN'],
    ['"" + (1.0 / 0)', 'Infinity'],
    ['"" + (-1.0 / 0)', '-Infinity'],
    ['"" + 2.5f', '2.5'],
    ['"" + 5d', '5.0'],
    ['"" + (double) 2', '2.0'],
    ['"" + [1.0, 2.0]', '[1.0, 2.0]'],
    ['"" + [1, 2.5, "a", null, true]', '[1, 2.5, a, null, true]'],
    ['"" + []', '[]'],
    ['"" + [[1], [2, [3.0]]]', '[[1], [2, [3.0]]]'],
    ["\"\" + ['a': 1, 'b': 2]", '{a=1, b=2}'],
    ["\"\" + ['a': [1.0], 'b': ['c': null]]", '{a=[1.0], b={c=null}}'],
    ['"" + [:]', '{}'],
    ['"" + null', 'null'],
    ['"" + true + false', 'truefalse'],
    ['"" + new StringBuilder("sb")', 'sb'],
    ['1 + 2 + "x"', '3x'],
    ['"x" + 1 + 2', 'x12'],
    ["def m = ['k': 1]; String s = ''; for (def e : m.entrySet()) { s += e } return s", 'k=1'],
    ['def l = [1]; l.add(l); return "" + l', '[1, (this Collection)]'],
    ['"" + new IllegalArgumentException("boom")', 'java.lang.IllegalArgumentException: boom'],
  ])('%s gives %j', (source, expected) => {
    expect(run(source)).toBe(expected);
  });

  it('prints numbers that arrive from JSON as ints when integral and doubles otherwise', () => {
    expect(run('return "" + params.values', { params: { values: [1, 0.5, -3, 1e21] } })).toBe(
      '[1, 0.5, -3, 1.0E21]',
    );
  });
});

describe('javaToString', () => {
  it.each([
    [null, 'null'],
    [undefined, 'null'],
    ['text', 'text'],
    [42, '42'],
    [0.25, '0.25'],
    [-0, '0'],
    [true, 'true'],
    [[1, 'a', [0.5]], '[1, a, [0.5]]'],
    [{ a: 1, b: [2] }, '{a=1, b=[2]}'],
    [Object.assign(Object.create(null), { k: 'v' }), '{k=v}'],
  ])('javaToString(%j) is %j', (value, expected) => {
    expect(javaToString(value)).toBe(expected);
  });

  it('refuses to print a JS function instead of leaking its source', () => {
    expect(() => javaToString(() => 'secret')).toThrow(/unsupported type \[function\]/);
  });
});
