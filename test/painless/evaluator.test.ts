import { describe, expect, it } from 'vitest';
import { run, runError } from './helpers.js';

describe('control flow', () => {
  it.each([
    [
      'if / else if / else',
      'def f = 0; def x = 5; if (x < 3) { f = 1 } else if (x < 6) { f = 2 } else { f = 3 } return f',
      2,
    ],
    ['counting for loop', 'int t = 0; for (int i = 0; i < 5; i++) { t += i } return t', 10],
    ['for-each over a list with def', 'def t = 0; for (def x : [1, 2, 3]) { t += x } return t', 6],
    [
      'for-each with String',
      "String s = ''; for (String x : ['a', 'b']) { s += x } return s",
      'ab',
    ],
    [
      'for-each over keySet',
      "String s = ''; for (def k : ['a': 1, 'b': 2].keySet()) { s += k } return s",
      'ab',
    ],
    [
      'for-each over values',
      "def t = 0; for (def v : ['a': 1, 'b': 2].values()) { t += v } return t",
      3,
    ],
    [
      'for-each over entrySet',
      "String s = ''; for (def e : ['a': 1, 'b': 2].entrySet()) { s += e.getKey() + '=' + e.getValue() + ';' } return s",
      'a=1;b=2;',
    ],
    [
      'entry key/value shortcuts',
      "String s = ''; for (def e : ['a': 1].entrySet()) { s += e.key + e.value } return s",
      'a1',
    ],
    [
      'entry setValue writes through',
      "def m = ['a': 1]; for (def e : m.entrySet()) { e.setValue(e.getValue() * 10) } return m.a",
      10,
    ],
    ['while', 'int i = 0; while (i < 10) { i += 3 } return i', 12],
    ['break', 'int i = 0; while (true) { if (i == 4) { break } i++ } return i', 4],
    [
      'continue',
      'int t = 0; for (int i = 0; i < 6; i++) { if (i % 2 == 0) { continue } t += i } return t',
      9,
    ],
    [
      'continue in while',
      'int i = 0; int t = 0; while (i < 5) { i++; if (i == 2) continue; t += i } return t',
      13,
    ],
    [
      'break only leaves the inner loop',
      'int n = 0; for (int i = 0; i < 3; i++) { for (int j = 0; j < 10; j++) { if (j == 2) break; n++ } } return n',
      6,
    ],
    [
      'return from inside a loop',
      'for (def x : [5, 6, 7]) { if (x > 5) { return x } } return -1',
      6,
    ],
    ['return without value', 'if (true) { return } return 1', null],
    ['do-while runs once', 'int i = 10; do { i++ } while (i < 5); return i', 11],
    [
      'for-each iterates a snapshot',
      'def l = [1, 2]; for (def x : l) { l.add(x) } return l',
      [1, 2, 1, 2],
    ],
  ])('%s', (_name, source, expected) => {
    expect(run(source)).toEqual(expected);
  });
});

