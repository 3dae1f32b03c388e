import { describe, expect, it } from 'vitest';
import { run, runError } from './helpers.js';

// Each row: an expression script and its result. Doubles are compared through their Java string
// form where the int/double distinction is the point of the test.
describe('arithmetic with Java int/double rules', () => {
  it.each([
    ['5 / 2', 2],
    ['-7 / 2', -3],
    ['7 % 3', 1],
    ['-7 % 3', -1],
    ['7 % -3', 1],
    ['2 * 3 + 4', 10],
    ['2 * (3 + 4)', 14],
    ['10 - 4 - 3', 3],
    ['5.0 / 2', 2.5],
    ['5 / 2.0', 2.5],
    ['7.5 % 2', 1.5],
    ['1 << 4', 16],
    ['-16 >> 2', -4],
    ['-1 >>> 28', 15],
    ['6 & 3', 2],
    ['6 | 3', 7],
    ['6 ^ 3', 5],
    ['~5', -6],
    ['-(3)', -3],
    ['+4', 4],
    ['true & false', false],
    ['true | false', true],
    ['true ^ true', false],
  ])('%s = %j', (source, expected) => {
    expect(run(source)).toBe(expected);
  });

  it.each([
    ['"" + (4 / 2)', '2'],
    ['"" + (4.0 / 2)', '2.0'],
    ['"" + (1 + 1.0)', '2.0'],
    ['"" + (2 * 1.5)', '3.0'],
    ['"" + -(2.0)', '-2.0'],
    ['def x = 1.0; x++; return "" + x', '2.0'],
    ['def x = 1; x += 0.5; return "" + x', '1.5'],
    ['int x = 1; x += 1.7; return "" + x', '2'],
    ['double d = 3; return "" + d', '3.0'],
  ])('%s keeps the Java type: %j', (source, expected) => {
    expect(run(source)).toBe(expected);
  });

  it.each([['1 / 0'], ['5 % 0'], ['def x = 0; return 10 / x']])(
    '%s throws ArithmeticException / by zero',
    (source) => {
      const error = runError(source);
      expect(error.reason).toMatch(/Painless runtime error at line 1, column \d+: \/ by zero$/);
      expect(error.extra['caused_by']).toEqual({
        type: 'arithmetic_exception',
        reason: '/ by zero',
      });
    },
  );

  it('divides doubles by zero without throwing, as Java does', () => {
    expect(run('"" + (1.0 / 0) + " " + (0.0 / 0)')).toBe('Infinity NaN');
  });
});

describe('comparison and equality', () => {
  it.each([
    ['1 == 1', true],
    ['1 == 1.0', true],
    ['1 != 2', true],
    ['2 < 3', true],
    ['3 <= 3', true],
    ['3 > 3.5', false],
    ['4 >= 3', true],
    ['"abc" == "ab" + "c"', true],
    ['\'a\' == "a"', true],
    ['"a" != "b"', true],
    ['null == null', true],
    ['"a" == null', false],
    ['[1, 2] == [1, 2]', true],
    ['[1] == [1.0]', false],
    ["['a': 1] == ['a': 1]", true],
    ["['a': 1] == ['a': 2]", false],
    ['true == true', true],
    ['"a" === "a"', true],
    ['def l = [1]; return l === l', true],
    ['[1] === [1]', false],
    ['[1] !== [1]', true],
    ['(0.0 / 0) == (0.0 / 0)', false],
  ])('%s is %j', (source, expected) => {
    expect(run(source)).toBe(expected);
  });

  it.each([
    ['"a" < "b"', /cannot apply \[<\] to \[String\] and \[String\]/],
    ['null > 1', /cannot apply \[>\] to null/],
    ['[1] + [2]', /cannot apply \[\+\] to \[List\] and \[List\]/],
    ['true + 1', /cannot apply \[\+\] to \[Boolean\] and \[Integer\]/],
  ])('%s is a runtime error', (source, message) => {
    expect(runError(source).reason).toMatch(message);
  });
});

describe('logical operators, conditionals and elvis', () => {
  it.each([
    ['true && false', false],
    ['true || false', true],
    ['!true', false],
    ['!(1 > 2)', true],
    ['false && (1 / 0 == 1)', false],
    ['true || (1 / 0 == 1)', true],
    ['def x = null; return x != null && x.length > 0', false],
    ['def x = null; return x == null || x.length == 0', true],
    ['1 < 2 ? "yes" : "no"', 'yes'],
    ['1 > 2 ? "yes" : 3 > 2 ? "nested" : "no"', 'nested'],
    ['def x = null; return x ?: "fallback"', 'fallback'],
    ['def x = ""; return x ?: "fallback"', ''],
    ['def x = false; return x ?: true', false],
    ['params.missing ?: params.present', 'here'],
    ['params.missing?.length', null],
    ['params.nested?.list?.length', 2],
    ['params.missing?.toString()', null],
  ])('%s is %j', (source, expected) => {
    expect(run(source, { params: { present: 'here', nested: { list: [1, 2] } } })).toBe(expected);
  });

  it.each([
    ['if ("yes") { return 1 }', /cannot use \[String\] as a boolean in \[if\]/],
    ['def x = null; return x && true', /cannot use null as a boolean in \[&&\]/],
    ['return !1', /cannot use \[Integer\] as a boolean in \[!\]/],
    ['while (1) {}', /cannot use \[Integer\] as a boolean in \[while\]/],
  ])('%s rejects a non-boolean condition', (source, message) => {
    expect(runError(source).reason).toMatch(message);
  });
});

describe('assignment and increments', () => {
  it.each([
    ['int i = 5; i++; return i', 6],
    ['int i = 5; return i++', 5],
    ['int i = 5; return ++i', 6],
    ['int i = 5; i--; --i; return i', 3],
    ['int i = 5; i += 2; i -= 1; i *= 3; i /= 4; return i', 4],
    ['int i = 17; i %= 5; return i', 2],
    ['String s = "a"; s += 1; s += "b"; return s', 'a1b'],
    ['def a; def b; a = b = 3; return a + b', 6],
    ['def l = [1, 2]; l[0] += 10; l[1]++; return l', [11, 3]],
    ["def m = ['n': 1]; m.n += 1; m['n'] *= 10; return m.n", 20],
    ["def m = [:]; m['k'] = 'v'; m.other = 2; return m", { k: 'v', other: 2 }],
    ['def l = [1, 2, 3]; l[-1] = 9; return l', [1, 2, 9]],
    ['ctx.count = 0; for (int i = 0; i < 3; i++) { ctx.count++ } return ctx.count', 3],
  ])('%s gives %j', (source, expected) => {
    expect(run(source, { ctx: {} })).toEqual(expected);
  });
});
