import { describe, expect, it } from 'vitest';
import { parseProgram } from '../../src/painless/parser.js';
import { compileErrorOf, run } from './helpers.js';

describe('compile errors', () => {
  it.each([
    ['def x = (1 + 2;', "line 1, column 15: expected ')' but found ';'"],
    [
      'def x = 1;\nif (x > 0) {\n  return foo(x));\n}',
      "line 3, column 16: expected ';' but found ')'",
    ],
    ['return 1 +', 'line 1, column 11: unexpected end of script'],
    ['def x = )', "line 1, column 9: unexpected token ')'"],
    ['if (true) { return 1', "line 1, column 21: expected '}' but found end of script"],
    ['def x = 1 def y = 2', "line 1, column 11: expected ';' but found 'def'"],
    ['Foo x = 1;', 'line 1, column 1: unknown type [Foo]'],
    ['def def = 1;', "line 1, column 5: expected a variable name but found 'def'"],
    ['1 = 2', "line 1, column 3: cannot assign to this expression with '='"],
    ['def x = 1; x++ ++;', "line 1, column 16: '++' needs a variable, field or element"],
    ['break;', "line 1, column 1: 'break' outside of a loop"],
    ['def x = new Foo();', 'line 1, column 13: constructor [Foo] is not allowed'],
    ['def x = new int[3];', 'line 1, column 13: arrays are not supported; use a List'],
    [
      'def x = new ArrayList(1, 2, 3);',
      'line 1, column 13: method [new ArrayList] does not take 3 arguments',
    ],
    ['return Math.foo(1);', 'line 1, column 13: static method [Math.foo] is not allowed'],
    ['return Integer.SIZE;', 'line 1, column 16: static field [Integer.SIZE] is not allowed'],
    ['return Math.max(1);', 'line 1, column 13: method [Math.max] does not take 1 argument'],
    ['return List.of(1);', 'line 1, column 8: unknown class [List]'],
    ['return missing(1);', 'line 1, column 8: unknown function [missing] with 1 argument(s)'],
    [
      'int f(def a) { return a } return f(1, 2);',
      'line 1, column 34: unknown function [f] with 2 argument(s)',
    ],
    [
      'int f(def a) { return 1 } int f(def b) { return 2 }',
      'line 1, column 27: function [f/1] is already defined',
    ],
    ['try { return 1 }', "line 1, column 17: expected 'catch' after try block"],
    ['return x -> x;', "line 1, column 10: expected ';' but found '->'"],
    ['def x = 1 instanceof Foo;', 'line 1, column 22: unknown type [Foo]'],
    ['def x = [1, 2', "line 1, column 14: expected ']' but found end of script"],
  ])('%j fails with %j', (source, expected) => {
    const error = compileErrorOf(source);
    expect(error.reason).toBe(`Painless compile error at ${expected}`);
    expect(error.type).toBe('script_exception');
    expect(error.status).toBe(400);
  });

  it('stops absurd nesting with a compile error, not a stack overflow', () => {
    const source = `return ${'('.repeat(5000)}1${')'.repeat(5000)};`;
    expect(compileErrorOf(source).reason).toMatch(/script is nested too deeply/);
  });
});

describe('statement syntax', () => {
  it.each([
    ['semicolon optional at the end', 'def x = 1; x + 1', 2],
    ['semicolon optional before }', 'if (true) { return 5 }', 5],
    ['empty statements', ';; def x = 2;; return x;', 2],
    ['multiple declarators', 'int a = 1, b = 2, c; return a + b + c', 3],
    [
      'declared defaults',
      'int i; double d; boolean b; String s; return [i, "" + d, b, s]',
      [0, '0.0', false, null],
    ],
    ['comments everywhere', '/* a */ def x /* b */ = 1; // c\n return x // d', 1],
    [
      'String[] declarations hold lists',
      'String[] parts = "a b".split(" "); return parts.length',
      2,
    ],
    [
      'Map.Entry declarations',
      "def n = 0; for (Map.Entry e : ['a': 1, 'b': 2].entrySet()) { n += e.getValue() } return n",
      3,
    ],
    ['for with empty parts', 'int i = 0; for (;;) { if (++i == 3) { break } } return i', 3],
    ['for with expression lists', 'int i, j; for (i = 0, j = 10; i < j; i++, j--) {} return i', 5],
    ['for-in loop', 'def t = 0; for (x in [1, 2, 3]) { t += x } return t', 6],
    ['do-while', 'int i = 0; do { i++ } while (i < 3); return i', 3],
    [
      'single-statement bodies',
      'int t = 0; for (int i = 0; i < 4; i++) t += i; if (t > 5) return t; else return -1;',
      6,
    ],
    [
      'top-level function declared after use',
      'return twice(4); int twice(int x) { return x * 2 }',
      8,
    ],
    ['void function', 'void put(Map m) { m.k = 1 } def m = [:]; put(m); return m.k', 1],
  ])('%s', (_name, source, expected) => {
    expect(run(source)).toEqual(expected);
  });
});

describe('implicit return of the last expression', () => {
  it.each([
    ['ctx.a == 1', { a: 1 }, true],
    ['ctx.a == 1', { a: 2 }, false],
    ['if (ctx.a > 0) { "positive" } else { "other" }', { a: 3 }, 'positive'],
    ['if (ctx.a > 0) { "positive" } else { "other" }', { a: -3 }, 'other'],
    ['ctx.b = 5', {}, null],
    ['def x = 1; x++', {}, null],
    ['ctx.a == 1; ctx.b = 2;', { a: 1 }, null],
  ])('%j with ctx %j returns %j', (source, ctx, expected) => {
    expect(run(source, { ctx })).toBe(expected);
  });

  it('marks only the final statement', () => {
    const program = parseProgram('ctx.a; if (x) { y } else { z }');
    const [first, last] = program.body;
    expect(first).toMatchObject({ kind: 'Expression', implicitReturn: false });
    expect(last).toMatchObject({
      kind: 'If',
      consequent: { body: [{ implicitReturn: true }] },
      alternate: { body: [{ implicitReturn: true }] },
    });
  });
});