describe('functions', () => {
  it.each([
    ['typed parameters and return', 'int add(int a, int b) { return a + b } return add(2, 3)', 5],
    [
      'recursion',
      'int fact(int n) { return n <= 1 ? 1 : n * fact(n - 1) } return fact(10)',
      3628800,
    ],
    [
      'overloading by arity',
      "String f(def a) { return 'one' } String f(def a, def b) { return 'two' } return f(1) + f(1, 2)",
      'onetwo',
    ],
    [
      'function calls function',
      'int sq(int x) { return x * x } int sumSq(int a, int b) { return sq(a) + sq(b) } return sumSq(3, 4)',
      25,
    ],
    [
      'return type converts int to double',
      'double half(int x) { return x } return "" + half(3)',
      '3.0',
    ],
    [
      'mutating a passed map',
      'void tag(Map m) { m.tagged = true } def doc = [:]; tag(doc); return doc.tagged',
      true,
    ],
    ['non-void function without return gives null', 'def f() { } return f()', null],
  ])('%s', (_name, source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  it('does not let functions see script variables', () => {
    expect(
      runError('def peek() { return params.x } return peek()', { params: { x: 1 } }).reason,
    ).toBe('Painless runtime error at line 1, column 21: cannot resolve symbol [params]');
  });

  it('checks argument types against parameter types', () => {
    expect(runError("int f(int x) { return x }\nreturn f('a')").reason).toMatch(
      /cannot cast \[String\] to \[int\]/,
    );
  });
});

describe('scopes', () => {
  it.each([
    [
      'block locals disappear after the block',
      'if (true) { def inner = 1 } return inner',
      /cannot resolve symbol \[inner\]/,
    ],
    [
      'redeclaring a visible local fails',
      'def x = 1; if (true) { def x = 2 }',
      /variable \[x\] is already defined/,
    ],
    [
      'redeclaring a script variable fails',
      'def params = 1',
      /variable \[params\] is already defined/,
    ],
    ['undefined variables fail', 'return nope + 1', /cannot resolve symbol \[nope\]/],
  ])('%s', (_name, source, message) => {
    expect(runError(source, { params: {} }).reason).toMatch(message);
  });

  it('allows the same loop variable name in sibling loops', () => {
    expect(
      run('def t = 0; for (def x : [1]) { t += x } for (def x : [2]) { t += x } return t'),
    ).toBe(3);
  });
});

describe('try / catch', () => {
  it.each([
    [
      'catches a parse failure',
      "try { return Integer.parseInt('x') } catch (NumberFormatException e) { return -1 }",
      -1,
    ],
    [
      'catches by superclass',
      "try { return Integer.parseInt('x') } catch (Exception e) { return e.getMessage() }",
      'For input string: "x"',
    ],
    [
      'catches a script throw',
      "try { throw new IllegalStateException('s') } catch (RuntimeException e) { return e.getMessage() }",
      's',
    ],
    [
      'catches null pointer',
      'def x = null; try { return x.length } catch (NullPointerException e) { return "npe" }',
      'npe',
    ],
    [
      'picks the first matching handler',
      "try { 1 / 0 } catch (IllegalArgumentException e) { return 'iae' } catch (ArithmeticException e) { return 'ae' }",
      'ae',
    ],
    ['runs the block when nothing throws', 'try { return 1 } catch (Exception e) { return 2 }', 1],
  ])('%s', (_name, source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  it('does not catch non-matching exceptions', () => {
    expect(
      runError(
        "try { throw new IllegalArgumentException('x') } catch (ArithmeticException e) { return 1 }",
      ).type,
    ).toBe('illegal_argument_exception');
  });

  it('cannot catch the step budget', () => {
    const error = runError(
      'try { while (true) {} } catch (Exception e) { return 1 }',
      {},
      { maxSteps: 1000 },
    );
    expect(error.reason).toMatch(/maximum number of statements/);
  });
});

describe('variables passed by the caller', () => {
  it('makes mutations of ctx visible to the caller', () => {
    const ctx: Record<string, unknown> = { title: 'Hello', tags: ['a'] };
    run(
      "ctx.upper = ctx.title.toUpperCase(); ctx.tags.add('b'); ctx['count'] = ctx.tags.size(); ctx.remove('title')",
      { ctx },
    );
    expect(ctx).toEqual({ upper: 'HELLO', tags: ['a', 'b'], count: 2 });
  });

  it('unwraps doubles stored into the caller document into plain numbers', () => {
    const ctx: Record<string, unknown> = {};
    run(
      "ctx.score = 1.0; ctx.vector = [2.0, 0.5]; ctx.nested = ['d': 3.0]; ctx.sb = new StringBuilder('t')",
      { ctx },
    );
    expect(ctx).toEqual({ score: 1, vector: [2, 0.5], nested: { d: 3 }, sb: 't' });
    expect(JSON.stringify(ctx)).toBe('{"score":1,"vector":[2,0.5],"nested":{"d":3},"sb":"t"}');
  });

  it('unwraps even when the script fails afterwards', () => {
    const ctx: Record<string, unknown> = {};
    expect(() => run("ctx.score = 2.0; throw new RuntimeException('late')", { ctx })).toThrow(
      'late',
    );
    expect(ctx).toEqual({ score: 2 });
  });

  it('returns plain values', () => {
    expect(run("return ['a': 1.0, 'b': [2.0, new StringBuilder('x')]]")).toEqual({
      a: 1,
      b: [2, 'x'],
    });
    expect(run('return 3.0')).toBe(3);
    expect(run("def m = ['k': 'v']; return m.entrySet()")).toEqual([{ k: 'v' }]);
  });
});

describe('ingest pipeline scripts', () => {
  const doc = (): Record<string, unknown> => ({
    text: 'hello',
    category: 'books',
    user: { name: 'ann' },
    price_str: '12.50',
    items: [
      { qty: 2, price: 1.5 },
      { qty: 1, price: 4 },
    ],
  });

  it.each([
    ['ctx.text != null && ctx.text.length() > 0', true],
    ["ctx.containsKey('passage_text')", false],
    ["ctx?.category == 'books'", true],
    ["ctx.user?.name == 'ann'", true],
    ["ctx.missing?.name == 'ann'", false],
    ['ctx.items.size() > 1 && ctx.items[0].qty instanceof Integer', true],
  ])('condition %s is %j', (source, expected) => {
    expect(run(source, { ctx: doc() })).toBe(expected);
  });

  it('runs a script processor body against the document', () => {
    const ctx = doc();
    run(
      `if (ctx.tags == null) { ctx.tags = [] }
       ctx.tags.add(params.tag);
       ctx.price = Double.parseDouble(ctx.price_str);
       ctx.remove('price_str');
       double total = 0;
       for (def item : ctx.items) { item.total = item.qty * item.price; total += item.total }
       ctx.total = total;`,
      { ctx, params: { tag: 'sale' } },
    );
    expect(ctx).toEqual({
      text: 'hello',
      category: 'books',
      user: { name: 'ann' },
      items: [
        { qty: 2, price: 1.5, total: 3 },
        { qty: 1, price: 4, total: 4 },
      ],
      tags: ['sale'],
      price: 12.5,
      total: 7,
    });
  });
});
